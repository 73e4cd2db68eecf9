import { contentHashes, toJsonValue } from '../hash-chain';
import { type AppendResult, type EventMetadata, type ExpectedVersion, type NewEvent, type RecordedEvent, validateAppend } from '../event-store.port';

/** One stream's append, checked and hashed, as the SQL functions take it. */
export interface PreparedAppend {
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  readonly ids: string[];
  readonly types: string[];
  readonly schemaVersions: number[];
  readonly data: unknown[];
  readonly metadata: EventMetadata;
  readonly hashes: string[];
}

/** One request's outcome in append_events_batch's answer. */
export type BatchOutcome =
  | { first: number; next: number; hashes: string[] }
  | { already: true; next: number }
  | { code: 'CB001'; actual: number }
  | { code: 'CB002' };

/** The input of append_events_batch. */
export function batchJson(requests: readonly PreparedAppend[]): string {
  return JSON.stringify(
    requests.map((r) => ({
      s: r.streamId,
      e: encodeExpected(r.expected),
      ids: r.ids,
      types: r.types,
      sv: r.schemaVersions,
      data: r.data,
      meta: r.metadata,
      ch: r.hashes,
    })),
  );
}

export function prepare(
  streamId: string,
  expected: ExpectedVersion,
  events: readonly NewEvent[],
  metadata: EventMetadata,
): PreparedAppend {
  validateAppend(streamId, expected, events);
  const storedMetadata = toJsonValue(metadata);
  const ids = events.map((event) => event.id.toLowerCase());
  const data = events.map((event) => toJsonValue(event.data ?? null));
  const schemaVersions = events.map((event) => event.schemaVersion ?? 1);
  const types = events.map((event) => event.type);
  const hashes = contentHashes(
    events.map((event, i) => ({ eventId: ids[i]!, type: event.type, schemaVersion: schemaVersions[i]!, data: data[i] })),
    storedMetadata,
  );
  return { streamId, expected, ids, types, schemaVersions, data, metadata: storedMetadata, hashes };
}

export function recordedResult(
  request: PreparedAppend,
  firstPosition: number,
  nextVersion: number,
  hashes: readonly string[],
  recordedAt: Date,
): AppendResult {
  const count = request.ids.length;
  const events = request.ids.map<RecordedEvent>((eventId, i) => ({
    eventId,
    streamId: request.streamId,
    streamVersion: Number(nextVersion) - count + i + 1,
    globalPosition: Number(firstPosition) + i,
    type: request.types[i]!,
    schemaVersion: request.schemaVersions[i]!,
    data: request.data[i],
    metadata: request.metadata,
    recordedAt,
    hash: hashes[i]!,
  }));
  return { nextExpectedVersion: Number(nextVersion), events, alreadyAppended: false };
}

export function encodeExpected(expected: ExpectedVersion): number {
  switch (expected) {
    case 'any':
      return -1;
    case 'stream-exists':
      return -2;
    case 'no-stream':
      return 0;
    default:
      if (!Number.isInteger(expected) || expected < 0) {
        throw new Error(`expected version must be a non-negative integer, got ${expected}`);
      }
      return expected;
  }
}
