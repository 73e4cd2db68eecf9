import { randomUUID } from 'node:crypto';
import { createTestSchema, type TestSchema } from '@carebridge/testing';
import { migrate } from './event-store.migrations';
import { PostgresEventStore } from './postgres-event-store';

/**
 * A stream's versions follow its events' global positions. Positions were reserved before the
 * stream's row was locked, so two appends to one stream with `any` (the access recorder, reading
 * intake) could take versions in the opposite order of their positions: the relay, reading by
 * position, then published a stream's later event first (seen under load by the appendMany test).
 */
describe('postgres event store: stream order = global order under concurrent appends', () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema('es_stream_order');
  });
  afterAll(() => db.dispose());

  it.each([
    ['group commit', {}],
    ['one statement per append', { concurrentWrites: 0 }],
  ])('keeps versions in position order when writers race on one stream with any (%s)', async (_name, options) => {
    const schema = db.sibling(randomUUID().slice(0, 8));
    await migrate(db.pool, schema);
    const store = new PostgresEventStore(db.pool, schema, options);
    const metadata = { actor: { id: 'writer', role: 'system' as const }, correlationId: randomUUID(), occurredAt: new Date().toISOString() };
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        for (let i = 0; i < 25; i++) await store.append('hot', 'any', [{ id: randomUUID(), type: 'Tick', data: { i } }], metadata);
      }),
    );
    const events = await store.readStream('hot');
    expect(events).toHaveLength(300);
    const inversions = events.filter((e, i) => i > 0 && e.globalPosition < events[i - 1]!.globalPosition);
    expect(inversions.map((e) => e.streamVersion)).toEqual([]);
  });
});
