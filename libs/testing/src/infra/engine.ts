import { hangTimeouts } from '../timeouts';
import type { EngineAnswer, EngineProbe } from './provider';

/**
 * Asks for a container engine the way testcontainers finds one (TESTCONTAINERS_HOST, DOCKER_HOST,
 * ~/.testcontainers.properties, the Docker socket, rootless and Windows pipes), so `auto` picks
 * containers exactly when the containers provider would find an engine.
 */
export const probeContainerEngine: EngineProbe = async () => {
  const { getContainerRuntimeClient } = await import('testcontainers');
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), hangTimeouts.engineProbe);
  });
  try {
    const client = await Promise.race([getContainerRuntimeClient(), hung]);
    if (!client) return undefined;
    const { serverVersion, operatingSystem, host } = client.info.containerRuntime;
    return { description: `${operatingSystem} ${serverVersion}, containers reached at ${host}` } satisfies EngineAnswer;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Removes every container of one testcontainers session. With Ryuk (the reaper testcontainers
 * starts from its registry image) this happens when the run ends; where no registry answers Ryuk
 * cannot run (TESTCONTAINERS_RYUK_DISABLED=true), so the global teardown does it by the label.
 */
/** The part of testcontainers' dockerode client used here (dockerode is its dependency, not ours). */
interface Docker {
  listContainers(options: { all: boolean; filters: { label: string[] } }): Promise<Array<{ Id: string }>>;
  getContainer(id: string): { remove(options: { force: boolean; v: boolean }): Promise<unknown> };
}

export async function removeSessionContainers(sessionId: string): Promise<number> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  const client = await getContainerRuntimeClient();
  const docker = (client.container as unknown as { dockerode: Docker }).dockerode;
  const left = await docker.listContainers({
    all: true,
    filters: { label: [`org.testcontainers.session-id=${sessionId}`] },
  });
  await Promise.allSettled(left.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })));
  return left.length;
}
