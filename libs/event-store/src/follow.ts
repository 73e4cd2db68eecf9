import type { EventStore, RecordedEvent } from './event-store.port';
import { WakeableSleep } from './wakeable-sleep';

export interface FollowOptions {
  readonly store: Pick<EventStore, 'readAll'>;
  /**
   * Where to read from (the checkpoint), asked at the start and again after every failure, so a
   * follower always resumes from what it committed. `undefined`: not now (a relay replica that is
   * not the leader); asked again after `standbyMs`.
   */
  readonly start: () => Promise<number | undefined>;
  /**
   * Handles one batch, in global order, and moves the checkpoint (in the batch's transaction, or
   * after its effects); resolves with the position to read after: the batch's last, or where
   * another replica moved the checkpoint meanwhile.
   */
  readonly apply: (events: readonly RecordedEvent[]) => Promise<number>;
  readonly batchSize?: number;
  /** Wait between reads when caught up; doubles up to `maxIdleMs` (default 5 ms to 100 ms). */
  readonly idleMs?: number;
  readonly maxIdleMs?: number;
  /** Reads the next batch while `apply` handles this one (the relay: PostgreSQL and Kafka at once). */
  readonly readAhead?: boolean;
  /** Between two `start` answers of `undefined` (default 2 s). */
  readonly standbyMs?: number;
  /** A failure of `start`, the store or `apply`: returns how long to wait before starting again. */
  readonly onError: (error: unknown) => number;
  /** A batch applied, or the log caught up: a streak of failures, if any, is over. */
  readonly onProgress?: () => void;
  /** After a run ends (a failure, or the stop): gives back what `start` took (the relay's leader lock). */
  readonly onEnd?: () => Promise<void>;
}

export interface Follower {
  /** Resolves once the batch in hand is applied and the loop has ended. */
  stop(): Promise<void>;
  /** Wakes an idle follower at once (an append in this process). */
  nudge(): void;
  /** The position applied so far. */
  position(): number;
}

/**
 * The one way to follow the global log (relay, projections, reactors): from a checkpoint, batch
 * by batch in global order, polling readAll while caught up. Polling, not LISTEN/NOTIFY: NOTIFY
 * takes a cluster-wide lock at commit, which would serialise every append's commit; an append in
 * this process wakes its followers at once with `nudge()`.
 */
export function follow(options: FollowOptions): Follower {
  let running = true;
  let position = 0;
  const pause = new WakeableSleep();

  const runFrom = async (from: number) => {
    const batchSize = options.batchSize ?? 500;
    const idleMs = options.idleMs ?? 5;
    const maxIdleMs = options.maxIdleMs ?? 100;
    const read = (after: number) => {
      const reading = options.store.readAll(after, batchSize);
      reading.catch(() => undefined); // awaited below; a failure surfaces there
      return reading;
    };
    position = from;
    let idle = idleMs;
    let next = read(position);
    try {
      while (running) {
        const events = await next;
        if (events.length === 0) {
          options.onProgress?.();
          await pause.sleep(idle);
          idle = Math.min(idle * 2, maxIdleMs);
          next = read(position);
          continue;
        }
        idle = idleMs;
        if (options.readAhead) next = read(events.at(-1)!.globalPosition);
        const applied = await options.apply(events);
        options.onProgress?.();
        if (!options.readAhead || applied !== events.at(-1)!.globalPosition) next = read(applied);
        position = applied;
      }
    } finally {
      await next.catch(() => undefined);
    }
  };

  const loop = (async () => {
    while (running) {
      try {
        const from = await options.start();
        if (from === undefined) {
          await pause.sleep(options.standbyMs ?? 2_000);
          continue;
        }
        await runFrom(from);
      } catch (error) {
        const delayMs = options.onError(error);
        if (running) await pause.sleep(delayMs);
      } finally {
        await options.onEnd?.();
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
