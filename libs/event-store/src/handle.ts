import { randomUUID } from 'node:crypto';
import { asArray, nameBasedUuid, type Command, type Decider, type Event } from '@carebridge/shared-kernel';
import {
  WrongExpectedVersionError,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
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
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    const history = await store.readStream(streamId);
    const state = history.reduce((s, e) => decider.evolve(s, e as unknown as E), decider.initialState());
    const commandId = command.metadata.commandId;
    if (commandId !== undefined) {
      const firstId = deterministicEventId(streamId, commandId, 0);
      const earlier = history.filter((e) => e.metadata.commandId === commandId);
      if (earlier.some((e) => e.eventId === firstId)) {
        return { state, newEvents: earlier, nextExpectedVersion: history.length, replayed: true };
      }
    }
    const decided = asArray(decider.decide(command, state));
    if (decided.length === 0) {
      return { state, newEvents: [], nextExpectedVersion: history.length, replayed: false };
    }
    try {
      const result = await store.append(
        streamId,
        history.length === 0 ? 'no-stream' : history.length,
        decided.map((event, i) => ({
          id: commandId === undefined ? randomUUID() : deterministicEventId(streamId, commandId, i),
          type: event.type,
          data: event.data,
        })),
        metadataOf(command),
      );
      const newState = decided.reduce((s, e) => decider.evolve(s, e), state);
      return {
        state: newState,
        newEvents: result.events,
        nextExpectedVersion: result.nextExpectedVersion,
        replayed: result.alreadyAppended,
      };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError && attempt < retries) continue;
      throw error;
    }
  }
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
