import type { Pool, PoolClient } from 'pg';
import { InfrastructureUnavailableError } from '@carebridge/shared-kernel';
import type { RecordedEvent } from '../event-store.port';
import { quoteIdent } from './event-store.migrations';
import type { PostgresEventStore } from './postgres-event-store';
import { follow, type Follower } from '../follow';

export interface ProjectionOptions {
  /** Names the checkpoint: one per read model (`slot-search`). */
  readonly name: string;
  readonly store: PostgresEventStore;
  readonly pool: Pool;
  /**
   * Applies a batch of events (in global order) to the read model through `client`, inside the
   * transaction that also moves the checkpoint: each event is applied exactly once.
   */
  readonly handle?: (events: readonly RecordedEvent[], client: PoolClient) => Promise<void>;
  /**
   * Instead of `handle`: side effects outside the database (queue jobs, notifications), run with
   * no transaction open, then the checkpoint moves (at least once: an effect must be idempotent,
   * e.g. a job id derived from the event). Holding a transaction across network I/O would stall
   * every other writer in the embedded profile, where PGlite runs one transaction at a time.
   */
  readonly effect?: (events: readonly RecordedEvent[]) => Promise<void>;
  readonly batchSize?: number;
  readonly idleMs?: number;
  readonly maxIdleMs?: number;
  /**
   * Each failure (of the handler, the store or the checkpoint): the projection waits
   * `retry.delayMs` and reads again from its checkpoint. For a log line or a metric of the caller.
   */
  readonly onError?: (error: unknown, retry: ProjectionRetry) => void;
  /** Backoff between attempts after a failure: `initialMs` doubling up to `maxMs` (default 100 ms to 2 s, as the consumers). */
  readonly retry?: { readonly initialMs?: number; readonly maxMs?: number };
  /** One warning when a projection starts failing, one line when it recovers (default: JSON lines on stderr). */
  readonly logger?: ProjectionLogger;
}

export interface ProjectionRetry {
  /** Consecutive failures so far (1 for the first). */
  readonly attempt: number;
  /** The wait before the next attempt. */
  readonly delayMs: number;
  /** Since the first failure of this run of failures. */
  readonly failingForMs: number;
}

export interface ProjectionLogger {
  warn(message: string, fields: Record<string, unknown>): void;
  info(message: string, fields: Record<string, unknown>): void;
}

/** What a projection reports to metrics (`runningProjections()`). */
export interface ProjectionStats {
  /** Every failed attempt since the process started. */
  retries: number;
  /** When the current run of failures began; 0 while healthy. */
  failingSince: number;
}

const stderrLogger: ProjectionLogger = {
  warn: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'warn', logger: 'projection', message, ...fields })}\n`),
  info: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'info', logger: 'projection', message, ...fields })}\n`),
};

const running = new Set<Projection>();

/** The projections running in this process (a service's metrics read their retries and failing time). */
export function runningProjections(): readonly Projection[] {
  return [...running];
}

/**
 * A read model that follows the service's event store. Several replicas may run the same
 * projection: the checkpoint row is locked per batch, and a replica that finds it moved
 * re-reads from there. Rebuild a read model by emptying it and deleting its checkpoint row.
 */
export class Projection {
  private follower?: Follower;
  private current = 0;
  private readonly table: string;
  readonly stats: ProjectionStats = { retries: 0, failingSince: 0 };
  private attempt = 0;

  constructor(private readonly options: ProjectionOptions) {
    if ((options.handle === undefined) === (options.effect === undefined)) {
      throw new Error(`projection ${options.name}: give exactly one of handle and effect`);
    }
    this.table = `${quoteIdent(options.store.schema)}.projection_checkpoints`;
  }

  get name(): string {
    return this.options.name;
  }

  start(): void {
    if (this.follower) return;
    running.add(this);
    this.follower = follow({
      store: this.options.store,
      start: () => this.loadCheckpoint(),
      apply: async (events) => {
        await this.apply(events);
        return this.current;
      },
      batchSize: this.options.batchSize ?? 500,
      idleMs: this.options.idleMs ?? 5,
      maxIdleMs: this.options.maxIdleMs ?? 100,
      onError: (error) => this.failed(error),
      onProgress: () => this.recovered(),
    });
  }

  async stop(): Promise<void> {
    running.delete(this);
    const follower = this.follower;
    this.follower = undefined;
    await follower?.stop();
  }

  /** Wakes the projection at once (after an append in this process). */
  nudge(): void {
    this.follower?.nudge();
  }

  position(): number {
    return this.current;
  }

