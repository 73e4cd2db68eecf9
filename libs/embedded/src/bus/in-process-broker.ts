import { EventEmitter } from 'node:events';
import type { Pool } from 'pg';
import type { BrokerProducer, ConsumerGroupOptions, MessageBroker, OutgoingMessage, TopicMessages } from '@carebridge/messaging';
import type { BusLog, BusMessage, Member, WakeSignal } from './bus-log';
import { inProcessAdmin } from './in-process-admin';
import { InProcessConsumer } from './in-process-consumer';
import { partitionForKey } from './partitioner';

/**
 * The in-process bus of the embedded profile (and of the messaging tests with
 * CAREBRIDGE_TEST_BUS=in-process): the broker port of libs/messaging on a log kept in PostgreSQL
 * (PGlite in the embedded profile), so a restart loses nothing.
 *
 * Kafka semantics kept, because the relay and the consumers rely on them:
 * - topics with partitions; a message's partition is chosen from its key (same key, same
 *   partition), so per-key order holds; offsets are gap-free per partition;
 * - consumer groups: every group sees every message; the members of one group share the
 *   partitions of a topic (each partition has one member at a time);
 * - at-least-once: a group's offset is committed only after its handler resolved; a handler that
 *   throws gets the same message again after a back-off (kafkajs restarts the consumer the same way);
 * - `fromBeginning` applies only to a group with no committed offset;
 * - dead-letter topics are ordinary topics (the consumer code writes them).
 * Not kept: replication, transactions, compaction, retention (the log grows; the embedded profile
 * is for development and demos, see docs/embedded.md).
 */

export interface InProcessBrokerOptions {
  readonly pool: Pool;
  /** Schema of the log tables (default `carebridge_bus`). */
  readonly schema?: string;
  /** Partitions of a topic created implicitly by a producer or a subscription (default 3). */
  readonly defaultPartitions?: number;
  /** Messages fetched per partition and round (default 200). */
  readonly fetchSize?: number;
  /** Back-off after a handler failure, doubled up to 5 s (default 200 ms). */
  readonly retryBackoffMs?: number;
  /** How long an idle consumer sleeps when no producer wakes it (default 1 s). */
  readonly idlePollMs?: number;
  readonly onError?: (error: unknown, context: Record<string, unknown>) => void;
}

class UnknownTopicError extends Error {
  readonly type = 'UNKNOWN_TOPIC_OR_PARTITION';
  constructor(topic: string) {
    super(`This server does not host this topic-partition: ${topic}`);
    this.name = 'KafkaJSProtocolError';
  }
}

const toBuffer = (v: Buffer | string): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v));

/** Where each message went, as kafkajs reports a send. */
export interface RecordMetadata {
  readonly topicName: string;
  readonly partition: number;
  readonly errorCode: number;
  readonly baseOffset: string;
  readonly logAppendTime: string;
  readonly logStartOffset: string;
}

/** The port's producer, reporting where each message went (as kafkajs does). */
export interface InProcessProducer extends BrokerProducer {
  send(record: TopicMessages & { readonly acks?: number }): Promise<RecordMetadata[]>;
  sendBatch(batch: { readonly topicMessages: TopicMessages[]; readonly acks?: number }): Promise<RecordMetadata[]>;
  /** Refused: the bus has no Kafka transactions (nothing in Carebridge uses them). */
  transaction(): Promise<never>;
}

export class InProcessBroker implements MessageBroker, BusLog {
  /** The quoted schema of the log tables. */
  readonly schema: string;
  private readonly wake = new EventEmitter();
  private readonly partitionsOf = new Map<string, number>();
  private readonly nextOffset = new Map<string, number>();
  private readonly members = new Map<string, Member[]>();
  /** group/topic/partition -> member id processing it now (no two members of a group share one). */
  private readonly claims = new Map<string, string>();
  private ready?: Promise<void>;
  private writeChain: Promise<unknown> = Promise.resolve();
  private memberSeq = 0;

  constructor(private readonly options: InProcessBrokerOptions) {
    this.schema = `"${(options.schema ?? 'carebridge_bus').replace(/"/g, '""')}"`;
    this.wake.setMaxListeners(0);
  }

  get pool(): Pool {
    return this.options.pool;
  }

