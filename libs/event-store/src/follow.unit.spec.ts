import { randomUUID } from 'node:crypto';
import type { EventMetadata, RecordedEvent } from './event-store.port';
import { follow } from './follow';
import { InMemoryEventStore } from './in-memory/in-memory-event-store';

const metadata: EventMetadata = { actor: { id: 'p', role: 'provider' }, correlationId: 'c', occurredAt: '2026-11-22T10:00:00.000Z' };
const tick = () => ({ id: randomUUID(), type: 'Tick', data: {} });
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};
const last = (batch: readonly RecordedEvent[]) => batch.at(-1)!.globalPosition;

describe('follow', () => {
  it('delivers events after the checkpoint in order, in batches, including later appends', async () => {
    const store = new InMemoryEventStore();
    await store.append('s-1', 'any', [tick(), tick(), tick()], metadata);
    const seen: RecordedEvent[] = [];
    const follower = follow({
      store,
      start: async () => 1,
      batchSize: 2,
      apply: async (batch) => (seen.push(...batch), last(batch)),
      onError: () => 5,
    });
    await until(() => seen.length === 2);
    await store.append('s-2', 'any', [tick()], metadata);
    follower.nudge();
    await until(() => seen.length === 3);
    await follower.stop();
    expect(seen.map((e) => e.globalPosition)).toEqual([2, 3, 4]);
    expect(follower.position()).toBe(4);
  });

  it('starts again from the checkpoint after a failed batch', async () => {
    const store = new InMemoryEventStore();
    await store.append('s-1', 'any', [tick(), tick()], metadata);
    const seen: number[] = [];
    let failures = 1;
    const errors: unknown[] = [];
    const follower = follow({
      store,
      start: async () => 0,
      onError: (error) => (errors.push(error), 5),
      apply: async (batch) => {
        if (failures-- > 0) throw new Error('projection write failed');
        seen.push(...batch.map((e) => e.globalPosition));
        return last(batch);
      },
    });
    await until(() => seen.length === 2);
    await follower.stop();
    expect(seen).toEqual([1, 2]);
    expect(errors).toHaveLength(1);
  });

  it('survives a failing checkpoint lookup and asks again', async () => {
    const store = new InMemoryEventStore();
    await store.append('s-1', 'any', [tick()], metadata);
    let lookups = 0;
    const seen: number[] = [];
    const follower = follow({
      store,
      start: async () => {
        if (lookups++ === 0) throw new Error('checkpoint table unavailable');
        return 0;
      },
      onError: () => 5,
      apply: async (batch) => (seen.push(...batch.map((e) => e.globalPosition)), last(batch)),
    });
    await until(() => seen.length === 1);
    await follower.stop();
    expect(lookups).toBe(2);
  });

  it('waits while start says "not now" (a standby replica), and releases what each run took', async () => {
    const store = new InMemoryEventStore();
    await store.append('s-1', 'any', [tick()], metadata);
    let asked = 0;
    let ended = 0;
    const seen: number[] = [];
    const follower = follow({
      store,
      start: async () => (asked++ < 2 ? undefined : 0),
      standbyMs: 5,
      onEnd: async () => void ended++,
      onError: () => 5,
      apply: async (batch) => (seen.push(...batch.map((e) => e.globalPosition)), last(batch)),
    });
    await until(() => seen.length === 1);
    await follower.stop();
    expect(asked).toBe(3);
    expect(ended).toBe(3);
  });

  it('reads ahead while a batch is applied, and still delivers every event once, in order', async () => {
    const store = new InMemoryEventStore();
    for (let i = 0; i < 5; i++) await store.append(`s-${i}`, 'any', [tick(), tick()], metadata);
    const seen: number[] = [];
    const follower = follow({
      store,
      start: async () => 0,
      batchSize: 3,
      readAhead: true,
      onError: () => 5,
      apply: async (batch) => (seen.push(...batch.map((e) => e.globalPosition)), last(batch)),
    });
    await until(() => seen.length === 10);
    await follower.stop();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
