import { randomUUID } from 'node:crypto';
import type { EventMetadata, RecordedEvent } from './event-store.port';
import { InMemoryEventStore } from './in-memory/in-memory-event-store';
import { subscribeToAll } from './subscription';

const metadata: EventMetadata = { actor: { id: 'p', role: 'provider' }, correlationId: 'c', occurredAt: '2026-11-22T10:00:00.000Z' };
const tick = () => ({ id: randomUUID(), type: 'Tick', data: {} });
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe('subscribeToAll', () => {
  it('delivers events after the starting position in order, in batches, including later appends', async () => {
    const store = new InMemoryEventStore();
    await store.append('s-1', 'any', [tick(), tick(), tick()], metadata);
    const seen: RecordedEvent[] = [];
    const subscription = subscribeToAll(store, { from: 1, batchSize: 2, onBatch: async (batch) => void seen.push(...batch) });
    await until(() => seen.length === 2);
    await store.append('s-2', 'any', [tick()], metadata);
    subscription.nudge();
    await until(() => seen.length === 3);
    await subscription.stop();
    expect(seen.map((e) => e.globalPosition)).toEqual([2, 3, 4]);
    expect(subscription.position()).toBe(4);
  });

  it('retries a failed batch from the same position', async () => {
    const store = new InMemoryEventStore();
    await store.append('s-1', 'any', [tick(), tick()], metadata);
    const seen: number[] = [];
    let failures = 1;
    const errors: unknown[] = [];
    const subscription = subscribeToAll(store, {
      from: 0,
      retryMs: 5,
      onError: (error) => errors.push(error),
      onBatch: async (batch) => {
        if (failures-- > 0) throw new Error('projection write failed');
        seen.push(...batch.map((e) => e.globalPosition));
      },
    });
    await until(() => seen.length === 2);
    await subscription.stop();
    expect(seen).toEqual([1, 2]);
    expect(errors).toHaveLength(1);
  });

  it('survives a failing starting-position lookup and retries it', async () => {
    const store = new InMemoryEventStore();
    await store.append('s-1', 'any', [tick()], metadata);
    let lookups = 0;
    const seen: number[] = [];
    const subscription = subscribeToAll(store, {
      from: async () => {
        if (lookups++ === 0) throw new Error('checkpoint table unavailable');
        return 0;
      },
      retryMs: 5,
      onBatch: async (batch) => void seen.push(...batch.map((e) => e.globalPosition)),
    });
    await until(() => seen.length === 1);
    await subscription.stop();
    expect(lookups).toBe(2);
  });
});