  /** Creates the log tables (idempotent) and loads topic metadata. */
  init(): Promise<void> {
    this.ready ??= (async () => {
      const s = this.schema;
      await this.options.pool.query(`
        CREATE SCHEMA IF NOT EXISTS ${s};
        CREATE TABLE IF NOT EXISTS ${s}.topics (name text PRIMARY KEY, partitions int NOT NULL CHECK (partitions > 0));
        CREATE TABLE IF NOT EXISTS ${s}.messages (
          topic text NOT NULL, partition int NOT NULL, "offset" bigint NOT NULL,
          key bytea, value bytea, headers jsonb NOT NULL DEFAULT '{}', ts bigint NOT NULL,
          PRIMARY KEY (topic, partition, "offset"));
        CREATE TABLE IF NOT EXISTS ${s}.group_offsets (
          group_id text NOT NULL, topic text NOT NULL, partition int NOT NULL, next_offset bigint NOT NULL,
          PRIMARY KEY (group_id, topic, partition));`);
      const topics = await this.options.pool.query<{ name: string; partitions: number }>(`SELECT name, partitions FROM ${s}.topics`);
      for (const t of topics.rows) this.partitionsOf.set(t.name, t.partitions);
      await this.refreshEnds();
    })();
    return this.ready;
  }

  admin() {
    return inProcessAdmin(this);
  }

  producer(): InProcessProducer {
    return {
      connect: () => this.init(),
      disconnect: async () => undefined,
      send: ({ topic, messages }) => this.append([{ topic, messages }]),
      sendBatch: ({ topicMessages }) => this.append(topicMessages),
      transaction: async () => {
        throw new Error('the embedded bus has no Kafka transactions');
      },
    };
  }

  consumer(options: ConsumerGroupOptions): InProcessConsumer {
    return new InProcessConsumer(this, options.groupId);
  }

  // ---- BusLog: the log and the groups, for InProcessConsumer and the admin ----------------------

  /** Topics and their partition counts. */
  topics(): ReadonlyMap<string, number> {
    return this.partitionsOf;
  }

  defaultPartitions(): number {
    return this.options.defaultPartitions ?? 3;
  }

