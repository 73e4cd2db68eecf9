import { randomUUID } from 'node:crypto';
import { asArray, nameBasedUuid, type Command, type Decider, type Event } from '@carebridge/shared-kernel';
import {
  DuplicateEventIdError,
  WrongExpectedVersionError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
  type StreamAppend,
} from './event-store.port';

export interface HandleResult<S> {
  readonly state: S;
  readonly newEvents: readonly RecordedEvent[];
  readonly nextExpectedVersion: number;
  /** True when this command (same `commandId`) had already been handled: nothing was appended. */
  readonly replayed: boolean;
}

export interface HandleOptions {
  /** Re-read and re-decide this many times when another writer moved the stream on. */
  readonly retries?: number;
}

/** One stream's part of a write over several streams: its own decider and command. */
export interface StreamStep {
  readonly streamId: string;
  readonly decider: Decider<Command, Event, unknown>;
  readonly command: Command;
  /**
   * The version the caller read when it chose the steps (a cancel reads the appointment to know
   * whose days to free): a stream at another version throws `WrongExpectedVersionError` at once,
   * without deciding again, so the caller reads and chooses again. Omitted: the version read here.
   */
  readonly expectedVersion?: number;
}

/** A step, typed where it is built: the command and the decider must belong together. */
export function streamStep<C extends Command, E extends Event, S>(
  streamId: string,
  decider: Decider<C, E, S>,
  command: C,
  expectedVersion?: number,
): StreamStep {
  return { streamId, decider: decider as unknown as Decider<Command, Event, unknown>, command, ...(expectedVersion !== undefined && { expectedVersion }) };
}

export interface HandleManyResult {
  /** Each step's state after its command, in the order of the steps. */
  readonly states: readonly unknown[];
  /** The events of every stream, in global order. */
  readonly newEvents: readonly RecordedEvent[];
  /** Each step's stream version after the write, in the order of the steps. */
  readonly nextExpectedVersions: readonly number[];
  /** True when this command (same `commandId` on the first step) had already been handled. */
  readonly replayed: boolean;
}

export interface HandleManyOptions extends HandleOptions {
  /** What to throw when step `index`'s decider refuses its command (to name the step); the refusal itself by default. */
  readonly refused?: (index: number, error: unknown) => unknown;
}

/**
 * The whole application layer of a command: read the stream, fold it, decide, append with the
 * version read as the expected version. On a concurrent write it re-reads and decides again, so
 * the decider sees the winner's events (two bookings of one slot: the second gets the decider's
 * conflict error, not a version error). A command with a `commandId` seen before returns the
 * events it produced then.
 */
export async function handle<C extends Command, E extends Event, S>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, E, S>,
  command: C,
  options: HandleOptions = {},
): Promise<HandleResult<S>> {
  const result = await handleMany(store, [streamStep(streamId, decider, command)], { retries: options.retries ?? 3 });
  return {
    state: result.states[0] as S,
    newEvents: result.newEvents,
    nextExpectedVersion: result.nextExpectedVersions[0]!,
    replayed: result.replayed,
  };
}

// Another writer moved a stream on, or the same command was written concurrently: read and decide again.
const conflicting = (error: unknown): boolean => error instanceof WrongExpectedVersionError || error instanceof DuplicateEventIdError;

/**
 * `handle()` over several streams in one atomic write (a booking that takes the appointment's
 * stream and the provider's day, a move to another day, a series): read every stream, let each
 * step's decider decide its command, then append every stream's events together
 * (`EventStore.appendMany`: all or none), each with the version read as the expected version.
 * A refused command throws before anything is written, so no compensation is needed; a
 * concurrent writer makes the whole write re-read and decide again. Event ids derive from each
 * stream and its command's `commandId`, so a repeated command appends nothing and returns the
 * events it wrote then. One step is `handle()`: a plain `append`, which the store may group-commit.
 */
