import { EventEmitter } from 'node:events';
import type { Pool } from 'pg';

/**
 * The in-process bus of the embedded profile (and of the messaging tests with CAREBRIDGE_TEST_BUS=in-process): the part of the kafkajs client that Carebridge's
 * messaging code uses (admin, idempotent producer, consumer groups with eachMessage / eachBatch),
 * on a log kept in PostgreSQL (PGlite in the embedded profile) so a restart loses nothing.
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

export interface BusMessageIn {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: Record<string, Buffer | string | undefined>;
  readonly partition?: number;
  readonly timestamp?: string;
}

export interface BusMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer>;
  readonly offset: string;
  readonly timestamp: string;
  readonly attributes: number;
  readonly size: number;
}

export interface EachMessagePayload {
  readonly topic: string;
  readonly partition: number;
  readonly message: BusMessage;
  heartbeat(): Promise<void>;
  pause(): () => void;
}

export interface EachBatchPayload {
  readonly batch: {
    readonly topic: string;
    readonly partition: number;
    readonly highWatermark: string;
    readonly messages: BusMessage[];
    isEmpty(): boolean;
    firstOffset(): string | null;
    lastOffset(): string;
  };
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  commitOffsetsIfNecessary(): Promise<void>;
  uncommittedOffsets(): unknown;
  isRunning(): boolean;
  isStale(): boolean;
  pause(): () => void;
}

export interface EmbeddedKafkaOptions {
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

/** murmur2 as kafkajs' default partitioner uses it, so keys land where Kafka would put them. */
function murmur2(data: Buffer): number {
  const seed = 0x9747b28c;
  const m = 0x5bd1e995;
  const r = 24;
  const length = data.length;
  let h = seed ^ length;
  const length4 = Math.floor(length / 4);
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4 + 0]! & 0xff) + ((data[i4 + 1]! & 0xff) << 8) + ((data[i4 + 2]! & 0xff) << 16) + ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length % 4;
  if (rest === 3) h ^= (data[tail + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[tail + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[tail]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}

export const partitionForKey = (key: Buffer, partitions: number): number => (murmur2(key) & 0x7fffffff) % partitions;

const toBuffer = (v: Buffer | string): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v));

interface Member {
  readonly id: string;
  readonly groupId: string;
  readonly topics: Set<string>;
}

/** A kafkajs-shaped client over the shared log. Cast to kafkajs' `Kafka` at the composition root. */
export class EmbeddedKafka {
  private readonly schema: string;
  private readonly wake = new EventEmitter();
  private readonly partitionsOf = new Map<string, number>();
  private readonly nextOffset = new Map<string, number>();
  private readonly members = new Map<string, Member[]>();
  /** group/topic/partition -> member id processing it now (no two members of a group share one). */
  private readonly claims = new Map<string, string>();
  private ready?: Promise<void>;
  private writeChain: Promise<unknown> = Promise.resolve();
  private memberSeq = 0;

