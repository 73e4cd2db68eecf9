import type { Pool, PoolClient } from 'pg';
import type { EventStore, RecordedEvent } from '@carebridge/event-store';
import { follow, quoteIdent, type Follower } from '@carebridge/event-store';
import { isInfrastructureUnavailable } from '@carebridge/shared-kernel';
import type { BrokerProducer, MessageBroker, OutgoingMessage } from '../broker/message-broker.port';
import { createIdempotentProducer } from '../kafka';
import type { EventPublisher } from './outgoing';

export interface RelayLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface RelayOptions {
  /** Names the checkpoint and the leader lock; one relay per service. */
  readonly name: string;
  readonly store: EventStore;
  readonly pool: Pool;
  /** Schema holding the messaging tables (see messagingMigrations). */
  readonly schema: string;
  /** The broker: kafkajs on Kafka, or the embedded profile's in-process bus. */
  readonly kafka: MessageBroker;
  readonly publisher: EventPublisher;
  readonly batchSize?: number;
  readonly idleMs?: number;
  readonly maxIdleMs?: number;
  /** How often a standby instance tries to become the leader. */
  readonly leaderRetryMs?: number;
  /**
   * Upper bound of one produce request. Kafka refuses a partition's record batch above
   * `message.max.bytes` (1 MiB by default), so a large read is sent in several requests, in order.
   */
  readonly maxRequestBytes?: number;
  readonly logger?: RelayLogger;
}

// JSON lines on stderr when the service passes no logger of its own.
const stderrLogger: RelayLogger = {
  info: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'info', logger: 'relay', message, ...fields })}\n`),
  error: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'error', logger: 'relay', message, ...fields })}\n`),
};

export interface RelayStats {
  readonly leader: boolean;
  /** Last global position whose integration events Kafka acknowledged. */
  readonly checkpoint: number;
  readonly publishedMessages: number;
  readonly relayedEvents: number;
  /** Since when (epoch ms) the relay fails to publish, e.g. while the broker is away; 0 when it works. */
  readonly failingSince: number;
}

/**
 * Publishes the integration events of stored events to Kafka, in global order, from a
 * checkpoint that moves only after Kafka acknowledged the batch. Killed at any point, it
 * publishes again from the last checkpoint: at least once, never lost, per-key order kept
 * (idempotent producer, one request in flight). One instance per name is the leader (a
 * PostgreSQL session lock); others wait, so scaling a service out does not double-publish.
 */
export class Relay {
  private follower?: Follower;
  private leaderClient?: PoolClient;
  private producer?: BrokerProducer;
  /** The wait after the last failure of an outage (0: none going on). */
  private outageDelay = 0;
  private stats: RelayStats = { leader: false, checkpoint: 0, publishedMessages: 0, relayedEvents: 0, failingSince: 0 };
  private readonly checkpointTable: string;

  constructor(private readonly options: RelayOptions) {
    this.checkpointTable = `${quoteIdent(options.schema)}.relay_checkpoints`;
  }

  start(): void {
    if (this.follower) return;
    const log = this.options.logger ?? stderrLogger;
    this.follower = follow({
      store: this.options.store,
      start: async () => {
        // Not the leader: another instance publishes; this one asks again after leaderRetryMs.
        if (!(await this.becomeLeader())) return undefined;
        log.info('relay is leader', { relay: this.options.name, checkpoint: this.stats.checkpoint });
        this.outageDelay = 0;
        this.stats = { ...this.stats, failingSince: 0 };
        return this.stats.checkpoint;
      },
      apply: async (events) => {
        await this.publishBatch(events);
        return this.stats.checkpoint;
      },
      batchSize: this.options.batchSize ?? 1_000,
      idleMs: this.options.idleMs ?? 5,
      maxIdleMs: this.options.maxIdleMs ?? 50,
      // Read the following batch from PostgreSQL while this one goes to Kafka.
      readAhead: true,
      standbyMs: this.options.leaderRetryMs ?? 2_000,
      onError: (error) => this.failed(error),
      onEnd: () => this.resign(),
    });
  }

  /** Finishes the batch in hand (its checkpoint included), then releases leadership. */
  async stop(): Promise<void> {
    const follower = this.follower;
    this.follower = undefined;
    await follower?.stop();
  }

  /** Wakes an idle relay at once (an append in this process). */
  nudge(): void {
    this.follower?.nudge();
  }

  status(): RelayStats {
    return this.stats;
  }

