/**
 * Starts each service found at apps/<name>/src/main.ts in its own process, with the local
 * infrastructure's addresses, prefixes their output with the service name and stops them
 * all on Ctrl-C. Ports: 3001, 3002, ... in alphabetical order unless PORT_<NAME> is set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DevTokenIssuer } from '@carebridge/platform';

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
  // No collector runs locally: trace ids still flow through logs and Kafka headers, nothing is exported.
  TRACE_EXPORTER: process.env.TRACE_EXPORTER ?? (process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none'),
};

if (services.length === 0) {
  console.log(`[start] infrastructure is up: PostgreSQL ${env.DATABASE_URL}, Kafka ${env.KAFKA_BROKERS}, Redis ${env.REDIS_URL}`);
  console.log('[start] no services yet: apps/<service>/src/main.ts appear as the service issues land.');
  console.log('[start] `npm test` runs the foundation test suite; `npm run bench:event-store` measures the event store.');
  process.exit(0);
}

/**
 * No identity provider runs locally: one development key pair signs tokens for every role, and
 * every service trusts its public key (JWKS_JSON). Tokens are written to tmp/dev-tokens.json.
 */
async function devAuth(): Promise<Record<string, string>> {
  if (process.env.JWKS_URL || process.env.JWKS_JSON) return {};
  const issuer = await DevTokenIssuer.create({ issuer: 'https://dev.carebridge.local/', audience: 'carebridge-api' });
  const ids = { patient: randomUUID(), provider: randomUUID(), pharmacy: randomUUID(), payer: randomUUID(), ops: randomUUID() };
  const tokens = {
    patient: await issuer.mint({ sub: ids.patient, role: 'patient', patientId: ids.patient }, { expiresIn: '12h' }),
    provider: await issuer.mint({ sub: ids.provider, role: 'provider', providerId: ids.provider }, { expiresIn: '12h' }),
    pharmacy: await issuer.mint({ sub: ids.pharmacy, role: 'pharmacy', pharmacyId: ids.pharmacy }, { expiresIn: '12h' }),
    payer: await issuer.mint({ sub: ids.payer, role: 'payer' }, { expiresIn: '12h' }),
    ops: await issuer.mint({ sub: ids.ops, role: 'ops' }, { expiresIn: '12h' }),
  };
  mkdirSync(path.join(root, 'tmp'), { recursive: true });
  const file = path.join(root, 'tmp', 'dev-tokens.json');
  writeFileSync(file, JSON.stringify({ ids, tokens }, null, 2) + '\n');
  console.log(`[start] development tokens (12 h) for patient, provider, pharmacy, payer, ops: ${path.relative(process.cwd(), file)}`);
  console.log(`[start]   curl -H "authorization: Bearer $(node -p "require('./tmp/dev-tokens.json').tokens.patient")" ...`);
  return { JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: issuer.audience, JWKS_JSON: JSON.stringify(issuer.jwks()) };
}

async function main(): Promise<void> {
  const auth = await devAuth();
  const children: ChildProcess[] = [];
  services.forEach((name, i) => {
    const port = process.env[`PORT_${name.toUpperCase().replace(/-/g, '_')}`] ?? String(3001 + i);
  const metricsPort = String(9464 + i);
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(appsDir, name, 'src', 'main.ts')], {
      cwd: root,
      env: { ...process.env, ...env, ...auth, PORT: port, METRICS_PORT: metricsPort, SWC_NODE_PROJECT: 'tsconfig.json', SERVICE_NAME: name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = `[${name}] `;
    for (const stream of [child.stdout!, child.stderr!]) {
      let buffered = '';
      stream.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) console.log(prefix + line);
      });
    }
    child.on('exit', (code, signal) => console.log(`${prefix}exited (${signal ?? code})`));
    console.log(`[start] ${name} on http://127.0.0.1:${port} (health: /health/ready, metrics: http://127.0.0.1:${metricsPort}/metrics)`);
    children.push(child);
  });

  let running = children.length;
  for (const child of children) {
    child.on('exit', () => {
      if (--running === 0) process.exit(0);
    });
  }
  const stop = () => {
    console.log('[start] stopping services (SIGTERM; they finish in-flight work)');
    children.forEach((child) => child.kill('SIGTERM'));
    setTimeout(() => {
      console.log('[start] services still running after 30 s: SIGKILL');
      children.forEach((child) => child.kill('SIGKILL'));
    }, 30_000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
