import type { Command, CommandMetadata, Decider, Event } from '@carebridge/shared-kernel';
import { handle, handleMany, streamStep } from './handle';
import { InMemoryEventStore } from './in-memory/in-memory-event-store';
import type { AppendResult, StreamAppend } from './event-store.port';

// A seat counter: each stream holds `capacity` seats; taking one more is refused.
type Take = Command<'TakeSeat', { readonly who: string }>;
type Taken = Event<'SeatTaken', { readonly who: string }>;
class FullError extends Error {
  readonly code = 'TEST.FULL';
}
const seats = (capacity: number): Decider<Take, Taken, { readonly taken: readonly string[] }> => ({
  initialState: () => ({ taken: [] }),
  evolve: (state, event) => ({ taken: [...state.taken, event.data.who] }),
  decide: (command, state) => {
    if (state.taken.includes(command.data.who)) return [];
    if (state.taken.length >= capacity) throw new FullError(`full: ${command.data.who}`);
    return [{ type: 'SeatTaken', data: { who: command.data.who } }];
  },
});
const metadata = (commandId?: string): CommandMetadata => ({
  now: new Date('2026-12-07T10:00:00Z'),
  actor: { id: 'ops-1', role: 'ops' },
  correlationId: 'corr-1',
  ...(commandId !== undefined && { commandId }),
});
const take = (who: string, commandId?: string): Take => ({ type: 'TakeSeat', data: { who }, metadata: metadata(commandId) });

describe('handleMany', () => {
  it('writes every stream in one atomic write, each decided by its own decider', async () => {
    const store = new InMemoryEventStore();
    const result = await handleMany(store, [streamStep('room-a', seats(1), take('ann', 'c1')), streamStep('room-b', seats(2), take('ann', 'c1'))]);
    expect(result.newEvents.map((e) => e.streamId)).toEqual(['room-a', 'room-b']);
    expect(result.nextExpectedVersions).toEqual([1, 1]);
    expect(result.states).toEqual([{ taken: ['ann'] }, { taken: ['ann'] }]);
    expect(result.replayed).toBe(false);
  });

  it('writes nothing when one step is refused, and lets the caller name the step', async () => {
    const store = new InMemoryEventStore();
    await handle(store, 'room-b', seats(1), take('bob'));
    const write = handleMany(store, [streamStep('room-a', seats(1), take('ann')), streamStep('room-b', seats(1), take('ann'))], {
      refused: (index, error) => new Error(`step ${index + 1}: ${(error as Error).message}`),
    });
    await expect(write).rejects.toThrow('step 2: full: ann');
    expect(await store.readStream('room-a')).toEqual([]);
  });

  it('refuses at once, writing nothing, when a step names a version its stream has moved past', async () => {
    const store = new InMemoryEventStore();
    await handle(store, 'room-a', seats(5), take('bob'));
    // The caller chose its steps from room-a at version 1; another writer took a seat since.
    await handle(store, 'room-a', seats(5), take('cy'));
    const write = handleMany(store, [streamStep('room-a', seats(5), take('ann'), 1), streamStep('room-b', seats(5), take('ann'))]);
    await expect(write).rejects.toMatchObject({ code: 'EVENT_STORE.WRONG_EXPECTED_VERSION', streamId: 'room-a', actual: 2 });
    expect(await store.readStream('room-b')).toEqual([]);
    const current = await handleMany(store, [streamStep('room-a', seats(5), take('ann'), 2), streamStep('room-b', seats(5), take('ann'))]);
    expect(current.nextExpectedVersions).toEqual([3, 1]);
  });

  it('returns the events written before for a repeated command id, and appends nothing', async () => {
    const store = new InMemoryEventStore();
    const steps = [streamStep('room-a', seats(5), take('ann', 'c1')), streamStep('room-b', seats(5), take('ann', 'c1'))];
    const first = await handleMany(store, steps);
    const again = await handleMany(store, steps);
    expect(again.replayed).toBe(true);
    expect(again.newEvents.map((e) => e.eventId)).toEqual(first.newEvents.map((e) => e.eventId));
    expect(await store.headPosition()).toBe(2);
  });

  it('derives event ids from each stream and the command id (the same on every retry)', async () => {
    const one = new InMemoryEventStore();
    const other = new InMemoryEventStore();
    const steps = [streamStep('room-a', seats(5), take('ann', 'c1')), streamStep('room-b', seats(5), take('ann', 'c1'))];
    const ids = (await handleMany(one, steps)).newEvents.map((e) => e.eventId);
    expect((await handleMany(other, steps)).newEvents.map((e) => e.eventId)).toEqual(ids);
    expect(new Set(ids).size).toBe(2);
  });

  it('re-reads and decides again when another writer moved a stream on, so the loser gets the decider’s refusal', async () => {
    const store = new InMemoryEventStore();
    let raced = false;
    const appendMany = store.appendMany.bind(store);
    // A writer slips in between this write's read and its append.
    store.appendMany = async (appends: readonly StreamAppend[]): Promise<AppendResult[]> => {
      if (!raced) {
        raced = true;
        await handle(store, 'room-b', seats(1), take('bob'));
      }
      return appendMany(appends);
    };
    await expect(
      handleMany(store, [streamStep('room-a', seats(1), take('ann')), streamStep('room-b', seats(1), take('ann'))]),
    ).rejects.toBeInstanceOf(FullError);
    expect(await store.readStream('room-a')).toEqual([]);
    expect((await store.readStream('room-b')).map((e) => (e.data as { who: string }).who)).toEqual(['bob']);
  });

  it('appends nothing when no step decides anything', async () => {
    const store = new InMemoryEventStore();
    await handleMany(store, [streamStep('room-a', seats(1), take('ann')), streamStep('room-b', seats(1), take('ann'))]);
    const result = await handleMany(store, [streamStep('room-a', seats(1), take('ann')), streamStep('room-b', seats(1), take('ann'))]);
    expect(result.newEvents).toEqual([]);
    expect(result.nextExpectedVersions).toEqual([1, 1]);
  });

  it('refuses a stream named twice', async () => {
    const store = new InMemoryEventStore();
    await expect(handleMany(store, [streamStep('room-a', seats(1), take('ann')), streamStep('room-a', seats(1), take('bob'))])).rejects.toThrow(
      'one command per stream',
    );
  });
});

describe('handle (the one-stream case)', () => {
  it('appends with the version read and replays a repeated command id', async () => {
    const store = new InMemoryEventStore();
    const first = await handle(store, 'room-a', seats(2), take('ann', 'c1'));
    expect(first.nextExpectedVersion).toBe(1);
    expect(first.state).toEqual({ taken: ['ann'] });
    const again = await handle(store, 'room-a', seats(2), take('ann', 'c1'));
    expect(again.replayed).toBe(true);
    expect(again.newEvents.map((e) => e.eventId)).toEqual(first.newEvents.map((e) => e.eventId));
  });
});
