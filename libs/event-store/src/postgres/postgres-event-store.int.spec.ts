import { randomUUID } from 'node:crypto';
import { createTestSchema, type TestSchema } from '@carebridge/testing';
import type { Command, Decider, Event } from '@carebridge/shared-kernel';
import { verifyAuditTrail } from '../audit';
import { handleMany, streamStep } from '../handle';
import { WrongExpectedVersionError } from '../event-store.port';
import { eventStoreContract } from '../testing/event-store.contract';
import { migrate } from './event-store.migrations';
import { PostgresEventStore } from './postgres-event-store';

let db: TestSchema;
let counter = 0;
const clients: { release(): void }[] = [];

beforeAll(async () => {
  db = await createTestSchema('es_contract');
});
afterAll(async () => {
  clients.forEach((client) => client.release());
  await db.dispose();
});

eventStoreContract('postgres', async () => {
  // A schema per test keeps the contract's "fresh store" promise without truncating (the table refuses it).
  const schema = db.sibling(String(++counter));
  await migrate(db.pool, schema);
  return new PostgresEventStore(db.pool, schema);
});

eventStoreContract('postgres, one statement per append (group commit off)', async () => {
  const schema = db.sibling(String(++counter));
  await migrate(db.pool, schema);
  return new PostgresEventStore(db.pool, schema, { concurrentWrites: 0 });
});

eventStoreContract('postgres, on a client of the caller', async () => {
  const schema = db.sibling(String(++counter));
  await migrate(db.pool, schema);
  // Statements run in autocommit on a pool-like client wrapper: one connection, no group commit.
  // The previous test's client goes back first: holding one per test would drain the pool (20).
  clients.splice(0).forEach((held) => held.release());
  const client = await db.pool.connect();
  clients.push(client);
  return new PostgresEventStore(db.pool, schema).withClient(client);
});

describe('appendMany on PostgreSQL', () => {
  const metadata = { actor: { id: 'ops-1', role: 'ops' as const }, correlationId: 'corr-1', occurredAt: '2026-12-07T10:00:00.000Z' };
  const event = (type = 'A') => ({ id: randomUUID(), type, data: {} });
  // Decides `n` events, whatever the state: enough to drive handleMany.
  const counting: Decider<Command<'Count', { n: number }>, Event<'Counted'>, null> = {
    initialState: () => null,
    evolve: (state) => state,
    decide: (command) => Array.from({ length: command.data.n }, () => ({ type: 'Counted' as const, data: {} })),
  };
  const commandMetadata = { now: new Date('2026-12-07T10:00:00Z'), actor: { id: 'ops-1', role: 'ops' as const }, correlationId: 'corr-1' };

  it('joins the caller’s transaction under a savepoint: a refused write leaves it usable, and rolls back with it', async () => {
    const schema = db.sibling(String(++counter));
    await migrate(db.pool, schema);
    const store = new PostgresEventStore(db.pool, schema);
    await store.append('tx-b', 'no-stream', [event()], metadata);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const inTx = store.withClient(client);
      await inTx.append('tx-own', 'no-stream', [event()], metadata);
      await expect(
        inTx.appendMany([
          { streamId: 'tx-a', expected: 'no-stream', events: [event()], metadata },
          { streamId: 'tx-b', expected: 'no-stream', events: [event()], metadata },
        ]),
      ).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await inTx.appendMany([
        { streamId: 'tx-a', expected: 'no-stream', events: [event()], metadata },
        { streamId: 'tx-b', expected: 1, events: [event()], metadata },
      ]);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await store.readStream('tx-own')).toEqual([]);
    expect(await store.readStream('tx-a')).toEqual([]);
    expect(await store.readStream('tx-b')).toHaveLength(1);
  });

  it('in one statement: all or none, and concurrent large writers never exhaust serialization retries', async () => {
    const schema = db.sibling(String(++counter));
    await migrate(db.pool, schema);
    const store = new PostgresEventStore(db.pool, schema);
    await store.append('one-b', 'no-stream', [event()], metadata);
    await expect(
      store.appendMany([
        { streamId: 'one-a', expected: 'no-stream', events: [event()], metadata },
        { streamId: 'one-b', expected: 'no-stream', events: [event()], metadata },
      ]),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(await store.readStream('one-a')).toEqual([]);
    const results = await store.appendMany([
      { streamId: 'one-b', expected: 1, events: [event('B')], metadata },
      { streamId: 'one-a', expected: 'no-stream', events: [event('A'), event('A')], metadata },
    ]);
    expect(results.map((r) => [r.nextExpectedVersion, r.events.map((e) => e.type)])).toEqual([
      [2, ['B']],
      [2, ['A', 'A']],
    ]);
    // Four writers at once, each a 500-event part and a small part: as the readings ingest writes.
    await Promise.all(
      Array.from({ length: 4 }, async (_, w) => {
        for (let k = 0; k < 5; k++) {
          await store.appendMany([
            { streamId: `bulk-${w}-${k}`, expected: 'any', events: Array.from({ length: 500 }, () => event()), metadata },
            { streamId: `small-${w}-${k}`, expected: 'no-stream', events: [event()], metadata },
          ]);
        }
      }),
    );
    await store.settled();
    expect(await store.readAll(0, 100_000)).toHaveLength(1 + 3 + 4 * 5 * 501);
  });

  it('keeps every hash chain and stream head verifiable after concurrent atomic writes', async () => {
    const schema = db.sibling(String(++counter));
    await migrate(db.pool, schema);
    const store = new PostgresEventStore(db.pool, schema);
    // As handleMany writes: each stream with the version it read, three writers per day stream.
    await Promise.all(
      Array.from({ length: 12 }, async (_, w) => {
        for (let k = 0; k < 5; k++) {
          await handleMany(store, [
            streamStep(`day-${w % 3}`, counting, { type: 'Count', data: { n: 1 }, metadata: commandMetadata }),
            streamStep(`appointment-${w}-${k}`, counting, { type: 'Count', data: { n: 2 }, metadata: commandMetadata }),
          ]);
        }
      }),
    );
    await store.settled();
    const all = await store.readAll(0, 1_000);
    expect(all).toHaveLength(12 * 5 * 3);
    expect((await store.readStream('day-0')).map((e) => e.streamVersion)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const report = await verifyAuditTrail(store.withClient(client));
      await client.query('COMMIT');
      expect(report.ok).toBe(true);
    } finally {
      client.release();
    }
  });
});
