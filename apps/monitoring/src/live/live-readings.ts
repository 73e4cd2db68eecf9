import { EventEmitter } from 'node:events';
import { type PostgresEventStore, WakeableSleep } from '@carebridge/event-store';
import type { ReadModels, Reading } from '../read-models';

/**
 * Server-Sent Events fan-out. Every replica follows the event store itself while it has
 * subscribers (from the head at the first subscription, no checkpoint), so a viewer connected to
 * any replica sees every reading; it hands readings out once the read-model projection holds
 * them, so what a viewer sees live, a query returns too.
 */
export class LiveReadings {
  private readonly emitter = new EventEmitter();
  private subscribers = 0;
  private loop?: Promise<void>;
  private started: Promise<number> = Promise.resolve(0);
  private readonly pause = new WakeableSleep();

  constructor(
    private readonly store: PostgresEventStore,
    private readonly readModels: ReadModels,
    private readonly onError?: (error: unknown) => void,
  ) {
    this.emitter.setMaxListeners(0);
  }

  /** `ready` resolves once every reading stored from now on will reach `listener`. */
  subscribe(patientId: string, listener: (reading: Reading) => void): { ready: Promise<void>; unsubscribe: () => void } {
    const name = `patient:${patientId}`;
    this.emitter.on(name, listener);
    this.subscribers++;
    if (!this.loop) {
      this.started = this.store.headPosition();
      this.loop = this.follow(this.started).finally(() => (this.loop = undefined));
    }
    return {
      ready: this.started.then(() => undefined),
      unsubscribe: () => {
        this.emitter.off(name, listener);
        this.subscribers--;
      },
    };
  }

  /** Wakes the follower (after readings were stored in this process). */
  nudge(): void {
    this.pause.wake();
  }

  async stop(): Promise<void> {
    this.subscribers = 0;
    this.pause.wake();
    await this.loop;
  }

  private async follow(start: Promise<number>): Promise<void> {
    let position = await start;
    let idle = 5;
    while (this.subscribers > 0) {
      try {
        const events = await this.store.readAll(position, 2_000);
        if (events.length === 0) {
          await this.pause.sleep(idle);
          idle = Math.min(idle * 2, 100);
          continue;
        }
        idle = 5;
        const last = events.at(-1)!.globalPosition;
        await this.readModels.projection.waitFor(last, 30_000);
        for (const e of events) {
          if (e.type !== 'ReadingRecorded') continue;
          const reading = e.data as Reading;
          this.emitter.emit(`patient:${reading.patientId}`, reading);
        }
        position = last;
      } catch (error) {
        this.onError?.(error);
        await this.pause.sleep(1_000);
      }
    }
  }
}
