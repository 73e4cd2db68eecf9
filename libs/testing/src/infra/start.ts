import { containersProvider } from './containers-provider';
import { probeContainerEngine } from './engine';
import { localProvider } from './local-provider';
import type { EngineProbe, Progress, StartedInfra } from './provider';
import { chooseProvider, parseInfraSetting } from './provider';

/** Chooses the provider from CAREBRIDGE_TEST_INFRA (and the engine probe for `auto`) and starts it. */
export async function startTestInfra(
  env: NodeJS.ProcessEnv,
  progress: Progress,
  probe: EngineProbe = probeContainerEngine,
): Promise<StartedInfra> {
  const choice = await chooseProvider(parseInfraSetting(env.CAREBRIDGE_TEST_INFRA), probe);
  progress(`provider: ${choice.provider} (${choice.reason})`);
  const provider = choice.provider === 'containers' ? containersProvider : localProvider;
  return provider.start(progress);
}