  /**
   * Resolves once the read model includes the event at `position` (read-your-writes after a
   * command: `await projection.waitFor(result.newEvents.at(-1).globalPosition)`). Late after
   * `timeoutMs`: InfrastructureUnavailableError (503 at the edge).
   */
  async waitFor(position: number, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.nudge();
    while (Date.now() < deadline) {
      if (this.current >= position) return;
      const { rows } = await this.options.pool.query<{ position: string }>(
        `SELECT position FROM ${this.table} WHERE projection_name = $1`,
        [this.options.name],
      );
      if (rows.length > 0 && Number(rows[0]!.position) >= position) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // The command is stored; only its read model is late (an outage, or a machine too busy to keep
    // up): a 503 with Retry-After, and the client's retry with the same Idempotency-Key answers
    // from the stored command. A 500 said "bug" for what a retry fixes (issue 21, clinic scenario).
    throw new InfrastructureUnavailableError(
      'read-model',
      new Error(`projection ${this.options.name} did not reach position ${position} within ${timeoutMs} ms`),
    );
  }

  /** Where this projection resumes: its checkpoint row (created at 0 the first time). */
  private async loadCheckpoint(): Promise<number> {
    await this.options.pool.query(
      `INSERT INTO ${this.table} (projection_name, position) VALUES ($1, 0) ON CONFLICT DO NOTHING`,
      [this.options.name],
    );
    const stored = await this.options.pool.query<{ position: string }>(
      `SELECT position FROM ${this.table} WHERE projection_name = $1`,
      [this.options.name],
    );
    this.current = Number(stored.rows[0]!.position);
    return this.current;
  }

  /** Capped exponential backoff (was a fixed 1 s): quick after a blip, at most `maxMs` apart during an outage. */
  private failed(error: unknown): number {
    const now = Date.now();
    const initialMs = this.options.retry?.initialMs ?? 100;
    const maxMs = this.options.retry?.maxMs ?? 2_000;
    this.attempt++;
    this.stats.retries++;
    if (this.stats.failingSince === 0) {
      this.stats.failingSince = now;
      (this.options.logger ?? stderrLogger).warn(`projection ${this.options.name} failing; retrying from its checkpoint with backoff`, {
        projection: this.options.name,
        schema: this.options.store.schema,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    const delayMs = Math.min(maxMs, initialMs * 2 ** Math.min(this.attempt - 1, 30));
    this.options.onError?.(error, { attempt: this.attempt, delayMs, failingForMs: now - this.stats.failingSince });
    return delayMs;
  }

  private recovered(): void {
    if (this.stats.failingSince === 0) return;
    (this.options.logger ?? stderrLogger).info(`projection ${this.options.name} reading again`, {
      projection: this.options.name,
      schema: this.options.store.schema,
      failedForMs: Date.now() - this.stats.failingSince,
      attempts: this.attempt,
    });
    this.stats.failingSince = 0;
    this.attempt = 0;
  }

  private async apply(events: readonly RecordedEvent[]): Promise<void> {
    if (this.options.effect) return this.applyEffect(events, this.options.effect);
    const client = await this.options.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const locked = await client.query<{ position: string }>(
        `SELECT position FROM ${this.table} WHERE projection_name = $1 FOR UPDATE`,
        [this.options.name],
      );
      const position = Number(locked.rows[0]!.position);
      if (position !== this.current) {
        // Another replica applied these events meanwhile.
        await client.query('ROLLBACK');
        this.current = position;
        return;
      }
      await this.options.handle!(events, client);
      const last = events.at(-1)!.globalPosition;
      await client.query(`UPDATE ${this.table} SET position = $2, updated_at = now() WHERE projection_name = $1`, [
        this.options.name,
        last,
      ]);
      await client.query('COMMIT');
      this.current = last;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async applyEffect(events: readonly RecordedEvent[], effect: (events: readonly RecordedEvent[]) => Promise<void>): Promise<void> {
    await effect(events);
    const last = events.at(-1)!.globalPosition;
    // Compare-and-set: a replica that moved the checkpoint meanwhile ran the same effects.
    const moved = await this.options.pool.query<{ position: string }>(
      `UPDATE ${this.table} SET position = $3, updated_at = now() WHERE projection_name = $1 AND position = $2 RETURNING position`,
      [this.options.name, this.current, last],
    );
    if (moved.rowCount === 1) {
      this.current = last;
      return;
    }
    const stored = await this.options.pool.query<{ position: string }>(`SELECT position FROM ${this.table} WHERE projection_name = $1`, [
      this.options.name,
    ]);
    this.current = Number(stored.rows[0]!.position);
  }

}
