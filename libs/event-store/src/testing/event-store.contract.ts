import { randomUUID } from 'node:crypto';
import type { EventMetadata, EventStore, NewEvent } from '../event-store.port';
import { appendManyContract } from './append-many.contract';
import { appendContract } from './append.contract';

/** Waits until readAll shows every committed event, for adapters where that can lag (PostgreSQL). */
async function settled(store: EventStore): Promise<void> {
  await (store as EventStore & { settled?: () => Promise<void> }).settled?.();
}

/**
 * The behaviour every EventStore adapter must have. Each adapter's spec calls this with a
 * factory giving a fresh, empty store per test.
 */
export function eventStoreContract(adapter: string, freshStore: () => Promise<EventStore>): void {
  const metadata: EventMetadata = {
    actor: { id: 'provider-1', role: 'provider' },
    correlationId: 'corr-1',
    occurredAt: '2026-11-22T10:00:00.000Z',
    command: 'BookAppointment',
  };
  const event = (type = 'SlotHeld', data: unknown = { slot: 1 }): NewEvent => ({ id: randomUUID(), type, data });

  describe(`EventStore contract: ${adapter}`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await freshStore();
    });

    appendContract(() => store, metadata, event);

    appendManyContract(() => store, metadata, event);

    describe('reading', () => {
      it('reads a stream from a version', async () => {
        await store.append('r-1', 'no-stream', [event('A'), event('B'), event('C')], metadata);
        expect((await store.readStream('r-1', 2)).map((e) => e.type)).toEqual(['B', 'C']);
        expect(await store.readStream('missing')).toEqual([]);
      });

      it('reads all streams in global order, in pages after a position', async () => {
        await store.append('r-2', 'any', [event('A')], metadata);
        await store.append('r-3', 'any', [event('B'), event('C')], metadata);
        await store.append('r-2', 'any', [event('D')], metadata);
        await settled(store);
        const all = await store.readAll(0, 100);
        expect(all.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
        const positions = all.map((e) => e.globalPosition);
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        expect(new Set(positions).size).toBe(4);
        const page = await store.readAll(all[1]!.globalPosition, 2);
        expect(page.map((e) => e.type)).toEqual(['C', 'D']);
        expect(await store.headPosition()).toBe(all[3]!.globalPosition);
      });

      it('chains each event hash to the previous one of its stream', async () => {
        await store.append('h-1', 'any', [event('A'), event('B')], metadata);
        await store.append('h-2', 'any', [event('A')], metadata);
        const [a, b] = await store.readStream('h-1');
        const [other] = await store.readStream('h-2');
        expect(a!.hash).not.toEqual(b!.hash);
        expect(a!.hash).not.toEqual(other!.hash);
      });
    });
  });
}
