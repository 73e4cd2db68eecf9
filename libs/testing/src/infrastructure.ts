import { randomBytes } from 'node:crypto';
import { Pool, type PoolConfig } from 'pg';
import { hangTimeouts, scaled, timeFactor } from './timeouts';

/** Where the real servers started by `npm run infra:up` listen; overridable by environment. */
export const testInfrastructure = {
  databaseUrl: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carebridge_test',
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

export interface TestSchema {
  readonly pool: Pool;
  readonly schema: string;
  /** Another schema name owned by this test file (dropped by dispose); not created here. */
  sibling(suffix: string): string;
  /** Drops the schema and its siblings and closes the pool. */
  dispose(): Promise<void>;
}

/** A fresh PostgreSQL schema for one test file, so files can run in parallel without sharing rows. */
export async function createTestSchema(prefix = 't', poolConfig: PoolConfig = {}): Promise<TestSchema> {
  const schema = `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40)}_${randomBytes(4).toString('hex')}`;
  const pool = new Pool({ connectionString: testInfrastructure.databaseUrl, max: 20, ...poolConfig });
  await pool.query(`CREATE SCHEMA "${schema}"`);
  const owned = [schema];
  return {
    pool,
    schema,
    sibling(suffix: string) {
      const name = `${schema}_${suffix}`;
      owned.push(name);
      return name;
    },
    async dispose() {
      for (const name of owned) {
        await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`).catch(() => undefined);
      }
      await pool.end();
    },
  };
}

/** A unique name for Kafka topics and consumer groups of one test. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs` times
 * CAREBRIDGE_TEST_TIME_FACTOR, and never before hangTimeouts.eventually (timeouts.ts): the limit
 * catches a hang, it does not judge speed, so a caller's shorter limit (written on a quiet machine)
 * does not fail a loaded one. Only for what must happen, never to show that something does not.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = hangTimeouts.eventually / timeFactor, intervalMs = 25, what = 'condition' } = {},
): Promise<T> {
  const limitMs = Math.max(scaled(timeoutMs), hangTimeouts.eventually);
  const deadline = Date.now() + limitMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${limitMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A topic name that follows the naming scheme and is unique to one test. */
export function uniqueTopic(aggregate = 'tick'): string {
  return `carebridge.test-${Date.now().toString(36)}${randomBytes(3).toString('hex')}.${aggregate}.v1`;
}