  /**
   * While PostgreSQL or the broker is away the relay retries for ever, 100 ms doubling to 2 s,
   * and says so once per outage (warn); any other failure is an error, retried after 1 s.
   */
  private failed(error: unknown): number {
    const log = this.options.logger ?? stderrLogger;
    if (this.stats.failingSince === 0) this.stats = { ...this.stats, failingSince: Date.now() };
    if (!isInfrastructureUnavailable(error)) {
      log.error('relay failed; retrying from the last checkpoint', { relay: this.options.name, error: (error as Error).message });
      return 1_000;
    }
    if (this.outageDelay === 0) {
      const fields = { relay: this.options.name, error: (error as Error).message };
      const message = 'infrastructure unavailable; the relay retries from its checkpoint until it answers';
      if (log.warn) log.warn(message, fields);
      else log.error(message, fields);
    }
    this.outageDelay = Math.min(2_000, Math.max(100, this.outageDelay * 2));
    return this.outageDelay;
  }

  private async becomeLeader(): Promise<boolean> {
    const client = await this.options.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        `carebridge.relay.${this.options.schema}.${this.options.name}`,
      ]);
      if (!rows[0]!.locked) {
        client.release();
        return false;
      }
      // An idle client's connection error is emitted on the client; without a listener it
      // would crash the process. The next query on it fails and the relay re-contests.
      client.on('error', this.ignoreIdleError);
      this.leaderClient = client;
      await client.query(
        `INSERT INTO ${this.checkpointTable} (relay_name, position) VALUES ($1, 0) ON CONFLICT (relay_name) DO NOTHING`,
        [this.options.name],
      );
      const checkpoint = await client.query<{ position: string }>(
        `SELECT position FROM ${this.checkpointTable} WHERE relay_name = $1`,
        [this.options.name],
      );
      this.stats = { ...this.stats, leader: true, checkpoint: Number(checkpoint.rows[0]!.position) };
      this.producer = createIdempotentProducer(this.options.kafka);
      await this.producer.connect();
      return true;
    } catch (error) {
      if (this.leaderClient !== client) client.release();
      throw error;
    }
  }

  private async publishBatch(events: readonly RecordedEvent[]): Promise<void> {
    const maxBytes = this.options.maxRequestBytes ?? 768 * 1024;
    let published = 0;
    let chunk = new Map<string, OutgoingMessage[]>();
    let chunkBytes = 0;
    const flush = async () => {
      if (chunk.size === 0) return;
      await this.producer!.sendBatch({
        acks: -1,
        topicMessages: [...chunk].map(([topic, messages]) => ({ topic, messages })),
      });
      chunk = new Map();
      chunkBytes = 0;
    };
    for (const event of events) {
      for (const record of this.options.publisher(event)) {
        const size =
          Buffer.byteLength(record.value) +
          Buffer.byteLength(record.key) +
          Object.entries(record.headers).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0) +
          100;
        if (size > maxBytes) {
          // Never dropped: the relay stops here until the limit is raised, and says why.
          throw new Error(
            `integration event for ${event.eventId} is ${size} bytes, above the ${maxBytes}-byte request limit`,
          );
        }
        if (chunkBytes + size > maxBytes) await flush();
        const messages = chunk.get(record.topic) ?? [];
        messages.push({ key: record.key, value: record.value, headers: record.headers });
        chunk.set(record.topic, messages);
        chunkBytes += size;
        published++;
      }
    }
    await flush();
    const last = events.at(-1)!.globalPosition;
    // On the leader's own session: an instance that lost its lock cannot move the checkpoint.
    await this.leaderClient!.query(
      `UPDATE ${this.checkpointTable} SET position = $2, updated_at = now() WHERE relay_name = $1`,
      [this.options.name, last],
    );
    this.stats = {
      ...this.stats,
      checkpoint: last,
      publishedMessages: this.stats.publishedMessages + published,
      relayedEvents: this.stats.relayedEvents + events.length,
    };
  }

  private async resign(): Promise<void> {
    this.stats = { ...this.stats, leader: false };
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = undefined;
    const client = this.leaderClient;
    this.leaderClient = undefined;
    if (client) {
      client.off('error', this.ignoreIdleError);
      try {
        await client.query('SELECT pg_advisory_unlock_all()');
        client.release();
      } catch (error) {
        client.release(error as Error);
      }
    }
  }

  private readonly ignoreIdleError = (): void => undefined;

}
