import type { PostgresEventStore, RecordedEvent } from '@carebridge/event-store';
import { LiveReadings } from './live-readings.reactor';

/** A log with one reading at position 1 once `written` is set; the read model has it at once. */
function fakes() {
  const state = { written: false };
  const reading: RecordedEvent = {
    eventId: 'e1',
    streamId: 'readings-p1',
    streamVersion: 1,
    globalPosition: 1,
    type: 'ReadingRecorded',
    schemaVersion: 1,
    data: { readingId: 'r1', patientId: 'p1', kind: 'heart-rate', value: 70 },
    metadata: { actor: { id: 'device', role: 'system' }, correlationId: 'c', occurredAt: '2026-11-23T00:00:00.000Z' },
    recordedAt: new Date('2026-11-23T00:00:00.000Z'),
    hash: 'h',
  };
  const store = {
    headPosition: async () => 0,
    readAll: async (after: number) => (state.written && after < 1 ? [reading] : []),
  } as unknown as PostgresEventStore;
  const readSide = { projections: { waitFor: async () => undefined }, readings: { patientReadingsBetween: async () => [] } };
  return { state, store, readSide };
}

describe('live readings', () => {
  it('a viewer who unsubscribes twice does not stop the feed of the others', async () => {
    const { state, store, readSide } = fakes();
    const live = new LiveReadings(store, readSide);
    const seen: string[] = [];
    const leaving = live.subscribe('p1', () => undefined);
    const staying = live.subscribe('p1', (reading) => seen.push(reading.readingId));
    await Promise.all([leaving.ready, staying.ready]);
    leaving.unsubscribe();
    leaving.unsubscribe();
    state.written = true;
    live.nudge();
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(seen).toEqual(['r1']);
    staying.unsubscribe();
    await live.stop();
  });
});
