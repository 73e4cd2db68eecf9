import { InMemoryEventStore } from '@carebridge/event-store';
import type { AccessRecordedData } from './access.events';
import { AccessRecorder } from './access-recorder';

const access = (i: number, at = '2026-12-07T10:00:00.000Z'): AccessRecordedData => ({
  service: 'monitoring',
  actor: { id: `provider-${i}`, role: 'provider' },
  purpose: 'TREAT',
  patientIds: [`patient-${i}`],
  operation: 'GET /v1/devices/{deviceId}',
  resource: `/v1/devices/${i}`,
  outcome: 'granted',
  status: 200,
  breakTheGlass: false,
  correlationId: `c-${i}`,
  at,
});

describe('AccessRecorder (group commit)', () => {
  it('stores each access once, in the service-day stream, before the caller goes on', async () => {
    const store = new InMemoryEventStore();
    const recorder = new AccessRecorder(store);
    await recorder.record(access(1));
    const events = await store.readStream('access-monitoring-2026-12-07');
    expect(events.map((e) => [e.type, (e.data as AccessRecordedData).actor.id])).toEqual([['AccessRecorded', 'provider-1']]);
    expect(events[0]!.metadata.actor).toEqual({ id: 'access-audit', role: 'system' });
  });

  it('shares one append among the accesses that arrive while an append is in flight', async () => {
    const store = new InMemoryEventStore();
    const recorder = new AccessRecorder(store);
    await Promise.all(Array.from({ length: 200 }, (_, i) => recorder.record(access(i))));
    expect(recorder.stats().recorded).toBe(200);
    // The first append goes at once; everything queued meanwhile goes in the next.
    expect(recorder.stats().appends).toBeLessThanOrEqual(2);
    expect(await store.readStream('access-monitoring-2026-12-07')).toHaveLength(200);
  });

  it('splits a batch that straddles midnight into the two days’ streams', async () => {
    const store = new InMemoryEventStore();
    const recorder = new AccessRecorder(store);
    await Promise.all([recorder.record(access(1, '2026-12-07T23:59:59.999Z')), recorder.record(access(2, '2026-12-08T00:00:00.000Z'))]);
    expect(await store.readStream('access-monitoring-2026-12-07')).toHaveLength(1);
    expect(await store.readStream('access-monitoring-2026-12-08')).toHaveLength(1);
  });

  it('fails the callers whose append failed (no answer without its record)', async () => {
    const store = new InMemoryEventStore();
    store.append = () => Promise.reject(new Error('database down'));
    await expect(new AccessRecorder(store).record(access(1))).rejects.toThrow('database down');
  });
});
