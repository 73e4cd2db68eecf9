import type { Pool, PoolClient, QueryResultRow } from 'pg';
import {
  DuplicateEventIdError,
  validateAppendMany,
  WrongExpectedVersionError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
  type StreamAppend,
} from '../event-store.port';
import { quoteIdent } from './event-store.migrations';
import { type BatchOutcome, type PreparedAppend, batchJson, encodeExpected, prepare, recordedResult } from './prepared-append';

/** A pool, or one client inside a transaction the caller owns. */
export type Queryable = Pick<Pool, 'query'> | Pick<PoolClient, 'query'>;

const turns = new WeakMap<object, Promise<unknown>>();

/**
 * A caller's client (one connection, often inside its transaction) runs one statement at a time.
 * Statements issued concurrently on it, say appends under Promise.all in one handler, wait their
 * turn here rather than in pg's own queue, which pg deprecates ("Calling client.query() when the
 * client is already executing a query", removed in pg@9). Every store operation is one statement,
 * so taking turns per statement keeps each operation whole. Keyed by the client, so all stores
 * bound to one client share the turns.
 */
function oneStatementAtATime(client: Queryable): Queryable {
  const query = (...args: unknown[]): Promise<unknown> => {
    const run = (turns.get(client) ?? Promise.resolve()).then(() =>
      (client.query as (...a: unknown[]) => Promise<unknown>).apply(client, args),
    );
    turns.set(client, run.catch(() => undefined));
    return run;
  };
  return { query } as Queryable;
}

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

export interface PostgresEventStoreOptions {
  /**
   * Group commit: appends arriving while `concurrentWrites` statements are already in flight
   * wait and go together in the next statement (one transaction, one commit). Raises
   * throughput under concurrency at no cost when idle. 0 turns it off. Only used when the
   * store owns a pool; a store on a caller's client writes alone, in the caller's transaction.
   */
  readonly concurrentWrites?: number;
  /** Most events one combined statement carries. */
  readonly maxEventsPerWrite?: number;
  /**
   * Appends with more events than this go alone: they already amortise their commit, and the
   * combined statement's per-event JSON handling costs more than the single one's arrays
   * (8 writers x 100 events: 38,700/s alone, 33,500/s combined, on our 2-core machine).
   */
  readonly combineUpTo?: number;
}

interface Pending {
  readonly request: PreparedAppend;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
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
  private readonly batchSql: string;
  private readonly concurrentWrites: number;
  private readonly maxEventsPerWrite: number;
  private readonly combineUpTo: number;
  private readonly queue: Pending[] = [];
  private inFlight = 0;

  private readonly db: Queryable;
  /** Set when the store owns a pool: an atomic write over several streams takes a connection of it. */
  private readonly pool: Pick<Pool, 'connect'> | undefined;
  /** Set when the store runs on a caller's client: its transaction status picks BEGIN or SAVEPOINT. */
  private readonly client: Queryable | undefined;

