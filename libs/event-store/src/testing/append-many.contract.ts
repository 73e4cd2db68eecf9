import {
  DuplicateEventIdError,
  InvalidEventDataError,
  WrongExpectedVersionError,
  type EventMetadata,
  type EventStore,
  type NewEvent,
} from '../event-store.port';

/** Waits until readAll shows every committed event, for adapters where that can lag (PostgreSQL). */
async function settled(store: EventStore): Promise<void> {
  await (store as EventStore & { settled?: () => Promise<void> }).settled?.();
}

/** The contract's cases for `appendMany`, run inside `eventStoreContract` on each adapter's fresh store. */
export function appendManyContract(store: () => EventStore, metadata: EventMetadata, event: (type?: string) => NewEvent): void {
  describe('appendMany (one atomic write over several streams)', () => {
    it('appends to every stream, each with its own version, results in the order asked', async () => {
      await store().append('m-b', 'no-stream', [event('A')], metadata);
      const results = await store().appendMany([
        { streamId: 'm-b', expected: 1, events: [event('B')], metadata },
        { streamId: 'm-a', expected: 'no-stream', events: [event('C'), event('D')], metadata },
      ]);
      expect(results.map((r) => r.nextExpectedVersion)).toEqual([2, 2]);
      expect(results[0]!.events.map((e) => [e.streamId, e.streamVersion])).toEqual([['m-b', 2]]);
      expect(results[1]!.events.map((e) => [e.streamId, e.streamVersion])).toEqual([['m-a', 1], ['m-a', 2]]);
      expect((await store().readStream('m-b')).map((e) => e.type)).toEqual(['A', 'B']);
      expect((await store().readStream('m-a')).map((e) => e.type)).toEqual(['C', 'D']);
    });

    it('writes nothing when one stream moved on, and names it', async () => {
      await store().append('m-c', 'no-stream', [event('A'), event('B')], metadata);
      await expect(
        store().appendMany([
          { streamId: 'm-d', expected: 'no-stream', events: [event('C')], metadata },
          { streamId: 'm-c', expected: 1, events: [event('D')], metadata },
        ]),
      ).rejects.toMatchObject({ constructor: WrongExpectedVersionError, streamId: 'm-c', actual: 2 });
      expect(await store().readStream('m-d')).toEqual([]);
      expect(await store().readStream('m-c')).toHaveLength(2);
    });

    it('writes nothing when an event id is already stored in another stream', async () => {
      const shared = event();
      await store().append('m-e', 'any', [shared], metadata);
      await expect(
        store().appendMany([
          { streamId: 'm-f', expected: 'no-stream', events: [event()], metadata },
          { streamId: 'm-g', expected: 'no-stream', events: [shared], metadata },
        ]),
      ).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await store().readStream('m-f')).toEqual([]);
      expect(await store().readStream('m-g')).toEqual([]);
    });

    it('is a no-op when the same write is repeated (a retried request)', async () => {
      const write = [
        { streamId: 'm-h', expected: 'no-stream' as const, events: [event()], metadata },
        { streamId: 'm-i', expected: 'no-stream' as const, events: [event(), event()], metadata },
      ];
      const first = await store().appendMany(write);
      const again = await store().appendMany(write);
      expect(again.every((r) => r.alreadyAppended)).toBe(true);
      expect(again.map((r) => r.events.map((e) => e.eventId))).toEqual(first.map((r) => r.events.map((e) => e.eventId)));
      expect(await store().readStream('m-i')).toHaveLength(2);
    });

    it('refuses a stream named twice and an empty write', async () => {
      await expect(
        store().appendMany([
          { streamId: 'm-j', expected: 'any', events: [event()], metadata },
          { streamId: 'm-j', expected: 'any', events: [event()], metadata },
        ]),
      ).rejects.toBeInstanceOf(InvalidEventDataError);
      await expect(store().appendMany([])).rejects.toBeInstanceOf(InvalidEventDataError);
      expect(await store().readStream('m-j')).toEqual([]);
    });

    it('lets exactly one of concurrent writes over the same streams win, and chains hashes as single appends do', async () => {
      await store().append('m-k', 'no-stream', [event()], metadata);
      await store().append('m-l', 'no-stream', [event()], metadata);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          store().appendMany([
            // Half name the streams in the other order: the store must not deadlock on them.
            { streamId: i % 2 === 0 ? 'm-k' : 'm-l', expected: 1, events: [event('X')], metadata },
            { streamId: i % 2 === 0 ? 'm-l' : 'm-k', expected: 1, events: [event('Y')], metadata },
          ]),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const loss of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
        expect(loss.reason).toBeInstanceOf(WrongExpectedVersionError);
      }
      const [k1, k2] = await store().readStream('m-k');
      const [l1, l2] = await store().readStream('m-l');
      expect(k2!.hash).not.toEqual(k1!.hash);
      expect(l2!.hash).not.toEqual(l1!.hash);
      await settled(store());
      const all = await store().readAll(0, 100);
      const positions = all.map((e) => e.globalPosition);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(all).toHaveLength(4);
    });
  });
}