  /** Creates a topic unless it exists; true when created. */
  async createTopic(topic: string, partitions: number): Promise<boolean> {
    if (this.partitionsOf.has(topic)) return false;
    await this.options.pool.query(`INSERT INTO ${this.schema}.topics (name, partitions) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      topic,
      partitions,
    ]);
    const row = await this.options.pool.query<{ partitions: number }>(`SELECT partitions FROM ${this.schema}.topics WHERE name = $1`, [topic]);
    this.partitionsOf.set(topic, row.rows[0]!.partitions);
    return true;
  }

  partitions(topic: string): number {
    const n = this.partitionsOf.get(topic);
    if (n === undefined) throw new UnknownTopicError(topic);
    return n;
  }

  endOffset(topic: string, partition: number): number {
    return this.nextOffset.get(`${topic}/${partition}`) ?? 0;
  }

  /**
   * Appends in one transaction; offsets are assigned under a process-wide chain (this process
   * owns the log), so they are gap-free and follow the order of the calls.
   */
  private append(batches: readonly { topic: string; messages: readonly OutgoingMessage[] }[]): Promise<RecordMetadata[]> {
    const run = async () => {
      await this.init();
      for (const b of batches) if (!this.partitionsOf.has(b.topic)) await this.createTopic(b.topic, this.defaultPartitions());
      const { rows, reserved, metadata } = this.placeMessages(batches);
      if (rows.length === 0) return metadata;
      await this.insertRows(rows);
      for (const [slot, next] of reserved) this.nextOffset.set(slot, next);
      this.wake.emit('append');
      return metadata;
    };
    const next = this.writeChain.then(run, run);
    this.writeChain = next.catch(() => undefined);
    return next;
  }

  /** Each message's partition (from its key) and offset, as rows of the log. */
  private placeMessages(batches: readonly { topic: string; messages: readonly OutgoingMessage[] }[]) {
    const rows: unknown[][] = [];
    const metadata: RecordMetadata[] = [];
    const reserved = new Map<string, number>();
    const now = Date.now();
    let roundRobin = 0;
    for (const { topic, messages } of batches) {
      const n = this.partitions(topic);
      for (const m of messages) {
        const key = m.key === undefined || m.key === null ? null : toBuffer(m.key);
        const partition = m.partition ?? (key ? partitionForKey(key, n) : roundRobin++ % n);
        const slot = `${topic}/${partition}`;
        const offset = reserved.get(slot) ?? this.endOffset(topic, partition);
        reserved.set(slot, offset + 1);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(m.headers ?? {})) {
          const first = Array.isArray(v) ? v[0] : v;
          if (first !== undefined) headers[k] = toBuffer(first).toString('base64');
        }
        rows.push([topic, partition, offset, key, m.value === null ? null : toBuffer(m.value), JSON.stringify(headers), m.timestamp ?? String(now)]);
        metadata.push({ topicName: topic, partition, errorCode: 0, baseOffset: String(offset), logAppendTime: '-1', logStartOffset: '0' });
      }
    }
    return { rows, reserved, metadata };
  }

  private async insertRows(rows: readonly unknown[][]): Promise<void> {
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      for (let i = 0; i < rows.length; i += 500) {
        const params: unknown[] = [];
        const values = rows
          .slice(i, i + 500)
          .map((r) => `(${r.map((v) => `$${params.push(v)}`).join(', ')})`)
          .join(', ');
        await client.query(`INSERT INTO ${this.schema}.messages (topic, partition, "offset", key, value, headers, ts) VALUES ${values}`, params);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Loads the partitions' ends from the log (all topics at start; the subscribed ones when idle:
   * another process may append to it, e.g. a test's relay in a child process). Offsets are only
   * ever assigned by one writing process.
   */
  async refreshEnds(topics?: readonly string[]): Promise<void> {
    const ends = await this.options.pool.query<{ topic: string; partition: number; next: string }>(
      `SELECT topic, partition, max("offset") + 1 AS next FROM ${this.schema}.messages
        WHERE $1::text[] IS NULL OR topic = ANY($1) GROUP BY topic, partition`,
      [topics ?? null],
    );
    for (const e of ends.rows) {
      const key = `${e.topic}/${e.partition}`;
      if (Number(e.next) > (this.nextOffset.get(key) ?? 0)) this.nextOffset.set(key, Number(e.next));
    }
  }

  async fetch(topic: string, partition: number, from: number, limit: number): Promise<BusMessage[]> {
    const rows = await this.options.pool.query<{ offset: string; key: Buffer | null; value: Buffer | null; headers: Record<string, string>; ts: string }>(
      `SELECT "offset", key, value, headers, ts FROM ${this.schema}.messages
        WHERE topic = $1 AND partition = $2 AND "offset" >= $3 ORDER BY "offset" LIMIT $4`,
      [topic, partition, from, limit],
    );
    return rows.rows.map((r) => {
      const headers: Record<string, Buffer> = {};
      for (const [k, v] of Object.entries(r.headers)) headers[k] = Buffer.from(v, 'base64');
      return { key: r.key, value: r.value, headers, offset: String(r.offset), timestamp: String(r.ts) };
    });
  }

  async committed(groupId: string, topic: string, partition: number): Promise<number | undefined> {
    const row = await this.options.pool.query<{ next_offset: string }>(
      `SELECT next_offset FROM ${this.schema}.group_offsets WHERE group_id = $1 AND topic = $2 AND partition = $3`,
      [groupId, topic, partition],
    );
    return row.rows[0] ? Number(row.rows[0].next_offset) : undefined;
  }

  async commit(groupId: string, topic: string, partition: number, nextOffset: number): Promise<void> {
    await this.options.pool.query(
      `INSERT INTO ${this.schema}.group_offsets (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
       ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = GREATEST(${this.schema}.group_offsets.next_offset, EXCLUDED.next_offset)`,
      [groupId, topic, partition, nextOffset],
    );
  }

  join(groupId: string, topics: Set<string>): Member {
    const member: Member = { id: `${groupId}-${++this.memberSeq}`, groupId, topics };
    this.members.set(groupId, [...(this.members.get(groupId) ?? []), member]);
    return member;
  }

  leave(member: Member): void {
    this.members.set(member.groupId, (this.members.get(member.groupId) ?? []).filter((m) => m !== member));
    for (const [k, v] of this.claims) if (v === member.id) this.claims.delete(k);
  }

  /** The partitions of `topic` this member owns: spread over the group's members of that topic. */
  assignment(member: Member, topic: string): number[] {
    const peers = (this.members.get(member.groupId) ?? []).filter((m) => m.topics.has(topic));
    const index = peers.indexOf(member);
    if (index < 0) return [];
    const n = this.partitionsOf.get(topic) ?? 0;
    return Array.from({ length: n }, (_, p) => p).filter((p) => p % peers.length === index);
  }

  /** Claims a partition for a member (false while another member still works on it). */
  claim(member: Member, topic: string, partition: number): boolean {
    const key = `${member.groupId}/${topic}/${partition}`;
    const holder = this.claims.get(key);
    if (holder !== undefined && holder !== member.id) return false;
    this.claims.set(key, member.id);
    return true;
  }

  release(member: Member, topic: string, partition: number): void {
    const key = `${member.groupId}/${topic}/${partition}`;
    if (this.claims.get(key) === member.id) this.claims.delete(key);
  }

  /** Resolves on the next append or after `ms`. */
  waitForAppend(ms: number, signal: WakeSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake.off('append', done);
        signal.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake.on('append', done);
      signal.wakeUp = done;
    });
  }

  get settings() {
    return {
      fetchSize: this.options.fetchSize ?? 200,
      retryBackoffMs: this.options.retryBackoffMs ?? 200,
      idlePollMs: this.options.idlePollMs ?? 1_000,
      onError:
        this.options.onError ??
        ((error: unknown, context: Record<string, unknown>) =>
          process.stderr.write(`${JSON.stringify({ level: 'warn', msg: 'embedded bus handler failed; redelivering', err: String(error), ...context })}\n`)),
    };
  }
}
