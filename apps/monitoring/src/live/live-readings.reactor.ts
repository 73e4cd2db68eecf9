import { EventEmitter } from 'node:events';
import { type PostgresEventStore, WakeableSleep } from '@carebridge/event-store';
import type { MonitoringProjections } from '../read-models.projection';
import type { Reading, Readings } from '../readings/readings.projection';

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
    private readonly readSide: { readonly projections: Pick<MonitoringProjections, 'waitFor'>; readonly readings: Pick<Readings, 'patientReadingsBetween'> },
    private readonly onError?: (error: unknown) => void,
  ) {
    this.emitter.setMaxListeners(0);
  }

  /**
   * `ready` resolves once every reading stored from now on will reach `listener`, with its position
   * in the log (the SSE event id a viewer resumes from).
   */
  subscribe(patientId: string, listener: (reading: Reading, position: number) => void): { ready: Promise<void>; unsubscribe: () => void } {
    const name = `patient:${patientId}`;
    this.emitter.on(name, listener);
    this.subscribers++;
    if (!this.loop) {
      this.started = this.store.headPosition();
      this.loop = this.follow(this.started).finally(() => (this.loop = undefined));
    }
    let subscribed = true;
    return {
      ready: this.started.then(() => undefined),
      // Once: a second call must not count another viewer out (the follower stops at zero).
      unsubscribe: () => {
        if (!subscribed) return;
        subscribed = false;
        this.emitter.off(name, listener);
        this.subscribers--;
      },
    };
  }

  /**
   * A viewer coming back (`Last-Event-ID`): the patient's readings stored after log position
   * `after`, then the live ones, each once and in log order. Live readings that arrive during the
   * replay wait for it. More than `limit` missed: `onTooFarBehind` instead of the replay (the viewer
   * reloads with the readings query), then live readings from now on.
   */
  resume(
    patientId: string,
    after: number,
    listener: (reading: Reading, position: number) => void,
    options: { readonly limit: number; readonly onTooFarBehind: () => void },
  ): { ready: Promise<void>; unsubscribe: () => void } {
    let lastSent = after;
    let replaying = true;
    const waiting: [Reading, number][] = [];
    const deliver = (reading: Reading, position: number) => {
      if (position <= lastSent) return;
      lastSent = position;
      listener(reading, position);
    };
    const live = this.subscribe(patientId, (reading, position) => (replaying ? waiting.push([reading, position]) : deliver(reading, position)));
    const ready = (async () => {
      try {
        await live.ready;
        // The replay ends at the head (every event at or before it committed, in order): what the
        // follower emitted before this subscription is in it, and what it emits after comes live
        // (positions up to the head are dropped then). Read once the read model holds the head, and
        // once the head has reached what is committed now (a transaction still open elsewhere holds
        // it back; after 5 s the replay ends lower and the rest comes live, still once and in order).
        await this.store.settled(5_000).catch(() => undefined);
        const head = await this.store.headPosition();
        await this.readSide.projections.waitFor(head, 30_000);
        // An id beyond the head is none of ours (a restored database, a forged header): live only.
        const missed = after >= head ? [] : await this.readSide.readings.patientReadingsBetween(patientId, after, head, options.limit + 1);
        if (after > head) {
          lastSent = head;
        } else if (missed.length > options.limit) {
          options.onTooFarBehind();
          lastSent = Math.max(lastSent, head);
        } else {
          for (const { reading, position } of missed) deliver(reading, position);
          lastSent = Math.max(lastSent, head);
        }
      } finally {
        replaying = false;
        for (const [reading, position] of waiting.splice(0)) deliver(reading, position);
      }
    })();
    return { ready, unsubscribe: live.unsubscribe };
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
        await this.readSide.projections.waitFor(last, 30_000);
        for (const e of events) {
          if (e.type !== 'ReadingRecorded') continue;
          const reading = e.data as Reading;
          this.emitter.emit(`patient:${reading.patientId}`, reading, e.globalPosition);
        }
        position = last;
      } catch (error) {
        this.onError?.(error);
        await this.pause.sleep(1_000);
      }
    }
  }
}