  constructor(private readonly options: EmbeddedKafkaOptions) {
    this.schema = `"${(options.schema ?? 'carebridge_bus').replace(/"/g, '""')}"`;
    this.wake.setMaxListeners(0);
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
    return {
      connect: () => this.init(),
      disconnect: async () => undefined,
      listTopics: async () => {
        await this.init();
        return [...this.partitionsOf.keys()];
      },
      createTopics: async ({ topics }: { topics: { topic: string; numPartitions?: number }[]; waitForLeaders?: boolean }) => {
        await this.init();
        let created = false;
        for (const t of topics) created = (await this.createTopic(t.topic, t.numPartitions ?? this.defaultPartitions())) || created;
        return created;
      },
      describeCluster: async () => {
        await this.init();
        return { brokers: [{ nodeId: 0, host: 'in-process', port: 0 }], controller: 0, clusterId: 'carebridge-embedded' };
      },
      fetchTopicMetadata: async ({ topics }: { topics?: string[] } = {}) => {
        await this.init();
        const names = topics ?? [...this.partitionsOf.keys()];
        return {
          topics: names.map((name) => ({
            name,
            partitions: Array.from({ length: this.partitionsOf.get(name) ?? 0 }, (_, partitionId) => ({
              partitionId,
              leader: 0,
              replicas: [0],
              isr: [0],
              partitionErrorCode: 0,
            })),
          })),
        };
      },
      fetchTopicOffsets: async (topic: string) => {
        await this.init();
        const n = this.partitionsOf.get(topic) ?? 0;
        return Array.from({ length: n }, (_, partition) => {
          const high = String(this.nextOffset.get(`${topic}/${partition}`) ?? 0);
          return { partition, offset: high, high, low: '0' };
        });
      },
      fetchOffsets: async ({ groupId, topics }: { groupId: string; topics: string[] }) => {
        await this.init();
        const rows = await this.options.pool.query<{ topic: string; partition: number; next_offset: string }>(
          `SELECT topic, partition, next_offset FROM ${this.schema}.group_offsets WHERE group_id = $1 AND topic = ANY($2)`,
          [groupId, topics],
        );
        return topics.map((topic) => ({
          topic,
          partitions: Array.from({ length: this.partitionsOf.get(topic) ?? 0 }, (_, partition) => {
            const row = rows.rows.find((r) => r.topic === topic && r.partition === partition);
            return { partition, offset: row ? String(row.next_offset) : '-1', metadata: null };
          }),
        }));
      },
      deleteTopics: async () => {
        throw new Error('the embedded bus does not delete topics');
      },
    };
  }

  producer(_options: Record<string, unknown> = {}) {
    const send = (topic: string, messages: readonly BusMessageIn[]) => this.append([{ topic, messages }]);
    return {
      connect: () => this.init(),
      disconnect: async () => undefined,
      send: ({ topic, messages }: { topic: string; messages: BusMessageIn[]; acks?: number }) => send(topic, messages),
      sendBatch: ({ topicMessages }: { topicMessages?: { topic: string; messages: BusMessageIn[] }[]; acks?: number }) =>
        this.append(topicMessages ?? []),
      on: () => () => undefined,
      events: {},
      transaction: async () => {
        throw new Error('the embedded bus has no Kafka transactions');
      },
    };
  }

  consumer(options: { groupId: string; [key: string]: unknown }) {
    return new EmbeddedConsumer(this, options.groupId);
  }

  // ---- internals used by EmbeddedConsumer -------------------------------------------------

  /** @internal */
  defaultPartitions(): number {
    return this.options.defaultPartitions ?? 3;
  }

  /** @internal Creates a topic unless it exists; true when created. */
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

  /** @internal */
  partitions(topic: string): number {
    const n = this.partitionsOf.get(topic);
    if (n === undefined) throw new UnknownTopicError(topic);
    return n;
  }

  /** @internal */
  endOffset(topic: string, partition: number): number {
    return this.nextOffset.get(`${topic}/${partition}`) ?? 0;
  }

  /**
   * Appends in one transaction; offsets are assigned under a process-wide chain (this process
   * owns the log), so they are gap-free and follow the order of the calls.
   */
  private append(batches: readonly { topic: string; messages: readonly BusMessageIn[] }[]) {
    const run = async () => {
      await this.init();
      for (const b of batches) if (!this.partitionsOf.has(b.topic)) await this.createTopic(b.topic, this.defaultPartitions());
      const rows: unknown[][] = [];
      const result: { topicName: string; partition: number; errorCode: number; baseOffset: string; logAppendTime: string; logStartOffset: string }[] = [];
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
          for (const [k, v] of Object.entries(m.headers ?? {})) if (v !== undefined) headers[k] = toBuffer(v).toString('base64');
          rows.push([topic, partition, offset, key, m.value === null ? null : toBuffer(m.value), JSON.stringify(headers), m.timestamp ?? String(now)]);
          result.push({ topicName: topic, partition, errorCode: 0, baseOffset: String(offset), logAppendTime: '-1', logStartOffset: '0' });
        }
      }
      if (rows.length > 0) {
        const client = await this.options.pool.connect();
        try {
          await client.query('BEGIN');
          for (let i = 0; i < rows.length; i += 500) {
            const chunk = rows.slice(i, i + 500);
            const params: unknown[] = [];
            const values = chunk
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
        for (const [slot, next] of reserved) this.nextOffset.set(slot, next);
        this.wake.emit('append');
      }
      return result;
    };
    const next = this.writeChain.then(run, run);
    this.writeChain = next.catch(() => undefined);
    return next;
  }