  constructor(
    db: Queryable,
    readonly schema: string,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    const q = quoteIdent(schema);
    const ownsPool = 'totalCount' in db;
    this.db = ownsPool ? db : oneStatementAtATime(db);
    this.pool = ownsPool ? (db as Pool) : undefined;
    this.client = ownsPool ? undefined : db;
    this.concurrentWrites = ownsPool ? (options.concurrentWrites ?? 2) : 0;
    this.maxEventsPerWrite = options.maxEventsPerWrite ?? 2_000;
    this.combineUpTo = options.combineUpTo ?? 10;
    this.batchSql = `SELECT ${q}.append_events_batch($1::jsonb) AS result`;
    this.table = `${q}.events`;
    this.appendSql = `SELECT first_position, next_version, hashes, recorded_at, already_appended, error_code, actual_version
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
    return new PostgresEventStore(client, this.schema, this.options);
  }

  append(
    streamId: string,
    expected: ExpectedVersion,
    events: readonly NewEvent[],
    metadata: EventMetadata,
  ): Promise<AppendResult> {
    let request: PreparedAppend;
    try {
      request = prepare(streamId, expected, events, metadata);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.concurrentWrites === 0 || request.ids.length > this.combineUpTo) return this.appendOne(request);
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.pump();
    });
  }

  /**
   * One transaction and one statement, `append_events_batch` (group commit's function: streams
   * locked in stream-id order, the checks, hash chains and gap-free order of single appends), with
   * one reservation of positions for every part; a refused part rolls the whole transaction back.
   * (Reserving once per part, as this did before, made the second part fail with 40001 whenever a
   * later transaction had reserved meanwhile: under 16 concurrent bookings, which write the
   * appointment and the day, or four concurrent readings requests, the retries ran out.) On a pool, a serialization failure (40001: a transaction
   * begun after ours reserved positions first; 40P01: a deadlock PostgreSQL broke) retries the
   * same transaction after a short random pause: the expected versions are unchanged, so it is
   * the same write. On a caller's client the write joins its transaction (under a savepoint) and
   * such failures go back to the caller, who owns the transaction.
   */
  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    validateAppendMany(appends);
    const requests = appends.map((part) => prepare(part.streamId, part.expected, part.events, part.metadata));
    return this.atomically((db) => this.appendInOneStatement(db, requests));
  }

  private async atomically(write: (db: Queryable) => Promise<AppendResult[]>): Promise<AppendResult[]> {
    if (this.pool === undefined) return this.onClient(write);
    for (let attempt = 0; ; attempt++) {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        const results = await write(oneStatementAtATime(client));
        await client.query('COMMIT');
        return results;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        if (attempt >= 12 || !serializationFailure(error)) throw error;
      } finally {
        client.release();
      }
      // Only a serialization failure gets here; the connection is back in the pool while we wait.
      await pause(attempt);
    }
  }

  private onClient(write: (db: Queryable) => Promise<AppendResult[]>): Promise<AppendResult[]> {
    const client = this.client!;
    // The whole write takes one turn on the connection: another statement issued meanwhile on it
    // would otherwise land inside (or be undone with) this transaction.
    const run = (turns.get(client) ?? Promise.resolve()).then(async () => {
      const status = (client as { getTransactionStatus?: () => string | null }).getTransactionStatus?.();
      // In the caller's transaction ('T') a savepoint undoes our part alone; otherwise we own a transaction.
      const [begin, commit, rollback] =
        status === 'T'
          ? ['SAVEPOINT append_many', 'RELEASE SAVEPOINT append_many', 'ROLLBACK TO SAVEPOINT append_many']
          : ['BEGIN', 'COMMIT', 'ROLLBACK'];
      await client.query(begin);
      try {
        const results = await write(client);
        await client.query(commit);
        return results;
      } catch (error) {
        await client.query(rollback).catch(() => undefined);
        throw error;
      }
    });
    turns.set(client, run.catch(() => undefined));
    return run;
  }

  /** Every part in one append_events_batch statement (stream-id order inside); a refused part throws, the caller rolls back. */
  private async appendInOneStatement(db: Queryable, requests: readonly PreparedAppend[]): Promise<AppendResult[]> {
    let response: { at: string; results: BatchOutcome[] };
    try {
      const { rows } = await db.query<{ result: typeof response }>(this.batchSql, [batchJson(requests)]);
      response = rows[0]!.result;
    } catch (error) {
      throw this.translate(error, requests[0]!.streamId, requests.flatMap((r) => r.ids));
    }
    const recordedAt = new Date(response.at);
    const results: AppendResult[] = [];
    for (const [i, request] of requests.entries()) {
      const outcome = response.results[i]!;
      if ('first' in outcome) results.push(recordedResult(request, outcome.first, outcome.next, outcome.hashes, recordedAt));
      else if ('already' in outcome) results.push({ nextExpectedVersion: Number(outcome.next), events: await this.readByIds(request.ids, db), alreadyAppended: true });
      else if (outcome.code === 'CB001') throw new WrongExpectedVersionError(request.streamId, request.expected, Number(outcome.actual));
      else throw new DuplicateEventIdError(request.streamId, request.ids);
    }
    return results;
  }

  private pump(): void {
    while (this.inFlight < this.concurrentWrites && this.queue.length > 0) {
      const batch: Pending[] = [this.queue.shift()!];
      let events = batch[0]!.request.ids.length;
      while (this.queue.length > 0 && events + this.queue[0]!.request.ids.length <= this.maxEventsPerWrite) {
        const next = this.queue.shift()!;
        events += next.request.ids.length;
        batch.push(next);
      }
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async write(batch: readonly Pending[]): Promise<void> {
    if (batch.length === 1) {
      const [{ request, resolve, reject }] = batch as [Pending];
      await this.appendOne(request).then(resolve, reject);
      return;
    }
    let response: { at: string; results: BatchOutcome[] };
    try {
      const { rows } = await this.db.query<{ result: typeof response }>(this.batchSql, [
        batchJson(batch.map(({ request }) => request)),
      ]);
      response = rows[0]!.result;
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') {
        batch.forEach(({ reject }) => reject(error));
        return;
      }
      // The same event ids in two requests of the batch (or appended concurrently elsewhere):
      // each request goes alone, so only the guilty ones fail.
      await Promise.all(batch.map(({ request, resolve, reject }) => this.appendOne(request).then(resolve, reject)));
      return;
    }
    const recordedAt = new Date(response.at);
    await Promise.all(
      batch.map(async ({ request, resolve, reject }, i) => {
        const outcome = response.results[i]!;
        try {
          if ('first' in outcome) {
            resolve(recordedResult(request, outcome.first, outcome.next, outcome.hashes, recordedAt));
          } else if ('already' in outcome) {
            resolve({ nextExpectedVersion: Number(outcome.next), events: await this.readByIds(request.ids), alreadyAppended: true });
          } else if (outcome.code === 'CB001') {
            reject(new WrongExpectedVersionError(request.streamId, request.expected, Number(outcome.actual)));
          } else {
            reject(new DuplicateEventIdError(request.streamId, request.ids));
          }
        } catch (error) {
          reject(error);
        }
      }),
    );
  }

  private async appendOne(request: PreparedAppend, db: Queryable = this.db): Promise<AppendResult> {
    const { streamId, expected, ids } = request;
    let row: {
      first_position: string;
      next_version: string;
      hashes: string[];
      recorded_at: Date;
      already_appended: boolean;
      error_code: 'CB001' | 'CB002' | null;
      actual_version: string | null;
    };
    try {
      const result = await db.query(this.appendSql, [
        streamId,
        encodeExpected(expected),
        ids,
        request.types,
        request.schemaVersions,
        JSON.stringify(request.data),
        JSON.stringify(request.metadata),
        request.hashes,
      ]);
      row = result.rows[0];
    } catch (error) {
      throw this.translate(error, streamId, ids);
    }
    if (row.error_code === 'CB001') {
      throw new WrongExpectedVersionError(streamId, expected, Number(row.actual_version));
    }
    if (row.error_code === 'CB002') {
      throw new DuplicateEventIdError(streamId, ids);
    }
    if (row.already_appended) {
      const stored = await this.readByIds(ids, db);
      return { nextExpectedVersion: Number(row.next_version), events: stored, alreadyAppended: true };
    }
    return recordedResult(request, Number(row.first_position), Number(row.next_version), row.hashes, row.recorded_at);
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    const { rows } = await this.db.query<EventRow>(this.readStreamSql, [streamId, fromVersion]);
    return rows.map(toRecorded);
  }

  async readAll(after: number, limit: number): Promise<RecordedEvent[]> {
    const { rows } = await this.db.query<EventRow>(this.readAllSql, [after, limit]);
    return rows.map(toRecorded);
  }

  /**
   * Every committed event after `after`, in position order, including those readAll still holds
   * back because an older transaction is in progress somewhere in the cluster. For audits run in
   * one snapshot; a follower must use readAll, or it could skip an event that appears later.
   */
  async readCommitted(after: number, limit: number): Promise<RecordedEvent[]> {
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [after, limit],
    );
    return rows.map(toRecorded);
  }

  /**
   * Resolves once readAll shows every event committed before the call (not the ones committed
   * while it waits, so a busy store does not keep it waiting). A transaction in progress anywhere
   * in the cluster holds events back; tests, tools and a resuming live view wait here instead of
   * racing it.
   */
  async settled(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const { rows } = await this.db.query<{ committed: string | null }>(`SELECT max(global_position) AS committed FROM ${this.table}`);
    const committed = Number(rows[0]?.committed ?? 0);
    for (;;) {
      if ((await this.headPosition()) >= committed) return;
      if (Date.now() > deadline) {
        throw new Error(`events up to ${committed} not visible after ${timeoutMs} ms: a long transaction holds them back`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
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

  private async readByIds(ids: readonly string[], db: Queryable = this.db): Promise<RecordedEvent[]> {
    const { rows } = await db.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE event_id = ANY ($1::uuid[]) ORDER BY stream_version`,
      [ids],
    );
    return rows.map(toRecorded);
  }

  private translate(error: unknown, streamId: string, ids: readonly string[]): unknown {
    const pgError = error as { code?: string; detail?: string; constraint?: string };
    // The same event ids appended by two transactions at once: the loser finds them here.
    if (pgError.code === '23505' && pgError.constraint === 'events_event_id_key') {
      return new DuplicateEventIdError(streamId, ids);
    }
    return error;
  }
}

const serializationFailure = (error: unknown): boolean => ['40001', '40P01'].includes((error as { code?: string }).code ?? '');
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(100, 2 ** attempt) * (1 + Math.random())));

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
