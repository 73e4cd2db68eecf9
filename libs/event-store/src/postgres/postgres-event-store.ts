import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { contentHash, toJsonValue } from '../hash-chain';
import {
  DuplicateEventIdError,
  WrongExpectedVersionError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
} from '../event-store.port';
import { quoteIdent } from './migrations';

/** A pool, or one client inside a transaction the caller owns. */
export type Queryable = Pick<Pool, 'query'> | Pick<PoolClient, 'query'>;

interface EventRow extends QueryResultRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  hash: string;
  recorded_at: Date;
}

const COLUMNS =
  'global_position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata, hash, recorded_at';

/**
 * The event store on PostgreSQL (plain `pg`). Run `migrate(pool, schema)` once before use.
 * Each service keeps its own schema; the append is one statement, so it can join a caller's
 * transaction through `withClient` (the consumer's inbox does that).
 */
export class PostgresEventStore implements EventStore {
  private readonly table: string;
  private readonly appendSql: string;
  private readonly readAllSql: string;
  private readonly readStreamSql: string;
  private readonly headSql: string;

  constructor(
    private readonly db: Queryable,
    readonly schema: string,
  ) {
    const q = quoteIdent(schema);
    this.table = `${q}.events`;
    this.appendSql = `SELECT first_position, next_version, hashes, recorded_at, already_appended
                        FROM ${q}.append_events($1, $2, $3::uuid[], $4::text[], $5::int[], $6::jsonb, $7::jsonb, $8::text[])`;
    // Rows of transactions still in progress, or of later ones, are held back until every
    // transaction with a lower id has ended: that is what makes the order gap-free.
    this.readAllSql = `SELECT ${COLUMNS} FROM ${this.table}
                        WHERE global_position > $1
                          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                        ORDER BY global_position LIMIT $2`;
    this.readStreamSql = `SELECT ${COLUMNS} FROM ${this.table}
                           WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version`;
    this.headSql = `SELECT global_position FROM ${this.table}
                     WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                     ORDER BY global_position DESC LIMIT 1`;
  }

  /** The same store, running its statements on `client` (for example inside the caller's transaction). */
  withClient(client: Queryable): PostgresEventStore {
    return new PostgresEventStore(client, this.schema);
  }

  async append(
    streamId: string,
    expected: ExpectedVersion,
    events: readonly NewEvent[],
    metadata: EventMetadata,
  ): Promise<AppendResult> {
    if (events.length === 0) {
      throw new Error(`append to ${streamId} needs at least one event`);
    }
    const storedMetadata = toJsonValue(metadata);
    const ids = events.map((event) => event.id.toLowerCase());
    const data = events.map((event) => toJsonValue(event.data ?? null));
    const schemaVersions = events.map((event) => event.schemaVersion ?? 1);
    const hashes = events.map((event, i) =>
      contentHash({
        eventId: ids[i]!,
        type: event.type,
        schemaVersion: schemaVersions[i]!,
        data: data[i],
        metadata: storedMetadata,
      }),
    );
    let row: { first_position: string; next_version: string; hashes: string[]; recorded_at: Date; already_appended: boolean };
    try {
      const result = await this.db.query(this.appendSql, [
        streamId,
        encodeExpected(expected),
        ids,
        events.map((event) => event.type),
        schemaVersions,
        JSON.stringify(data),
        JSON.stringify(storedMetadata),
        hashes,
      ]);
      row = result.rows[0];
    } catch (error) {
      throw this.translate(error, streamId, expected, ids);
    }
    if (row.already_appended) {
      const stored = await this.readByIds(ids);
      return { nextExpectedVersion: Number(row.next_version), events: stored, alreadyAppended: true };
    }
    const first = Number(row.first_position);
    const nextVersion = Number(row.next_version);
    const recorded = events.map<RecordedEvent>((event, i) => ({
      eventId: ids[i]!,
      streamId,
      streamVersion: nextVersion - events.length + i + 1,
      globalPosition: first + i,
      type: event.type,
      schemaVersion: schemaVersions[i]!,
      data: data[i],
      metadata: storedMetadata,
      recordedAt: row.recorded_at,
      hash: row.hashes[i]!,
    }));
    return { nextExpectedVersion: nextVersion, events: recorded, alreadyAppended: false };
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    const { rows } = await this.db.query<EventRow>(this.readStreamSql, [streamId, fromVersion]);
    return rows.map(toRecorded);
  }

  async readAll(after: number, limit: number): Promise<RecordedEvent[]> {
    const { rows } = await this.db.query<EventRow>(this.readAllSql, [after, limit]);
    return rows.map(toRecorded);
  }

  async headPosition(): Promise<number> {
    const { rows } = await this.db.query<{ global_position: string }>(this.headSql);
    return rows.length === 0 ? 0 : Number(rows[0]!.global_position);
  }

  /** Current version of every stream, as recorded by appends (used by audit verification). */
  async streamHeads(): Promise<Map<string, { version: number; lastHash: string }>> {
    const { rows } = await this.db.query<{ stream_id: string; version: string; last_hash: string }>(
      `SELECT stream_id, version, last_hash FROM ${quoteIdent(this.schema)}.streams`,
    );
    return new Map(rows.map((r) => [r.stream_id, { version: Number(r.version), lastHash: r.last_hash }]));
  }

  private async readByIds(ids: readonly string[]): Promise<RecordedEvent[]> {
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE event_id = ANY ($1::uuid[]) ORDER BY stream_version`,
      [ids],
    );
    return rows.map(toRecorded);
  }

  private translate(error: unknown, streamId: string, expected: ExpectedVersion, ids: readonly string[]): unknown {
    const pgError = error as { code?: string; detail?: string; constraint?: string };
    if (pgError.code === 'CB001') {
      return new WrongExpectedVersionError(streamId, expected, Number(pgError.detail));
    }
    if (pgError.code === 'CB002') {
      return new DuplicateEventIdError(streamId, ids);
    }
    // Two appends racing on the same stream with expected 'any' or a new stream both pass the
    // head check only if one of them waited; a unique violation here means the same event ids
    // were appended concurrently.
    if (pgError.code === '23505' && pgError.constraint === 'events_event_id_key') {
      return new DuplicateEventIdError(streamId, ids);
    }
    return error;
  }
}

function encodeExpected(expected: ExpectedVersion): number {
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

function toRecorded(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    globalPosition: Number(row.global_position),
    type: row.event_type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    hash: row.hash,
  };
}