  /**
   * @internal Loads the partitions' ends from the log (all topics at start; the subscribed ones
   * when idle: another process may append to it, e.g. a test's relay in a child process). Offsets are only ever assigned by one writing process.
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

  /** @internal */
  async fetch(topic: string, partition: number, from: number, limit: number): Promise<BusMessage[]> {
    const rows = await this.options.pool.query<{ offset: string; key: Buffer | null; value: Buffer | null; headers: Record<string, string>; ts: string }>(
      `SELECT "offset", key, value, headers, ts FROM ${this.schema}.messages
        WHERE topic = $1 AND partition = $2 AND "offset" >= $3 ORDER BY "offset" LIMIT $4`,
      [topic, partition, from, limit],
    );
    return rows.rows.map((r) => {
      const headers: Record<string, Buffer> = {};
      for (const [k, v] of Object.entries(r.headers)) headers[k] = Buffer.from(v, 'base64');
      return {
        key: r.key,
        value: r.value,
        headers,
        offset: String(r.offset),
        timestamp: String(r.ts),
        attributes: 0,
        size: (r.value?.length ?? 0) + (r.key?.length ?? 0),
      };
    });
  }

  /** @internal */
  async committed(groupId: string, topic: string, partition: number): Promise<number | undefined> {
    const row = await this.options.pool.query<{ next_offset: string }>(
      `SELECT next_offset FROM ${this.schema}.group_offsets WHERE group_id = $1 AND topic = $2 AND partition = $3`,
      [groupId, topic, partition],
    );
    return row.rows[0] ? Number(row.rows[0].next_offset) : undefined;
  }

  /** @internal */
  async commit(groupId: string, topic: string, partition: number, nextOffset: number): Promise<void> {
    await this.options.pool.query(
      `INSERT INTO ${this.schema}.group_offsets (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
       ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = GREATEST(${this.schema}.group_offsets.next_offset, EXCLUDED.next_offset)`,
      [groupId, topic, partition, nextOffset],
    );
  }

  /** @internal */
  join(groupId: string, topics: Set<string>): Member {
    const member: Member = { id: `${groupId}-${++this.memberSeq}`, groupId, topics };
    this.members.set(groupId, [...(this.members.get(groupId) ?? []), member]);
    return member;
  }

  /** @internal */
  leave(member: Member): void {
    this.members.set(member.groupId, (this.members.get(member.groupId) ?? []).filter((m) => m !== member));
    for (const [k, v] of this.claims) if (v === member.id) this.claims.delete(k);
  }

  /** @internal The partitions of `topic` this member owns: spread over the group's members of that topic. */
  assignment(member: Member, topic: string): number[] {
    const peers = (this.members.get(member.groupId) ?? []).filter((m) => m.topics.has(topic));
    const index = peers.indexOf(member);
    if (index < 0) return [];
    const n = this.partitionsOf.get(topic) ?? 0;
    return Array.from({ length: n }, (_, p) => p).filter((p) => p % peers.length === index);
  }

  /** @internal Claims a partition for a member (false while another member still works on it). */
  claim(member: Member, topic: string, partition: number): boolean {
    const key = `${member.groupId}/${topic}/${partition}`;
    const holder = this.claims.get(key);
    if (holder !== undefined && holder !== member.id) return false;
    this.claims.set(key, member.id);
    return true;
  }

  /** @internal */
  release(member: Member, topic: string, partition: number): void {
    const key = `${member.groupId}/${topic}/${partition}`;
    if (this.claims.get(key) === member.id) this.claims.delete(key);
  }

