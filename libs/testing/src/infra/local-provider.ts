import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Progress, StartedInfra, TestEndpoints, TestInfraProvider } from './provider';
import { TestInfraError } from './provider';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** The endpoints deploy/local serves, as the tests have always read them (overridable by environment). */
export function localEndpoints(env: NodeJS.ProcessEnv): TestEndpoints {
  return {
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carebridge',
    testDatabaseUrl: env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carebridge_test',
    kafkaBrokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}

/**
 * deploy/local/infra.sh up: starts whatever of PostgreSQL, Redis and the Kafka broker is down and
 * reuses what runs (it is idempotent and takes a lock), creating the carebridge and carebridge_test
 * databases. Servers are shared with the developer's other runs, so stop() leaves them running.
 */
export const localProvider: TestInfraProvider = {
  name: 'local',
  async start(progress: Progress): Promise<StartedInfra> {
    await runInfraUp(progress);
    return { provider: 'local', endpoints: localEndpoints(process.env), stop: async () => undefined };
  },
};

function runInfraUp(progress: Progress): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(REPO_ROOT, 'deploy/local/infra.sh'), 'up'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const forward = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4_000);
      for (const line of chunk.toString().split('\n')) if (line.trim()) progress(line);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', (error) => reject(new TestInfraError('TEST_INFRA_START_FAILED', `cannot run infra.sh: ${error.message}`)));
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(
            new TestInfraError(
              'TEST_INFRA_START_FAILED',
              `deploy/local/infra.sh up failed (${signal ?? `exit ${code}`}); on a machine with a container engine use ` +
                `CAREBRIDGE_TEST_INFRA=containers.\n${tail}`,
            ),
          ),
    );
  });
}
