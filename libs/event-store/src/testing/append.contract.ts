import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  InvalidEventDataError,
  WrongExpectedVersionError,
  type EventMetadata,
  type EventStore,
  type NewEvent,
} from '../event-store.port';

/** The contract's cases for `append`, run inside `eventStoreContract` on each adapter's fresh store. */
export function appendContract(store: () => EventStore, metadata: EventMetadata, event: (type?: string, data?: unknown) => NewEvent): void {
  describe('append', () => {
    it('appends to a new stream with no-stream and numbers versions from 1', async () => {
      const result = await store().append('appointment-1', 'no-stream', [event(), event('AppointmentBooked')], metadata);
      expect(result.nextExpectedVersion).toBe(2);
      expect(result.alreadyAppended).toBe(false);
      expect(result.events.map((e) => e.streamVersion)).toEqual([1, 2]);
      const stored = await store().readStream('appointment-1');
      expect(stored.map((e) => e.type)).toEqual(['SlotHeld', 'AppointmentBooked']);
    });

    it('keeps data, metadata, schema version and a database time on every event', async () => {
      const before = Date.now();
      await store().append(
        'visit-1',
        'any',
        [{ id: randomUUID(), type: 'VitalsRecorded', schemaVersion: 2, data: { systolic: 120, nested: { a: [1, 'x'] } } }],
        { ...metadata, causationId: 'cause-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      );
      const [stored] = await store().readStream('visit-1');
      expect(stored!.data).toEqual({ systolic: 120, nested: { a: [1, 'x'] } });
      expect(stored!.schemaVersion).toBe(2);
      expect(stored!.metadata).toEqual({
        ...metadata,
        causationId: 'cause-1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      });
      expect(stored!.recordedAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
      expect(stored!.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('refuses no-stream when the stream exists, with the actual version', async () => {
      await store().append('s-1', 'no-stream', [event()], metadata);
      await expect(store().append('s-1', 'no-stream', [event()], metadata)).rejects.toMatchObject({
        constructor: WrongExpectedVersionError,
        actual: 1,
        code: 'EVENT_STORE.WRONG_EXPECTED_VERSION',
      });
    });

    it('refuses an exact version that is not the current one', async () => {
      await store().append('s-2', 'no-stream', [event(), event()], metadata);
      await expect(store().append('s-2', 1, [event()], metadata)).rejects.toBeInstanceOf(WrongExpectedVersionError);
      const result = await store().append('s-2', 2, [event()], metadata);
      expect(result.nextExpectedVersion).toBe(3);
    });

    it('refuses stream-exists on a missing stream and accepts any', async () => {
      await expect(store().append('s-3', 'stream-exists', [event()], metadata)).rejects.toBeInstanceOf(
        WrongExpectedVersionError,
      );
      await store().append('s-3', 'any', [event()], metadata);
      await store().append('s-3', 'stream-exists', [event()], metadata);
      expect(await store().readStream('s-3')).toHaveLength(2);
    });

    it('is a no-op when the same event ids are appended again (a retried request)', async () => {
      const events = [event(), event()];
      const first = await store().append('s-4', 'no-stream', events, metadata);
      const again = await store().append('s-4', 'no-stream', events, metadata);
      expect(again.alreadyAppended).toBe(true);
      expect(again.nextExpectedVersion).toBe(2);
      expect(again.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
      expect(await store().readStream('s-4')).toHaveLength(2);
    });

    it('refuses an event id already stored in another stream', async () => {
      const shared = event();
      await store().append('s-5', 'any', [shared], metadata);
      await expect(store().append('s-6', 'any', [shared], metadata)).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await store().readStream('s-6')).toEqual([]);
    });

    it('lets exactly one of concurrent appends with the same expected version win', async () => {
      await store().append('s-7', 'no-stream', [event()], metadata);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, () => store().append('s-7', 1, [event('AppointmentBooked')], metadata)),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(9);
      for (const loss of lost) {
        expect(loss.reason).toBeInstanceOf(WrongExpectedVersionError);
        expect((loss.reason as WrongExpectedVersionError).actual).toBe(2);
      }
      expect(await store().readStream('s-7')).toHaveLength(2);
    });

    it('refuses data jsonb cannot hold, duplicate ids in one append and a negative version', async () => {
      await expect(store().append('bad-1', 'any', [event('A', { note: 'a\u0000b' })], metadata)).rejects.toBeInstanceOf(
        InvalidEventDataError,
      );
      await expect(store().append('bad-1', 'any', [event('A', { note: '😀'.slice(0, 1) })], metadata)).rejects.toMatchObject({
        code: 'EVENT_STORE.INVALID_EVENT_DATA',
        kind: 'invalid',
      });
      const twice = event();
      await expect(store().append('bad-1', 'any', [twice, twice], metadata)).rejects.toBeInstanceOf(InvalidEventDataError);
      await expect(store().append('bad-1', -1, [event()], metadata)).rejects.toBeInstanceOf(InvalidEventDataError);
      expect(await store().readStream('bad-1')).toEqual([]);
      await store().append('bad-1', 'no-stream', [event('A', { path: 'C:\\u0000', emoji: '😀' })], metadata);
    });

    it('refuses an exact version on a missing stream without creating it', async () => {
      await expect(store().append('ghost-1', 3, [event()], metadata)).rejects.toMatchObject({ actual: 0 });
      await store().append('ghost-1', 'no-stream', [event()], metadata);
      expect(await store().readStream('ghost-1')).toHaveLength(1);
    });

    it('lets exactly one of concurrent creations of a stream win', async () => {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, () => store().append('s-8', 'no-stream', [event()], metadata)),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await store().readStream('s-8')).toHaveLength(1);
    });
  });
}