  /** @internal Resolves on the next append or after `ms`. */
  waitForAppend(ms: number, signal: { stopped: boolean; wakeUp?: () => void }): Promise<void> {
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

  /** @internal */
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

type RunOptions = {
  eachMessage?: (payload: EachMessagePayload) => Promise<void>;
  eachBatch?: (payload: EachBatchPayload) => Promise<void>;
  eachBatchAutoResolve?: boolean;
  partitionsConsumedConcurrently?: number;
  autoCommit?: boolean;
};

export class EmbeddedConsumer {
  private readonly topics = new Set<string>();
  private fromBeginning = false;
  private member?: Member;
  private loop?: Promise<void>;
  private readonly signal: { stopped: boolean; wakeUp?: () => void } = { stopped: false };
  /** Where this member reads next, per topic/partition (loaded from the group's commit). */
  private readonly positions = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private readonly paused = new Set<string>();
  private lastAssigned = new Set<string>();
  readonly events = { CRASH: 'consumer.crash', GROUP_JOIN: 'consumer.group_join' };

  constructor(
    private readonly bus: EmbeddedKafka,
    private readonly groupId: string,
  ) {}

  connect(): Promise<void> {
    return this.bus.init();
  }

  async subscribe({ topic, topics, fromBeginning }: { topic?: string; topics?: string[]; fromBeginning?: boolean }): Promise<void> {
    await this.bus.init();
    for (const t of [...(topics ?? []), ...(topic ? [topic] : [])]) {
      await this.bus.createTopic(t, this.bus.defaultPartitions());
      this.topics.add(t);
    }
    this.fromBeginning = fromBeginning ?? false;
  }

  on(): () => void {
    return () => undefined;
  }

  pause(list: { topic: string; partitions?: number[] }[]): void {
    for (const { topic } of list) this.paused.add(topic);
  }

  resume(list: { topic: string }[]): void {
    for (const { topic } of list) this.paused.delete(topic);
  }

  async run(options: RunOptions): Promise<void> {
    if (this.loop) throw new Error('consumer is already running');
    // Starting offsets: the group's commit, else the beginning or the end of each partition now.
    for (const topic of this.topics) {
      for (let p = 0; p < this.bus.partitions(topic); p++) {
        const committed = await this.bus.committed(this.groupId, topic, p);
        if (committed === undefined && !this.fromBeginning) await this.bus.commit(this.groupId, topic, p, this.bus.endOffset(topic, p));
      }
    }
    this.member = this.bus.join(this.groupId, this.topics);
    this.signal.stopped = false;
    this.loop = this.runLoop(options);
  }

  async stop(): Promise<void> {
    this.signal.stopped = true;
    this.signal.wakeUp?.();
    await this.loop;
    this.loop = undefined;
    if (this.member) this.bus.leave(this.member);
    this.member = undefined;
    this.positions.clear();
  }

  disconnect(): Promise<void> {
    return this.stop();
  }

  async commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void> {
    for (const o of offsets) await this.bus.commit(this.groupId, o.topic, o.partition, Number(o.offset));
  }

  private async runLoop(options: RunOptions): Promise<void> {
    const { fetchSize, idlePollMs } = this.bus.settings;
    while (!this.signal.stopped) {
      const member = this.member!;
      const work: { topic: string; partition: number }[] = [];
      for (const topic of this.topics) {
        if (this.paused.has(topic)) continue;
        for (const partition of this.bus.assignment(member, topic)) work.push({ topic, partition });
      }
      // A partition this member did not own last round may have moved on under another member.
      const assigned = new Set(work.map((w) => `${w.topic}/${w.partition}`));
      for (const slot of [...this.positions.keys()]) if (!assigned.has(slot) || !this.lastAssigned.has(slot)) this.positions.delete(slot);
      this.lastAssigned = assigned;
      let delivered = 0;
      let earliestRetry = Infinity;
      const concurrency = Math.max(1, options.partitionsConsumedConcurrently ?? 1);
      const queue = [...work];
      const worker = async () => {
        for (let next = queue.shift(); next && !this.signal.stopped; next = queue.shift()) {
          const slot = `${next.topic}/${next.partition}`;
          const retryAt = this.failures.get(slot);
          if (retryAt !== undefined && retryAt > Date.now()) {
            earliestRetry = Math.min(earliestRetry, retryAt);
            continue;
          }
          if (!this.bus.claim(member, next.topic, next.partition)) continue;
          try {
            delivered += await this.consumePartition(next.topic, next.partition, fetchSize, options);
          } finally {
            this.bus.release(member, next.topic, next.partition);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, work.length)) }, worker));
      if (delivered === 0 && !this.signal.stopped) {
        const wait = Math.min(idlePollMs, Math.max(10, earliestRetry - Date.now()));
        await this.bus.waitForAppend(wait, this.signal);
        if (!this.signal.stopped) await this.bus.refreshEnds([...this.topics]).catch(() => undefined);
      }
    }
  }

