import { randomUUID } from 'node:crypto';
import { createTestSchema, type TestSchema } from '@carebridge/testing';
import type { EventMetadata } from '../event-store.port';
import { migrate } from './event-store.migrations';
import { PostgresEventStore } from './postgres-event-store';
import { Projection } from './projection';

const metadata: EventMetadata = { actor: { id: 'p', role: 'provider' }, correlationId: 'c', occurredAt: '2026-11-22T10:00:00.000Z' };
let db: TestSchema;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestSchema('projection');
  await migrate(db.pool, db.schema);
  await db.pool.query(`CREATE TABLE "${db.schema}".slot_counts (stream_id text PRIMARY KEY, events int NOT NULL)`);
  store = new PostgresEventStore(db.pool, db.schema);
});
afterAll(async () => {
  await db.dispose();
});

const counting = (name: string, fail?: () => boolean) =>
  new Projection({
    name,
    store,
    pool: db.pool,
    handle: async (events, client) => {
      for (const event of events) {
        await client.query(
          `INSERT INTO "${db.schema}".slot_counts VALUES ($1, 1)
           ON CONFLICT (stream_id) DO UPDATE SET events = slot_counts.events + 1`,
          [event.streamId],
        );
        if (fail?.()) throw new Error('read model write failed');
      }
    },
  });

const counts = async () =>
  Object.fromEntries(
    (await db.pool.query(`SELECT stream_id, events FROM "${db.schema}".slot_counts ORDER BY 1`)).rows.map((r) => [r.stream_id, r.events]),
  );

describe('projection', () => {
  it('applies each event exactly once across two replicas, and a failed batch is retried whole', async () => {
    let failures = 1;
    const a = counting('slot-counts', () => failures-- > 0);
    const b = counting('slot-counts');
    a.start();
    b.start();
    try {
      let last = 0;
      for (let i = 0; i < 40; i++) {
        const result = await store.append(`slot-${i % 4}`, 'any', [{ id: randomUUID(), type: 'SlotHeld', data: {} }], metadata);
        last = result.events[0]!.globalPosition;
      }
      await a.waitFor(last);
      await b.waitFor(last);
      expect(await counts()).toEqual({ 'slot-0': 10, 'slot-1': 10, 'slot-2': 10, 'slot-3': 10 });
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('waitFor gives read-your-writes after a command', async () => {
    const p = counting('slot-counts-2');
    p.start();
    try {
      const result = await store.append('slot-x', 'any', [{ id: randomUUID(), type: 'SlotHeld', data: {} }], metadata);
      await p.waitFor(result.events[0]!.globalPosition);
      const { rows } = await db.pool.query(
        `SELECT position FROM "${db.schema}".projection_checkpoints WHERE projection_name = 'slot-counts-2'`,
      );
      expect(Number(rows[0].position)).toBeGreaterThanOrEqual(result.events[0]!.globalPosition);
    } finally {
      await p.stop();
    }
  });

  it('runs an effect with no transaction held, moves the checkpoint after it, and retries a failed batch', async () => {
    const seen: string[] = [];
    let failures = 1;
    const effect = new Projection({
      name: `effects-${randomUUID()}`,
      store,
      pool: db.pool,
      onError: () => undefined,
      effect: async (events) => {
        // No transaction of the projection is open here: a session on the same pool sees the
        // checkpoint row unlocked (FOR UPDATE NOWAIT would fail inside a handle()).
        await db.pool.query(`SELECT position FROM "${db.schema}".projection_checkpoints FOR UPDATE NOWAIT`);
        if (failures-- > 0) throw new Error('queue unreachable');
        seen.push(...events.map((e) => e.streamId));
      },
    });
    const stream = `effect-${randomUUID()}`;
    const first = await store.append(stream, 'any', [{ id: randomUUID(), type: 'SlotHeld', data: {} }], metadata);
    effect.start();
    try {
      await effect.waitFor(first.events[0]!.globalPosition, 10_000);
      expect(seen.filter((s) => s === stream)).toEqual([stream]);
    } finally {
      await effect.stop();
    }
    expect(() => new Projection({ name: 'x', store, pool: db.pool })).toThrow(/exactly one of handle and effect/);
  });
});
