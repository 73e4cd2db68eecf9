import { randomUUID } from 'node:crypto';
import { createTestSchema, type TestSchema } from '@carebridge/testing';
import type { EventMetadata } from '../event-store.port';
import { migrate } from './event-store.migrations';
import { PostgresEventStore } from './postgres-event-store';

const metadata: EventMetadata = {
  actor: { id: 'system', role: 'system' },
  correlationId: 'gap-test',
  occurredAt: '2026-11-22T10:00:00.000Z',
};
const newEvent = (type = 'Tick') => ({ id: randomUUID(), type, data: { n: 1 } });

let db: TestSchema;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestSchema('es_gapfree', { max: 24 });
  await migrate(db.pool, db.schema);
  store = new PostgresEventStore(db.pool, db.schema);
});
afterAll(async () => {
  await db.dispose();
});

describe('global order without visible gaps', () => {
  it('holds back a later committed event while an earlier position is still in flight', async () => {
    const slow = await db.pool.connect();
    try {
      await slow.query('BEGIN');
      const inFlight = await store.withClient(slow).append('slow-1', 'any', [newEvent('Slow')], metadata);
      const fast = await store.append('fast-1', 'any', [newEvent('Fast')], metadata);
      expect(fast.events[0]!.globalPosition).toBeGreaterThan(inFlight.events[0]!.globalPosition);

      // A naive reader (ORDER BY position) would now see Fast and skip Slow forever.
      const whileOpen = await store.readAll(0, 100);
      expect(whileOpen.map((e) => e.type)).not.toContain('Fast');

      await slow.query('COMMIT');
      await store.settled();
      const afterCommit = await store.readAll(0, 100);
      expect(afterCommit.map((e) => e.type)).toEqual(['Slow', 'Fast']);
    } finally {
      slow.release();
    }
  });

  it('refuses, as retryable, an append from a transaction whose id predates a later reservation', async () => {
    const early = await db.pool.connect();
    try {
      await early.query('BEGIN');
      // The transaction gets its id by writing something else first.
      await early.query(`CREATE TEMP TABLE scratch (x int)`);
      await early.query(`SELECT pg_current_xact_id()`);
      await store.append('other-1', 'any', [newEvent()], metadata);
      await expect(store.withClient(early).append('early-1', 'any', [newEvent()], metadata)).rejects.toMatchObject({
        code: '40001',
      });
      await early.query('ROLLBACK');
      // Retried as a new transaction it succeeds.
      await early.query('BEGIN');
      await store.withClient(early).append('early-1', 'any', [newEvent()], metadata);
      await early.query('COMMIT');
    } finally {
      early.release();
    }
    await store.settled();
    const all = await store.readAll(0, 1_000);
    const positions = all.map((e) => e.globalPosition);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('reports a version conflict inside a caller transaction without aborting it', async () => {
    await store.append('tx-1', 'no-stream', [newEvent()], metadata);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const inTx = store.withClient(client);
      await expect(inTx.append('tx-1', 0, [newEvent()], metadata)).rejects.toMatchObject({ actual: 1 });
      // The transaction is still usable: re-read and append with the right version.
      const current = await inTx.readStream('tx-1');
      await inTx.append('tx-1', current.length, [newEvent()], metadata);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await store.readStream('tx-1')).toHaveLength(2);
  });

  it('a reader following the log during 16 concurrent writers sees every event exactly once, in order', async () => {
    const writers = 16;
    const appendsPerWriter = 60;
    const start = await store.headPosition();
    const written = new Set<string>();
    const seen: { id: string; position: number }[] = [];
    let writing = true;

    const reader = (async () => {
      let position = start;
      for (;;) {
        const batch = await store.readAll(position, 37);
        for (const event of batch) {
          expect(event.globalPosition).toBeGreaterThan(position);
          position = event.globalPosition;
          seen.push({ id: event.eventId, position });
        }
        if (batch.length === 0) {
          if (!writing && seen.length >= written.size) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    })();

    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < appendsPerWriter; i++) {
          const batch = Array.from({ length: 1 + ((w + i) % 4) }, () => newEvent());
          // Some appends go through explicit transactions that commit after a pause, to
          // widen the window in which a later position commits first.
          if (i % 5 === 0) {
            const client = await db.pool.connect();
            try {
              await client.query('BEGIN');
              await store.withClient(client).append(`w-${w}`, 'any', batch, metadata);
              await new Promise((resolve) => setTimeout(resolve, 2));
              await client.query('COMMIT');
            } finally {
              client.release();
            }
          } else {
            await store.append(`w-${w}`, 'any', batch, metadata);
          }
          batch.forEach((e) => written.add(e.id));
        }
      }),
    );
    writing = false;
    await reader;

    expect(seen).toHaveLength(written.size);
    expect(new Set(seen.map((s) => s.id))).toEqual(written);
    const positions = seen.map((s) => s.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });
});
