import { type ActorRole, isUuid } from '@carebridge/shared-kernel';

/**
 * `no-stream`: the stream must not exist yet. `stream-exists`: it must have at least one event.
 * `any`: no check. A number: the stream's current version must equal it (optimistic concurrency).
 */
export type ExpectedVersion = number | 'no-stream' | 'stream-exists' | 'any';

/** Who, when, why: copied from the command into every event, so the store is the audit trail. */
export interface EventMetadata {
  readonly actor: { readonly id: string; readonly role: ActorRole };
  readonly correlationId: string;
  readonly causationId?: string;
  readonly traceparent?: string;
  /** ISO-8601 time the command says the thing happened (the command's `now`). */
  readonly occurredAt: string;
  /** The command type that produced the events. */
  readonly command?: string;
  readonly commandId?: string;
  readonly purpose?: string;
}

export interface NewEvent {
  /** UUID; appending an id that is already in the stream is a no-op (safe retries). */
  readonly id: string;
  readonly type: string;
  readonly schemaVersion?: number;
  readonly data: unknown;
}

export interface RecordedEvent<Data = unknown> {
  readonly eventId: string;
  readonly streamId: string;
  /** 1-based position within the stream. */
  readonly streamVersion: number;
  /** Position in the store's global log: increasing in the order readers see events. */
  readonly globalPosition: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
  /** Set by the store (the database clock for PostgreSQL). */
  readonly recordedAt: Date;
  /** SHA-256 chained to the previous event of the stream (tamper evidence). */
  readonly hash: string;
}

export interface AppendResult {
  /** Version of the stream after the append: pass it as the next expected version. */
  readonly nextExpectedVersion: number;
  readonly events: readonly RecordedEvent[];
  /** True when every event id was already stored: nothing new was appended. */
  readonly alreadyAppended: boolean;
}

/** One stream's part of an atomic write over several streams. */
export interface StreamAppend {
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  readonly events: readonly NewEvent[];
  readonly metadata: EventMetadata;
}

export interface EventStore {
  append(
    streamId: string,
    expected: ExpectedVersion,
    events: readonly NewEvent[],
    metadata: EventMetadata,
  ): Promise<AppendResult>;
  /**
   * Appends to several distinct streams atomically: every stream takes its events or none does
   * (the first refusal, say a WrongExpectedVersionError, is thrown and nothing is stored). Each
   * part is checked and chained as `append` does; results come in the order of `appends`.
   */
  appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** Events of one stream from `fromVersion` (inclusive, default 1), in order. */
  readStream(streamId: string, fromVersion?: number): Promise<RecordedEvent[]>;
  /**
   * Up to `limit` events with a global position greater than `after`, in global order.
   * Never returns an event while an event with a lower position may still appear.
   */
  readAll(after: number, limit: number): Promise<RecordedEvent[]>;
  /** Highest position readAll can currently return (0 when empty). */
  headPosition(): Promise<number>;
}

/** The store could not apply the append because the stream moved on. Retry by re-reading. */
export class WrongExpectedVersionError extends Error {
  readonly code = 'EVENT_STORE.WRONG_EXPECTED_VERSION';
  readonly kind = 'conflict' as const;
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** Some, but not all, of the event ids of an append are already stored, or stored in another stream. */
export class DuplicateEventIdError extends Error {
  readonly code = 'EVENT_STORE.DUPLICATE_EVENT_ID';
  readonly kind = 'conflict' as const;
  constructor(readonly streamId: string, readonly eventIds: readonly string[]) {
    super(`Event ids already stored elsewhere or partially appended to ${streamId}: ${eventIds.join(', ')}`);
    this.name = 'DuplicateEventIdError';
  }
}

/** Event data PostgreSQL's jsonb cannot hold (NUL characters, lone UTF-16 surrogates), or a malformed append. */
export class InvalidEventDataError extends Error {
  readonly code = 'EVENT_STORE.INVALID_EVENT_DATA';
  readonly kind = 'invalid' as const;
  constructor(readonly streamId: string, reason: string) {
    super(`Cannot append to ${streamId}: ${reason}`);
    this.name = 'InvalidEventDataError';
  }
}

/** True when `value` holds a string (or key) with NUL or a lone UTF-16 surrogate, which jsonb refuses. */
function holdsUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') {
    return value.includes('\u0000') || !(value as string & { isWellFormed(): boolean }).isWellFormed();
  }
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(holdsUnstorableText);
  return Object.entries(value).some(([key, item]) => holdsUnstorableText(key) || holdsUnstorableText(item));
}

/**
 * Checks an append before it reaches an adapter, so every adapter refuses the same things.
 */
export function validateAppend(streamId: string, expected: ExpectedVersion, events: readonly NewEvent[]): void {
  if (streamId.length === 0 || streamId.length > 200) {
    throw new InvalidEventDataError(streamId, 'stream id must have 1 to 200 characters');
  }
  if (events.length === 0) {
    throw new InvalidEventDataError(streamId, 'an append needs at least one event');
  }
  if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new InvalidEventDataError(streamId, `expected version must be a non-negative integer, got ${expected}`);
  }
  const ids = new Set<string>();
  for (const event of events) {
    const id = event.id.toLowerCase();
    if (!isUuid(id)) {
      throw new InvalidEventDataError(streamId, `event id ${JSON.stringify(event.id)} is not a UUID`);
    }
    if (ids.has(id)) {
      throw new InvalidEventDataError(streamId, `event id ${id} appears twice in one append`);
    }
    ids.add(id);
    if (!event.type) {
      throw new InvalidEventDataError(streamId, 'every event needs a type');
    }
    if (holdsUnstorableText(event.data)) {
      throw new InvalidEventDataError(streamId, `${event.type} data holds a NUL character or a lone UTF-16 surrogate`);
    }
  }
}

/** Checks an atomic write over several streams: each part as `validateAppend`, each stream once. */
export function validateAppendMany(appends: readonly StreamAppend[]): void {
  if (appends.length === 0) throw new InvalidEventDataError('', 'an atomic write needs at least one stream');
  const streams = new Set<string>();
  for (const part of appends) {
    validateAppend(part.streamId, part.expected, part.events);
    if (streams.has(part.streamId)) {
      throw new InvalidEventDataError(part.streamId, 'a stream appears twice in one atomic write');
    }
    streams.add(part.streamId);
  }
}

export function versionMatches(expected: ExpectedVersion, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no-stream':
      return actual === 0;
    case 'stream-exists':
      return actual > 0;
    default:
      return expected === actual;
  }
}