export async function handleMany(
  store: EventStore,
  steps: readonly StreamStep[],
  options: HandleManyOptions = {},
): Promise<HandleManyResult> {
  const retries = options.retries ?? 12;
  if (steps.length === 0) throw new Error('handleMany needs at least one step');
  if (new Set(steps.map((s) => s.streamId)).size !== steps.length) throw new Error('handleMany takes one command per stream');
  for (let attempt = 0; ; attempt++) {
    const histories = await Promise.all(steps.map((step) => store.readStream(step.streamId)));
    const states = steps.map((step, i) => histories[i]!.reduce((s, e) => step.decider.evolve(s, e as unknown as Event), step.decider.initialState()));
    const replay = replayOf(steps, histories);
    if (replay !== undefined) {
      return { states, newEvents: replay, nextExpectedVersions: histories.map((h) => h.length), replayed: true };
    }
    steps.forEach((step, i) => {
      const expected = step.expectedVersion;
      if (expected !== undefined && histories[i]!.length !== expected) {
        throw new WrongExpectedVersionError(step.streamId, expected === 0 ? 'no-stream' : expected, histories[i]!.length);
      }
    });
    const decided = steps.map((step, i) => {
      try {
        return asArray(step.decider.decide(step.command, states[i]));
      } catch (error) {
        throw options.refused ? options.refused(i, error) : error;
      }
    });
    const newStates = steps.map((step, i) => decided[i]!.reduce((s, e) => step.decider.evolve(s, e), states[i]));
    const writes = steps.map((_, i) => i).filter((i) => decided[i]!.length > 0);
    const nextExpectedVersions = histories.map((h) => h.length);
    if (writes.length === 0) return { states: newStates, newEvents: [], nextExpectedVersions, replayed: false };
    const appends = writes.map((i) => appendOf(steps[i]!, histories[i]!.length, decided[i]!));
    let results: AppendResult[];
    try {
      results =
        appends.length === 1
          ? [await store.append(appends[0]!.streamId, appends[0]!.expected, appends[0]!.events, appends[0]!.metadata)]
          : await store.appendMany(appends);
    } catch (error) {
      if (conflicting(error) && attempt < retries) continue;
      throw error;
    }
    writes.forEach((stepIndex, k) => (nextExpectedVersions[stepIndex] = results[k]!.nextExpectedVersion));
    return {
      states: newStates,
      newEvents: results.flatMap((r) => r.events).sort((a, b) => a.globalPosition - b.globalPosition),
      nextExpectedVersions,
      replayed: results.every((r) => r.alreadyAppended),
    };
  }
}

function appendOf(step: StreamStep, version: number, events: readonly Event[]): StreamAppend {
  const commandId = step.command.metadata.commandId;
  return {
    streamId: step.streamId,
    expected: version === 0 ? 'no-stream' : version,
    events: events.map((event, i) => ({
      id: commandId === undefined ? randomUUID() : deterministicEventId(step.streamId, commandId, i),
      type: event.type,
      data: event.data,
    })),
    metadata: metadataOf(step.command),
  };
}

/** The same command seen before (its first event id is in the first step's stream): the events it wrote then. */
function replayOf(steps: readonly StreamStep[], histories: readonly RecordedEvent[][]): RecordedEvent[] | undefined {
  const first = steps[0]!;
  const commandId = first.command.metadata.commandId;
  if (commandId === undefined) return undefined;
  const firstId = deterministicEventId(first.streamId, commandId, 0);
  if (!histories[0]!.some((e) => e.eventId === firstId)) return undefined;
  return histories
    .flatMap((history, i) => history.filter((e) => e.metadata.commandId !== undefined && e.metadata.commandId === steps[i]!.command.metadata.commandId))
    .sort((a, b) => a.globalPosition - b.globalPosition);
}

export function metadataOf(command: Command): EventMetadata {
  const m = command.metadata;
  return {
    actor: { id: m.actor.id, role: m.actor.role },
    correlationId: m.correlationId,
    occurredAt: m.now.toISOString(),
    command: command.type,
    ...(m.causationId !== undefined && { causationId: m.causationId }),
    ...(m.traceparent !== undefined && { traceparent: m.traceparent }),
    ...(m.commandId !== undefined && { commandId: m.commandId }),
    ...(m.purpose !== undefined && { purpose: m.purpose }),
  };
}

/**
 * UUID (nameBasedUuid, version 5 layout) derived from the stream, the command id and the event's index:
 * stable across retries of one command, distinct when one command id (an integration event
 * handled by several streams) reaches several streams.
 */
export function deterministicEventId(streamId: string, commandId: string, index: number): string {
  return nameBasedUuid(`carebridge:${streamId}:${commandId}:${index}`);
}
