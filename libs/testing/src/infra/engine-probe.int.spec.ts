import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { probeContainerEngine } from './engine';
import { chooseProvider } from './provider';

// `auto` decides with testcontainers' own engine discovery (engine.ts). A fake engine that speaks
// just enough of the Docker API on a unix socket, named by DOCKER_HOST as a real one would be,
// proves that the real probe sees it and that auto then picks the containers provider.
const dir = mkdtempSync(path.join(tmpdir(), 'carebridge-fake-engine-'));
const socket = path.join(dir, 'docker.sock');
const requests: string[] = [];
let server: Server;
const saved = { DOCKER_HOST: process.env.DOCKER_HOST, TESTCONTAINERS_HOST_OVERRIDE: process.env.TESTCONTAINERS_HOST_OVERRIDE };

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url?.replace(/^\/v[\d.]+/, '')}`);
    const route = req.url?.replace(/^\/v[\d.]+/, '').split('?')[0];
    res.setHeader('content-type', 'application/json');
    if (route === '/_ping') return void res.end('OK');
    if (route === '/info') {
      return void res.end(
        JSON.stringify({ ServerVersion: '99.0-fake', OperatingSystem: 'Fake Engine', OSType: 'linux', Architecture: 'x86_64', NCPU: 2, MemTotal: 1, Labels: [] }),
      );
    }
    if (route === '/version') return void res.end(JSON.stringify({ Version: '99.0-fake', ApiVersion: '1.41' }));
    res.statusCode = 404;
    res.end(JSON.stringify({ message: `not in the fake engine: ${route}` }));
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  process.env.DOCKER_HOST = `unix://${socket}`;
  // Inside a container (/.dockerenv) testcontainers would ask the engine for the bridge gateway.
  process.env.TESTCONTAINERS_HOST_OVERRIDE = '127.0.0.1';
});

afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

it('auto picks containers when the engine named by DOCKER_HOST answers', async () => {
  const choice = await chooseProvider('auto', probeContainerEngine);

  expect(choice).toEqual({
    provider: 'containers',
    reason: 'auto: a container engine answers (Fake Engine 99.0-fake, containers reached at 127.0.0.1)',
  });
  expect(requests).toContain('GET /info');
});
