import type { Pool, PoolClient } from 'pg';
import { type PostgresEventStore, Projection, type RecordedEvent } from '@carebridge/event-store';

/** The checkpoint of the read side (its name predates the split into one projection per question). */
export const READ_MODELS_PROJECTION = 'monitoring-read-models';

/**
 * One read model answering one question: the event types it handles and how it applies them
 * (in log order) through the read side's transaction client. Its queries live in the same file.
 */
export interface ReadModelProjection {
  readonly name: string;
  readonly canHandle: ReadonlySet<string>;
  apply(events: readonly RecordedEvent[], client: PoolClient): Promise<void>;
}

/**
 * Runs every read-model projection of the service from one checkpoint, in one transaction per
 * batch: the log is read once for all of them (a follower per question would read every event
 * again, and PostgreSQL is this service's limit), and read-your-writes waits on one position.
 */
export class MonitoringProjections {
  readonly projection: Projection;

  constructor(
    store: PostgresEventStore,
    pool: Pool,
    private readonly projections: readonly ReadModelProjection[],
    onError?: (error: unknown) => void,
  ) {
    this.projection = new Projection({
      name: READ_MODELS_PROJECTION,
      store,
      pool,
      batchSize: 2_000,
      handle: (events, client) => this.apply(events, client),
      ...(onError && { onError }),
    });
  }

  start(): void {
    this.projection.start();
  }

  stop(): Promise<void> {
    return this.projection.stop();
  }

  nudge(): void {
    this.projection.nudge();
  }

  /** Resolves once every read model holds the event at `position` (see Projection.waitFor). */
  waitFor(position: number, timeoutMs?: number): Promise<void> {
    return this.projection.waitFor(position, timeoutMs);
  }

  /** Read-your-writes after a command. */
  async include(events: readonly RecordedEvent[]): Promise<void> {
    const last = events.at(-1);
    if (last) await this.projection.waitFor(last.globalPosition);
  }

  private async apply(events: readonly RecordedEvent[], client: PoolClient): Promise<void> {
    for (const projection of this.projections) {
      const mine = events.filter((e) => projection.canHandle.has(e.type));
      if (mine.length > 0) await projection.apply(mine, client);
    }
  }
}
