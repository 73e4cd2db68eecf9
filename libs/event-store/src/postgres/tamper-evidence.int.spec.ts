import { randomUUID } from 'node:crypto';
import { createTestSchema, type TestSchema } from '@carebridge/testing';
import { verifyAuditTrail } from '../audit';
import type { EventMetadata } from '../event-store.port';
import { migrate } from './event-store.migrations';
import { PostgresEventStore } from './postgres-event-store';

const metadata: EventMetadata = {
  actor: { id: 'provider-9', role: 'provider' },
  correlationId: 'tamper-test',
  occurredAt: '2026-11-22T10:00:00.000Z',
};
const events = (...types: string[]) => types.map((type, i) => ({ id: randomUUID(), type, data: { i, dose: '5 mg' } }));

let db: TestSchema;
let store: PostgresEventStore;
let counter = 0;

beforeAll(async () => {
  db = await createTestSchema('es_tamper');
});
afterAll(async () => {
  await db.dispose();
});
beforeEach(async () => {
  const schema = db.sibling(String(++counter));
  await migrate(db.pool, schema);
  store = new PostgresEventStore(db.pool, schema);
  await store.append('prescription-1', 'no-stream', events('Drafted', 'Signed', 'Transmitted'), metadata);
  await store.append('prescription-2', 'no-stream', events('Drafted'), metadata);
});

/** What someone with database superuser rights could do behind the store's back. */
async function behindTheStoresBack(sql: string): Promise<void> {
  const table = `"${store.schema}".events`;
  await db.pool.query(`ALTER TABLE ${table} DISABLE TRIGGER events_immutable`);
  await db.pool.query(sql.replaceAll('EVENTS', table));
  await db.pool.query(`ALTER TABLE ${table} ENABLE TRIGGER events_immutable`);
}

describe('tamper evidence', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of events', async () => {
    const table = `"${store.schema}".events`;
    await expect(db.pool.query(`UPDATE ${table} SET data = '{}'`)).rejects.toThrow(/immutable/);
    await expect(db.pool.query(`DELETE FROM ${table}`)).rejects.toThrow(/immutable/);
    await expect(db.pool.query(`TRUNCATE ${table}`)).rejects.toThrow(/immutable/);
  });

  it('verifies an untouched store', async () => {
    const report = await verifyAuditTrail(store);
    expect(report).toMatchObject({ ok: true, eventsChecked: 4, streamsChecked: 2, findings: [] });
  });

  it('reports nothing missing while a long transaction elsewhere holds readAll back', async () => {
    const long = await db.pool.connect();
    try {
      await long.query('BEGIN');
      await long.query('SELECT pg_current_xact_id()');
      await store.append('prescription-3', 'no-stream', events('Drafted', 'Signed'), metadata);
      expect((await store.readStream('prescription-3')).length).toBe(2);
      const report = await verifyAuditTrail(store);
      expect(report).toMatchObject({ ok: true, eventsChecked: 6, findings: [] });
    } finally {
      await long.query('ROLLBACK');
      long.release();
    }
  });

  it('finds an event whose data was edited', async () => {
    await behindTheStoresBack(
      `UPDATE EVENTS SET data = jsonb_set(data, '{dose}', '"50 mg"') WHERE stream_id = 'prescription-1' AND stream_version = 2`,
    );
    const report = await verifyAuditTrail(store);
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      expect.objectContaining({ streamId: 'prescription-1', version: 2, problem: 'content-changed' }),
    ]);
  });

  it('finds an event whose actor was rewritten', async () => {
    await behindTheStoresBack(
      `UPDATE EVENTS SET metadata = jsonb_set(metadata, '{actor,id}', '"someone-else"') WHERE stream_id = 'prescription-2'`,
    );
    const report = await verifyAuditTrail(store);
    expect(report.findings).toEqual([expect.objectContaining({ streamId: 'prescription-2', problem: 'content-changed' })]);
  });

  it('finds an event removed from the middle of a stream', async () => {
    await behindTheStoresBack(`DELETE FROM EVENTS WHERE stream_id = 'prescription-1' AND stream_version = 2`);
    const report = await verifyAuditTrail(store);
    expect(report.findings.map((f) => f.problem)).toContain('version-gap');
  });

  it('finds the last event of a stream removed', async () => {
    await behindTheStoresBack(`DELETE FROM EVENTS WHERE stream_id = 'prescription-1' AND stream_version = 3`);
    const report = await verifyAuditTrail(store);
    expect(report.findings).toEqual([expect.objectContaining({ streamId: 'prescription-1', problem: 'tail-missing' })]);
  });

  it('finds a removed tail even when the stream head was set back to zero', async () => {
    await behindTheStoresBack(`DELETE FROM EVENTS WHERE stream_id = 'prescription-2'`);
    await db.pool.query(`UPDATE "${store.schema}".streams SET version = 0 WHERE stream_id = 'prescription-1'`);
    const report = await verifyAuditTrail(store);
    expect(report.findings).toHaveLength(2);
    expect(report.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ streamId: 'prescription-1', problem: 'head-mismatch' }),
        expect.objectContaining({ streamId: 'prescription-2', problem: 'tail-missing' }),
      ]),
    );
  });

  it('finds an edited event even when its own hash was recomputed (the next link breaks)', async () => {
    await behindTheStoresBack(
      `UPDATE EVENTS SET data = '{"i":0,"dose":"500 mg"}', hash = repeat('0', 64)
        WHERE stream_id = 'prescription-1' AND stream_version = 1`,
    );
    const report = await verifyAuditTrail(store);
    expect(report.findings.filter((f) => f.streamId === 'prescription-1').length).toBeGreaterThanOrEqual(2);
  });
});
