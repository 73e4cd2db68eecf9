import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { testInfrastructure } from '@carebridge/testing';

// The Kubernetes migration Job runs each service's image with MIGRATE_ONLY=true (deploy/README.md):
// the service must migrate an empty database, then exit 0 without serving or consuming.
const REPO_ROOT = path.resolve(__dirname, '../../..');
const services = readdirSync(path.join(REPO_ROOT, 'apps')).filter((name) =>
  existsSync(path.join(REPO_ROOT, 'apps', name, 'src', 'main.ts')),
);
const database = `carebridge_migrate_${randomBytes(3).toString('hex')}`;
const admin = () => new Client({ connectionString: testInfrastructure.databaseUrl });
const urlOf = (db: string) => testInfrastructure.databaseUrl.replace(/\/[^/?]+(\?|$)/, `/${db}$1`);

beforeAll(async () => {
  const client = admin();
  await client.connect();
  await client.query(`CREATE DATABASE ${database}`);
  await client.end();
});
afterAll(async () => {
  const client = admin();
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await client.end();
});

// The child is awaited however long a loaded machine takes; only a hang (jest's timeout) ends it.
let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe.each(services)('%s with MIGRATE_ONLY=true', (service) => {
  it('migrates an empty database and exits 0', async () => {
    child = spawn(process.execPath, ['-r', '@swc-node/register', path.join('apps', service, 'src', 'main.ts')], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: 'tsconfig.json',
        MIGRATE_ONLY: 'true',
        DATABASE_URL: urlOf(database),
        KAFKA_BROKERS: testInfrastructure.kafkaBrokers.join(','),
        REDIS_URL: testInfrastructure.redisUrl,
        PORT: '8080', // validated, never listened on in this mode
        JWT_ISSUER: 'https://issuer.test/',
        JWT_AUDIENCE: 'carebridge-api',
        JWKS_JSON: '{"keys":[]}',
        TRACE_EXPORTER: 'none',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect({ code, stderr: stderr.slice(-2_000) }).toMatchObject({ code: 0 });

    const client = new Client({ connectionString: urlOf(database) });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT count(*)::int AS applied FROM ${service.replace(/-/g, '_')}.event_store_migrations`,
      );
      expect(rows[0].applied).toBeGreaterThanOrEqual(3);
    } finally {
      await client.end();
    }
  });
});