  /** Delivers what is there for one partition; returns how many messages were handled. */
  private async consumePartition(topic: string, partition: number, fetchSize: number, options: RunOptions): Promise<number> {
    const slot = `${topic}/${partition}`;
    let position = this.positions.get(slot);
    if (position === undefined) {
      position = (await this.bus.committed(this.groupId, topic, partition)) ?? 0;
      this.positions.set(slot, position);
    }
    if (position >= this.bus.endOffset(topic, partition)) return 0;
    const messages = await this.bus.fetch(topic, partition, position, fetchSize);
    let handled = 0;
    const fail = (error: unknown, offset: string) => {
      const attempts = (this.failures.get(`${slot}#n`) ?? 0) + 1;
      this.failures.set(`${slot}#n`, attempts);
      const backoff = Math.min(5_000, this.bus.settings.retryBackoffMs * 2 ** (attempts - 1));
      this.failures.set(slot, Date.now() + backoff);
      this.bus.settings.onError(error, { groupId: this.groupId, topic, partition, offset, attempts });
    };
    const succeed = async (nextOffset: number) => {
      this.failures.delete(slot);
      this.failures.delete(`${slot}#n`);
      this.positions.set(slot, nextOffset);
      await this.bus.commit(this.groupId, topic, partition, nextOffset);
    };
    if (options.eachBatch) {
      let resolved = -1;
      const autoResolve = options.eachBatchAutoResolve ?? true;
      try {
        await options.eachBatch({
          batch: {
            topic,
            partition,
            highWatermark: String(this.bus.endOffset(topic, partition)),
            messages,
            isEmpty: () => messages.length === 0,
            firstOffset: () => messages[0]?.offset ?? null,
            lastOffset: () => messages[messages.length - 1]?.offset ?? String(position! - 1),
          },
          resolveOffset: (offset) => {
            resolved = Math.max(resolved, Number(offset));
          },
          heartbeat: async () => undefined,
          commitOffsetsIfNecessary: async () => {
            if (resolved >= 0) await this.bus.commit(this.groupId, topic, partition, resolved + 1);
          },
          uncommittedOffsets: () => ({ topics: [] }),
          isRunning: () => !this.signal.stopped,
          isStale: () => false,
          pause: () => () => undefined,
        });
        if (autoResolve) resolved = Number(messages[messages.length - 1]!.offset);
        if (resolved >= 0) await succeed(resolved + 1);
        return messages.length;
      } catch (error) {
        if (resolved >= 0) await succeed(resolved + 1);
        fail(error, messages[0]!.offset);
        return Math.max(0, resolved + 1 - position);
      }
    }
    for (const message of messages) {
      if (this.signal.stopped) break;
      try {
        await options.eachMessage!({ topic, partition, message, heartbeat: async () => undefined, pause: () => () => undefined });
      } catch (error) {
        fail(error, message.offset);
        return handled;
      }
      await succeed(Number(message.offset) + 1);
      handled++;
    }
    return handled;
  }
}
