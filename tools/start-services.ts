/**
 * `npm start -- --profile distributed`: each service found at apps/<name>/src/main.ts in its own
 * process on the local PostgreSQL, Kafka and Redis, plus a development gateway on one port that
 * serves them as the embedded profile does: `/<service>/...` proxied to the service (prefix
 * stripped), `/health`, `/dev/token` and the demo pharmacy's `/dev/pharmacies/:ncpdpId/messages`
 * (reading the real pharmacy topic). The clinic is seeded through the gateway (unless --no-seed),
 * the tokens file names the gateway and the database, and `npm run tour` works against either
 * profile. Each service is supervised: a process that exits is logged and restarted with a backoff
 * while the others keep running, and the gateway answers 503 (Retry-After) for a service that is
 * down. Ctrl-C stops everything.
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
import { createKafka, shortestConsumerSession } from '@carebridge/messaging';
import { devTokensAllowed, HUMAN_ROLES, ProcessSupervisor } from '@carebridge/platform';
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
  readonly supervisor: ProcessSupervisor;
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
    upstream.on('error', (error: Error & { code?: string }) => {
      if (res.headersSent) return void res.destroy(error);
      // Refused: the service is down (its supervisor restarts it). Reset before an answer: it died
      // with the request in flight (SIGKILL, a crash). Either way a client may retry (the same
      // Idempotency-Key applies a command once), so 503 with Retry-After, as for a service that is down.
      if (error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' || error.code === 'EPIPE') {
        res.setHeader('retry-after', '2');
        res.status(503).type('application/problem+json').json({
          type: 'https://carebridge.dev/problems/gateway/service_unavailable',
          title: 'Service Unavailable',
          status: 503,
          code: 'GATEWAY.SERVICE_UNAVAILABLE',
          detail: `${prefix.slice(1)} is restarting; retry shortly`,
        });
        return;
      }
      res.status(502).type('application/problem+json').json({ title: 'Bad gateway', status: 502, detail: `${prefix.slice(1)}: ${error.message}` });
    });
    req.pipe(upstream);
  };
}

async function waitReady(service: Running, deadline: number): Promise<void> {
  for (;;) {
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
  // Development tokens only with CAREBRIDGE_DEV_TOKENS=true (tools/start.sh sets it on a developer
  // machine), never with NODE_ENV=production or an identity provider (issue 14). Otherwise the
  // identity provider's JWKS_URL/JWKS_JSON: no development tokens, no seed.
  const access = devTokensAllowed(process.env) ? await createDevAccess(path.join(root, '.data', 'dev-keys')) : undefined;
  if (!access && !process.env.JWKS_URL && !process.env.JWKS_JSON) {
    throw new Error('development tokens are off (they need CAREBRIDGE_DEV_TOKENS=true, never with NODE_ENV=production): set CAREBRIDGE_DEV_TOKENS=true on a developer machine, or JWKS_URL, JWT_ISSUER and JWT_AUDIENCE of an identity provider');
  }
  const devKeys = developmentKeys(path.join(root, '.data', 'dev-keys'));
  // Consumer sessions as short as the broker allows (our local brokers: 1 s; floor 3 s), so a member
  // lost with a broker restart holds its group's rebalance 3 s instead of 6 (issue 21). Services and
  // the demo pharmacy read it when they make their consumers.
  if (process.env.KAFKA_CONSUMER_SESSION_TIMEOUT_MS === undefined) {
    const session = await shortestConsumerSession(createKafka({ brokers: env.KAFKA_BROKERS.split(','), clientId: 'carebridge-start', logLevel: 'nothing' }));
    if (session !== undefined) process.env.KAFKA_CONSUMER_SESSION_TIMEOUT_MS = String(session);
  }
  say(`consumer group sessions: ${process.env.KAFKA_CONSUMER_SESSION_TIMEOUT_MS ?? 6_000} ms`);
  say(`starting ${services.length} services on PostgreSQL ${env.DATABASE_URL}, Kafka ${env.KAFKA_BROKERS}, Redis ${env.REDIS_URL}`);

  const running: Running[] = services.map((name, i) => {
    const port = Number(process.env[`PORT_${name.toUpperCase().replace(/-/g, '_')}`] ?? 3001 + i);
    const metricsPort = String(Number(process.env.METRICS_PORT_BASE ?? 9464) + i);
    const start = (): ChildProcess => {
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
      return child;
    };
    const supervisor = new ProcessSupervisor({ name, spawn: start, log: say });
    supervisor.start();
    say(`${name} on http://127.0.0.1:${port} (metrics http://127.0.0.1:${metricsPort}/metrics, pid ${supervisor.child?.pid})`);
    return { name, port, supervisor };
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
    // SIGKILL after 30 s for a service that does not finish in time.
    void Promise.all(running.map((s) => s.supervisor.stop('SIGTERM', 30_000))).then(() => process.exit(failed ? 1 : 0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

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
    res.json({ status: 'up', profile: 'distributed', services: running.map((s) => ({ name: s.name, ready: `/${s.name}/health/ready`, port: s.port, pid: s.supervisor.child?.pid ?? null, restarts: s.supervisor.restarts })) });
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
