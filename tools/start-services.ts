/**
 * `npm start -- --profile distributed`: each service found at apps/<name>/src/main.ts in its own
 * process on the local PostgreSQL, Kafka and Redis, plus a development gateway on one port that
 * serves them as the embedded profile does: `/<service>/...` proxied to the service (prefix
 * stripped), `/health`, `/dev/token` and the demo pharmacy's `/dev/pharmacies/:ncpdpId/messages`
 * (reading the real pharmacy topic). The clinic is seeded through the gateway (unless --no-seed),
 * the tokens file names the gateway and the database, and `npm run tour` works against either
 * profile. Ctrl-C stops everything.
 *
 *   npm start -- --profile distributed [--port 3000] [--no-seed]
 *
 * Service ports: 3001, 3002, ... in alphabetical order unless PORT_<NAME> is set; metrics ports
 * 9464, 9465, ... (METRICS_PORT_BASE). SERVICE_NODE_ARGS adds Node flags to each service process
 * (`--cpu-prof --cpu-prof-dir=<dir>` to profile them: they write it when they stop).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest, type Server } from 'node:http';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { createKafka } from '@carebridge/messaging';
import { HUMAN_ROLES } from '@carebridge/platform';
import { DemoPharmacy } from './embedded/demo-pharmacy';
import { createDevAccess, mountDevTokenRoute, seedTokens, writeTokensFile } from './embedded/dev-access';
import { developmentKeys } from './embedded/dev-keys';
import { seedClinic } from './embedded/seed';

const root = path.join(__dirname, '..');
const appsDir = path.join(root, 'apps');
const services = existsSync(appsDir)
  ? readdirSync(appsDir)
      .filter((name) => existsSync(path.join(appsDir, name, 'src', 'main.ts')))
      .sort()
  : [];

const env = {
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carebridge',
  KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  // No collector runs locally: tracing is off (no spans); correlation ids still link logs, events and messages.
  TRACE_EXPORTER: process.env.TRACE_EXPORTER ?? (process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none'),
};

// Node flags for every service process, e.g. `--cpu-prof --cpu-prof-dir=prof` (not allowed in NODE_OPTIONS).
const serviceNodeArgs = (process.env.SERVICE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

const say = (message: string) => console.log(`[carebridge] ${message}`);
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

interface Running {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
}

/** `/<service>/rest` -> http://127.0.0.1:<port>/rest, streamed both ways. */
function proxyTo(port: number, prefix: string): express.RequestHandler {
  return (req, res) => {
    const upstream = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: req.originalUrl.slice(prefix.length) || '/', headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (res.headersSent) return void res.destroy(error);
      res.status(502).type('application/problem+json').json({ title: 'Bad gateway', status: 502, detail: `${prefix.slice(1)}: ${error.message}` });
    });
    req.pipe(upstream);
  };
}

