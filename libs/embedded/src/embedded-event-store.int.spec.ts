import { Pool } from 'pg';
import { migrate, PostgresEventStore } from '@carebridge/event-store';
import { eventStoreContract } from '../../event-store/src/testing/event-store.contract';
import { spawnEmbeddedPostgres } from './testing/spawn-embedded-postgres';

// The embedded profile runs the same PostgreSQL adapter on PGlite: it must pass the same contract.
let embedded: Awaited<ReturnType<typeof spawnEmbeddedPostgres>>;
let pool: Pool;
let counter = 0;

beforeAll(async () => {
  embedded = await spawnEmbeddedPostgres();
  pool = new Pool({ connectionString: embedded.connectionString, max: 5 });
});
afterAll(async () => {
  await pool.end();
  await embedded.stop();
});

eventStoreContract('postgres adapter on embedded PGlite', async () => {
  const schema = `contract_${++counter}`;
  await migrate(pool, schema);
  return new PostgresEventStore(pool, schema);
});

describe('embedded PostgreSQL with a data folder', () => {
  it('keeps the events across a restart', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { randomUUID } = await import('node:crypto');
    const dataDir = mkdtempSync(join(tmpdir(), 'carebridge-pglite-'));
    const metadata = { actor: { id: 'p', role: 'provider' as const }, correlationId: 'c', occurredAt: '2026-11-22T10:00:00.000Z' };
    try {
      const first = await spawnEmbeddedPostgres(dataDir);
      const firstPool = new Pool({ connectionString: first.connectionString, max: 2 });
      await migrate(firstPool, 'scheduling');
      await new PostgresEventStore(firstPool, 'scheduling').append('appointment-1', 'no-stream', [{ id: randomUUID(), type: 'AppointmentBooked', data: { at: '10:00' } }], metadata);
      await firstPool.end();
      await first.stop();

      const second = await spawnEmbeddedPostgres(dataDir);
      const secondPool = new Pool({ connectionString: second.connectionString, max: 2 });
      try {
        expect(await migrate(secondPool, 'scheduling')).toEqual([]);
        const events = await new PostgresEventStore(secondPool, 'scheduling').readStream('appointment-1');
        expect(events.map((e) => [e.type, e.data])).toEqual([['AppointmentBooked', { at: '10:00' }]]);
      } finally {
        await secondPool.end();
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
