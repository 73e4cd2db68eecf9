import type { Pool } from 'pg';
import { InfrastructureUnavailableError, isInfrastructureUnavailable } from '@carebridge/shared-kernel';
import type { RecordedEvent } from '../event-store.port';
import type { PostgresEventStore } from './postgres-event-store';
import { Projection, runningProjections, type ProjectionRetry } from './projection';

// Issue 21: a projection whose database is away retried every 1 s, fixed. Now: capped exponential
// backoff from its checkpoint, as the consumers do, one warning per outage and one line on recovery.

/** A pool whose queries fail `failures` times (connection refused), then answer; an empty event log. */
function outage(failures: number) {
  let left = failures;
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  const pool = {
    query: async (sql: string) => {
      if (left > 0) {
        left--;
        throw refused;
      }
      return sql.startsWith('SELECT position') ? { rows: [{ position: '0' }], rowCount: 1 } : { rows: [], rowCount: 0 };
    },
  } as unknown as Pool;
  const store = { schema: 'retry_test', readAll: async (): Promise<RecordedEvent[]> => [] } as unknown as PostgresEventStore;
  return { pool, store, done: () => left === 0 };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('a projection during a database outage', () => {
  it('waits initialMs doubling up to maxMs between attempts, says so once, and once when it reads again', async () => {
    const { pool, store, done } = outage(6);
    const retries: ProjectionRetry[] = [];
    const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
    const projection = new Projection({
      name: 'slots',
      store,
      pool,
      handle: async () => undefined,
      retry: { initialMs: 4, maxMs: 20 },
      onError: (_error, retry) => retries.push(retry),
      logger: {
        warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
        info: (message, fields) => lines.push({ level: 'info', message, fields }),
      },
    });
    projection.start();
    await until(() => done() && projection.stats.failingSince === 0 && lines.length === 2);
    expect(runningProjections()).toContain(projection);
    await projection.stop();
    expect(runningProjections()).not.toContain(projection);

    expect(retries.map((r) => [r.attempt, r.delayMs])).toEqual([
      [1, 4],
      [2, 8],
      [3, 16],
      [4, 20],
      [5, 20],
      [6, 20],
    ]);
    expect(retries[5]!.failingForMs).toBeGreaterThanOrEqual(4 + 8 + 16 + 20 + 20);
    expect(projection.stats.retries).toBe(6);
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['warn', 'projection slots failing; retrying from its checkpoint with backoff'],
      ['info', 'projection slots reading again'],
    ]);
    expect(lines[0]!.fields).toMatchObject({ projection: 'slots', schema: 'retry_test', error: 'connect ECONNREFUSED 127.0.0.1:5432' });
    expect(lines[1]!.fields).toMatchObject({ attempts: 6 });
  });

  it('starts again from initialMs after it recovered', async () => {
    const { pool, store, done } = outage(2);
    const delays: number[] = [];
    const projection = new Projection({
      name: 'appointments',
      store,
      pool,
      handle: async () => undefined,
      retry: { initialMs: 3, maxMs: 50 },
      onError: (_error, retry) => delays.push(retry.delayMs),
      logger: { warn: () => undefined, info: () => undefined },
    });
    projection.start();
    await until(() => done() && projection.stats.failingSince === 0);
    await projection.stop();
    expect(delays).toEqual([3, 6]);
    // Default: 100 ms doubling to 2 s, as the integration consumers.
    const defaults: number[] = [];
    const second = outage(1);
    const p2 = new Projection({ name: 'defaults', store: second.store, pool: second.pool, handle: async () => undefined, onError: (_e, r) => defaults.push(r.delayMs), logger: { warn: () => undefined, info: () => undefined } });
    p2.start();
    await until(() => second.done() && p2.stats.failingSince === 0);
    await p2.stop();
    expect(defaults).toEqual([100]);
  });
});

describe('read-your-writes on a projection that is late', () => {
  it('fails as unavailable (503 with Retry-After at the edge), not as a bug (500)', async () => {
    const { pool, store } = outage(0);
    const projection = new Projection({ name: 'slot-search', store, pool, handle: async () => undefined });
    const late = await projection.waitFor(168, 30).catch((error: unknown) => error);
    expect(late).toBeInstanceOf(InfrastructureUnavailableError);
    expect(isInfrastructureUnavailable(late)).toBe(true);
    expect((late as Error).message).toBe('read-model is unavailable: projection slot-search did not reach position 168 within 30 ms');
  });
});
