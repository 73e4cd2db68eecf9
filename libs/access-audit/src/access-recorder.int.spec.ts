import { PostgresEventStore, migrate, verifyAuditTrail } from '@carebridge/event-store';
import { createTestSchema, type TestSchema } from '@carebridge/testing';
import type { AccessRecordedData } from './access.events';
import { AccessRecorder } from './access-recorder';

const access = (i: number): AccessRecordedData => ({
  service: 'bench',
  actor: { id: `provider-${i % 17}`, role: 'provider' },
  purpose: 'TREAT',
  patientIds: [`patient-${i}`],
  operation: 'GET /v1/patients/{patientId}/readings',
  resource: `/v1/patients/patient-${i}/readings`,
  outcome: 'granted',
  status: 200,
  breakTheGlass: false,
  correlationId: `c-${i}`,
  at: new Date().toISOString(),
});

/** Issue 14: recording must not cost a round trip per read under load. Measured on real PostgreSQL. */
describe('AccessRecorder on PostgreSQL', () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema('access_recorder');
    await migrate(db.pool, db.schema);
  });
  afterAll(() => db.dispose());

  it('records 2,000 concurrent reads (50 in flight) in far fewer appends, every one in the hash chain', async () => {
    const store = new PostgresEventStore(db.pool, db.schema);
    const recorder = new AccessRecorder(store);
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < 2_000) {
          const i = next++;
          const t0 = performance.now();
          await recorder.record(access(i));
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const { recorded, appends } = recorder.stats();
    console.log(
      `access recorder: ${recorded} accesses in ${appends} appends (${(recorded / appends).toFixed(1)} per append), ` +
        `${Math.round(recorded / seconds)}/s, p50 ${latencies[1_000]!.toFixed(1)} ms, p99 ${latencies[1_980]!.toFixed(1)} ms`,
    );
    expect(recorded).toBe(2_000);
    expect(appends).toBeLessThan(recorded / 10);
    const report = await verifyAuditTrail(store);
    expect(report).toMatchObject({ ok: true, eventsChecked: 2_000 });
  });
});
