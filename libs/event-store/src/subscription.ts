import type { EventStore, RecordedEvent } from './event-store.port';
import { WakeableSleep } from './wakeable-sleep';

export interface SubscriptionOptions {
  /** Global position already processed; the first batch starts after it. */
  readonly from: number | (() => Promise<number>);
  readonly batchSize?: number;
  /** Wait between polls when caught up; doubles up to `maxIdleMs`. */
  readonly idleMs?: number;
  readonly maxIdleMs?: number;
  /** Called with each batch in order; the next batch is read only after it resolves. */
  readonly onBatch: (events: readonly RecordedEvent[]) => Promise<void>;
  /** An error from onBatch or the store: the subscription waits `retryMs` and reads again from the last position. */
  readonly onError?: (error: unknown) => void;
  readonly retryMs?: number;
}

export interface Subscription {
  /** Resolves when the loop has stopped after finishing the batch in hand. */
  stop(): Promise<void>;
  /** Wakes a waiting subscription at once (an append in this process). */
  nudge(): void;
  readonly position: () => number;
}

/**
 * Follows the global log by polling readAll. Polling, not LISTEN/NOTIFY: NOTIFY takes a
 * cluster-wide lock at commit, which would serialise every append's commit.
 */
export function subscribeToAll(store: EventStore, options: SubscriptionOptions): Subscription {
  const batchSize = options.batchSize ?? 500;
  const idleMs = options.idleMs ?? 5;
  const maxIdleMs = options.maxIdleMs ?? 100;
  const retryMs = options.retryMs ?? 1_000;
  let running = true;
  let position = 0;
  const pause = new WakeableSleep();
  const sleep = (ms: number) => pause.sleep(ms);

  const loop = (async () => {
    let started = false;
    let idle = idleMs;
    while (running) {
      try {
        if (!started) {
          position = typeof options.from === 'function' ? await options.from() : options.from;
          started = true;
        }
        const batch = await store.readAll(position, batchSize);
        if (batch.length > 0) {
          await options.onBatch(batch);
          position = batch.at(-1)!.globalPosition;
          idle = idleMs;
          if (batch.length === batchSize) continue;
        }
        await sleep(idle);
        idle = Math.min(idle * 2, maxIdleMs);
      } catch (error) {
        options.onError?.(error);
        if (running) await sleep(retryMs);
      }
    }
  })();

  return {
    async stop() {
      running = false;
      pause.wake();
      await loop;
    },
    nudge() {
      pause.wake();
    },
    position: () => position,
  };
}
