import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import {
  DuplicateEventIdError,
  type PostgresEventStore,
  type RecordedEvent,
  WrongExpectedVersionError,
  deterministicEventId,
  metadataOf,
} from '@carebridge/event-store';
import { asArray } from '@carebridge/shared-kernel';
import { type ProviderDayCommand, type ProviderDayState, providerDayDecider } from './provider-day.decider';
import type { ProviderDayEvent } from './provider-day.events';

/** One command for one provider-day stream. */
export interface DayStep {
  readonly streamId: string;
  readonly command: ProviderDayCommand;
}

export interface AtomicResult {
  /** The events of every stream, in global order. */
  readonly newEvents: readonly RecordedEvent[];
  readonly states: readonly ProviderDayState[];
  readonly replayed: boolean;
}

// Another writer moved a stream on, or the same command was written concurrently: read and decide again.
const conflicting = (error: unknown): boolean => error instanceof WrongExpectedVersionError || error instanceof DuplicateEventIdError;
// The store keeps the global order gap-free by refusing (40001) a transaction whose later append
// comes after another transaction, begun after it, reserved positions; 40P01 is a lock-order
// deadlock PostgreSQL broke. Both are retried after a short random pause, as serialization failures are.
const serialization = (error: unknown): boolean => ['40001', '40P01'].includes((error as { code?: string }).code ?? '');
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(100, 2 ** attempt) * (1 + Math.random())));

/**
 * `handle()` over several provider-day streams at once (a multi-provider appointment, a move to
 * another day): read every stream, let the decider decide each command, then append every
 * stream's events in ONE PostgreSQL transaction, each with the version read as the expected
 * version. Either every stream takes its events or none does, so no compensation is needed.
 * Nothing but these appends runs inside the transaction (no other I/O: see ARCHITECTURE.md on
 * PGlite), and streams are locked in stream-id order so two writers do not deadlock.
 */
export class AtomicDayWriter {
  constructor(
    private readonly pool: Pool,
    private readonly store: PostgresEventStore,
  ) {}

  /** `refused(i, error)`: what to throw when step `i`'s command is refused (to name the step). */
  async handle(steps: readonly DayStep[], options: { retries?: number; refused?: (index: number, error: unknown) => unknown } = {}): Promise<AtomicResult> {
    const retries = options.retries ?? 12;
    if (new Set(steps.map((s) => s.streamId)).size !== steps.length) throw new Error('one command per stream');
    for (let attempt = 0; ; attempt++) {
      const histories = await Promise.all(steps.map((step) => this.store.readStream(step.streamId)));
      const states = histories.map((history) =>
        history.reduce((s, e) => providerDayDecider.evolve(s, e as unknown as ProviderDayEvent), providerDayDecider.initialState()),
      );
      const replay = this.replayOf(steps, histories);
      if (replay !== undefined) return { newEvents: replay, states, replayed: true };
      // A refused command (a busy provider) throws here, before anything is written.
      const decided = steps.map((step, i) => {
        try {
          return asArray(providerDayDecider.decide(step.command, states[i]!));
        } catch (error) {
          throw options.refused ? options.refused(i, error) : error;
        }
      });
      const writes = steps
        .map((step, i) => ({ step, history: histories[i]!, events: decided[i]! }))
        .filter((w) => w.events.length > 0)
        .sort((a, b) => a.step.streamId.localeCompare(b.step.streamId));
      const newStates = states.map((state, i) => decided[i]!.reduce((s, e) => providerDayDecider.evolve(s, e), state));
      if (writes.length === 0) return { newEvents: [], states: newStates, replayed: false };
      const client = await this.pool.connect();
      let failure: unknown;
      try {
        await client.query('BEGIN');
        const tx = this.store.withClient(client);
        const recorded: RecordedEvent[] = [];
        for (const { step, history, events } of writes) {
          const commandId = step.command.metadata.commandId;
          const result = await tx.append(
            step.streamId,
            history.length === 0 ? 'no-stream' : history.length,
            events.map((event, i) => ({
              id: commandId === undefined ? randomUUID() : deterministicEventId(step.streamId, commandId, i),
              type: event.type,
              data: event.data,
            })),
            metadataOf(step.command),
          );
          recorded.push(...result.events);
        }
        await client.query('COMMIT');
        return { newEvents: recorded.sort((a, b) => a.globalPosition - b.globalPosition), states: newStates, replayed: false };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        if (attempt >= retries || !(conflicting(error) || serialization(error))) throw error;
        failure = error;
      } finally {
        client.release();
      }
      // The client is back in the pool while we wait.
      if (serialization(failure)) await pause(attempt);
    }
  }

  /** The same command seen before (same commandId on the first stream): the events it wrote then. */
  private replayOf(steps: readonly DayStep[], histories: readonly RecordedEvent[][]): RecordedEvent[] | undefined {
    const first = steps[0];
    const commandId = first?.command.metadata.commandId;
    if (first === undefined || commandId === undefined) return undefined;
    const firstId = deterministicEventId(first.streamId, commandId, 0);
    if (!histories[0]!.some((e) => e.eventId === firstId)) return undefined;
    return histories
      .flatMap((history, i) => history.filter((e) => e.metadata.commandId === steps[i]!.command.metadata.commandId))
      .sort((a, b) => a.globalPosition - b.globalPosition);
  }
}