async function waitReady(service: Running, deadline: number): Promise<void> {
  for (;;) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited (${service.child.exitCode}) before it was ready`);
    try {
      const ready = await fetch(`http://127.0.0.1:${service.port}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (ready.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${service.name} not ready on port ${service.port} after the deadline`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main(): Promise<void> {
  if (services.length === 0) {
    say('no services: apps/<service>/src/main.ts appear as the service issues land.');
    return;
  }
  const gatewayPort = Number(arg('port') ?? process.env.PORT ?? 3000);
  // External identity provider (JWKS_URL/JWKS_JSON set): no development tokens, no seed.
  const external = Boolean(process.env.JWKS_URL || process.env.JWKS_JSON);
  const access = external ? undefined : await createDevAccess();
  const devKeys = developmentKeys(path.join(root, '.data', 'dev-keys'));
  say(`starting ${services.length} services on PostgreSQL ${env.DATABASE_URL}, Kafka ${env.KAFKA_BROKERS}, Redis ${env.REDIS_URL}`);

  const running: Running[] = services.map((name, i) => {
    const port = Number(process.env[`PORT_${name.toUpperCase().replace(/-/g, '_')}`] ?? 3001 + i);
    const metricsPort = String(Number(process.env.METRICS_PORT_BASE ?? 9464) + i);
    const child = spawn(process.execPath, [...serviceNodeArgs, '-r', '@swc-node/register', path.join(appsDir, name, 'src', 'main.ts')], {
      cwd: root,
      env: {
        ...process.env,
        ...env,
        ...access?.serviceEnv,
        ...devKeys,
        PORT: String(port),
        METRICS_PORT: metricsPort,
        SWC_NODE_PROJECT: 'tsconfig.json',
        SERVICE_NAME: name,
      },
      // The service writes its own output (JSON lines naming the service) to this terminal: piping
      // it through this process to print it again cost a second JSON line's CPU per request.
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const prefix = `[${name}] `;
    child.on('exit', (code, signal) => console.log(`${prefix}exited (${signal ?? code})`));
    say(`${name} on http://127.0.0.1:${port} (metrics http://127.0.0.1:${metricsPort}/metrics)`);
    return { name, port, child };
  });

  let gateway: Server | undefined;
  const pharmacy = new DemoPharmacy();
  let stopping = false;
  let failed = false;
  const stop = (signal: string, failure = false) => {
    failed ||= failure;
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping services (SIGTERM; they finish in-flight work)`);
    gateway?.close();
    void pharmacy.stop().catch(() => undefined);
    running.forEach((s) => s.child.kill('SIGTERM'));
    setTimeout(() => {
      say('services still running after 30 s: SIGKILL');
      running.forEach((s) => s.child.kill('SIGKILL'));
    }, 30_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  let alive = running.length;
  for (const s of running) {
    s.child.on('exit', () => {
      if (!stopping) stop(`${s.name} exited`, true);
      if (--alive === 0) process.exit(failed ? 1 : 0);
    });
  }

  try {
    await serve(running, pharmacy, gatewayPort, access, (server) => (gateway = server));
  } catch (error) {
    stop('start failed', true);
    throw error;
  }
}

async function serve(
  running: readonly Running[],
  pharmacy: DemoPharmacy,
  gatewayPort: number,
  access: Awaited<ReturnType<typeof createDevAccess>> | undefined,
  onListening: (server: Server) => void,
): Promise<void> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'up', profile: 'distributed', services: running.map((s) => ({ name: s.name, ready: `/${s.name}/health/ready`, port: s.port })) });
  });
  if (access) mountDevTokenRoute(app, access.mint);
  pharmacy.mount(app);
  for (const s of running) app.use(`/${s.name}`, proxyTo(s.port, `/${s.name}`));
  onListening(
    await new Promise<Server>((resolve, reject) => {
      const server = app.listen(gatewayPort, '127.0.0.1', () => resolve(server));
      server.on('error', reject);
    }),
  );
  const url = `http://127.0.0.1:${gatewayPort}`;

  const deadline = Date.now() + Number(process.env.CAREBRIDGE_START_TIMEOUT_MS ?? 180_000);
  await Promise.all(running.map((s) => waitReady(s, deadline)));
  const readyMs = performance.now();
  await pharmacy.start(createKafka({ brokers: env.KAFKA_BROKERS.split(','), clientId: 'demo-pharmacy' }));

  if (access && !process.argv.includes('--no-seed')) {
    say(`seed data: ${await seedClinic(url, seedTokens(access.mint), say)}`);
  }
  if (access) await writeTokensFile(root, access.mint, { url, databaseUrl: env.DATABASE_URL });

  say(`ready in ${(readyMs / 1000).toFixed(1)} s, ${running.length} service processes — gateway ${url}`);
  for (const s of running) say(`  ${s.name.padEnd(20)} ${url}/${s.name}/docs/   (direct http://127.0.0.1:${s.port})`);
  say(`  platform health      ${url}/health`);
  if (access) {
    say(`  development tokens   curl '${url}/dev/token?role=patient'   (roles: ${HUMAN_ROLES.join(', ')}) or tmp/dev-tokens.json`);
  }
  say(`  guided tour          npm run tour`);
  say('Ctrl-C stops (data stays in PostgreSQL, Kafka and Redis; `npm run infra:down` stops those).');
}

main().catch((error) => {
  process.stderr.write(`[carebridge] start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
