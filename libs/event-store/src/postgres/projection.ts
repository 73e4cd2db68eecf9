import type { Pool, PoolClient } from 'pg';
import type { RecordedEvent } from '../event-store.port';
import { quoteIdent } from './migrations';
import type { PostgresEventStore } from './postgres-event-store';
import { WakeableSleep } from '../wakeable-sleep';

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
  readonly onError?: (error: unknown) => void;
}

/**
 * A read model that follows the service's event store. Several replicas may run the same
 * projection: the checkpoint row is locked per batch, and a replica that finds it moved
 * re-reads from there. Rebuild a read model by emptying it and deleting its checkpoint row.
 */
export class Projection {
  private running = false;
  private loop?: Promise<void>;
  private current = 0;
  private readonly pause = new WakeableSleep();
  private readonly table: string;

  constructor(private readonly options: ProjectionOptions) {
    if ((options.handle === undefined) === (options.effect === undefined)) {
      throw new Error(`projection ${options.name}: give exactly one of handle and effect`);
    }
    this.table = `${quoteIdent(options.store.schema)}.projection_checkpoints`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.pause.wake();
    await this.loop;
  }

  /** Wakes the projection at once (after an append in this process). */
  nudge(): void {
    this.pause.wake();
  }

  position(): number {
    return this.current;
  }

  /**
   * Resolves once the read model includes the event at `position` (read-your-writes after a
   * command: `await projection.waitFor(result.newEvents.at(-1).globalPosition)`).
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
    throw new Error(`projection ${this.options.name} did not reach position ${position} within ${timeoutMs} ms`);
  }

  private async run(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    const idleMs = this.options.idleMs ?? 5;
    const maxIdleMs = this.options.maxIdleMs ?? 100;
    let idle = idleMs;
    while (this.running) {
      try {
        await this.options.pool.query(
          `INSERT INTO ${this.table} (projection_name, position) VALUES ($1, 0) ON CONFLICT DO NOTHING`,
          [this.options.name],
        );
        const stored = await this.options.pool.query<{ position: string }>(
          `SELECT position FROM ${this.table} WHERE projection_name = $1`,
          [this.options.name],
        );
        this.current = Number(stored.rows[0]!.position);
        while (this.running) {
          const events = await this.options.store.readAll(this.current, batchSize);
          if (events.length === 0) {
            await this.pause.sleep(idle);
            idle = Math.min(idle * 2, maxIdleMs);
            continue;
          }
          idle = idleMs;
          await this.apply(events);
        }
      } catch (error) {
        this.options.onError?.(error);
        if (this.running) await this.pause.sleep(1_000);
      }
    }
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
