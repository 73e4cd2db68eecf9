import type { BrokerConsumer, ConsumerRunOptions, DeliveredMessage } from '@carebridge/messaging';
import type { BusLog, Member, WakeSignal } from './bus-log';

/** One partition's turn: what it delivered, and its failure back-off bookkeeping. */
interface PartitionTurn {
  readonly topic: string;
  readonly partition: number;
  readonly position: number;
  readonly messages: DeliveredMessage[];
  fail(error: unknown, offset: string): void;
  succeed(nextOffset: number): Promise<void>;
}

/** A member of a consumer group on the in-process bus (the broker port's consumer). */
export class InProcessConsumer implements BrokerConsumer {
  private readonly topics = new Set<string>();
  private fromBeginning = false;
  private member?: Member;
  private loop?: Promise<void>;
  private readonly signal: WakeSignal = { stopped: false };
  /** Where this member reads next, per topic/partition (loaded from the group's commit). */
  private readonly positions = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private lastAssigned = new Set<string>();
  /** No crash or rejoin to report: a failing handler is retried in place. */
  readonly events = { CRASH: 'consumer.crash', GROUP_JOIN: 'consumer.group_join' };

  constructor(
    private readonly bus: BusLog,
    private readonly groupId: string,
  ) {}

  connect(): Promise<void> {
    return this.bus.init();
  }

  async subscribe(subscription: { topic: string; fromBeginning?: boolean } | { topics: string[]; fromBeginning?: boolean }): Promise<void> {
    await this.bus.init();
    for (const t of 'topics' in subscription ? subscription.topics : [subscription.topic]) {
      await this.bus.createTopic(t, this.bus.defaultPartitions());
      this.topics.add(t);
    }
    this.fromBeginning = subscription.fromBeginning ?? false;
  }

  on(): () => void {
    return () => undefined;
  }

  async run(options: ConsumerRunOptions): Promise<void> {
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

  private async runLoop(options: ConsumerRunOptions): Promise<void> {
    const { idlePollMs } = this.bus.settings;
    while (!this.signal.stopped) {
      const { delivered, earliestRetry } = await this.consumeRound(options);
      if (delivered === 0 && !this.signal.stopped) {
        const wait = Math.min(idlePollMs, Math.max(10, earliestRetry - Date.now()));
        await this.bus.waitForAppend(wait, this.signal);
        if (!this.signal.stopped) await this.bus.refreshEnds([...this.topics]).catch(() => undefined);
      }
    }
  }

  /** One pass over the partitions this member owns now, some of them at once. */
  private async consumeRound(options: ConsumerRunOptions): Promise<{ delivered: number; earliestRetry: number }> {
    const member = this.member!;
    const work: { topic: string; partition: number }[] = [];
    for (const topic of this.topics) {
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
        const retryAt = this.failures.get(`${next.topic}/${next.partition}`);
        if (retryAt !== undefined && retryAt > Date.now()) {
          earliestRetry = Math.min(earliestRetry, retryAt);
          continue;
        }
        if (!this.bus.claim(member, next.topic, next.partition)) continue;
        try {
          delivered += await this.consumePartition(next.topic, next.partition, options);
        } finally {
          this.bus.release(member, next.topic, next.partition);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, work.length)) }, worker));
    return { delivered, earliestRetry };
  }

  /** Delivers what is there for one partition; returns how many messages were handled. */
  private async consumePartition(topic: string, partition: number, options: ConsumerRunOptions): Promise<number> {
    const slot = `${topic}/${partition}`;
    let position = this.positions.get(slot);
    if (position === undefined) {
      position = (await this.bus.committed(this.groupId, topic, partition)) ?? 0;
      this.positions.set(slot, position);
    }
    if (position >= this.bus.endOffset(topic, partition)) return 0;
    const turn: PartitionTurn = {
      topic,
      partition,
      position,
      messages: await this.bus.fetch(topic, partition, position, this.bus.settings.fetchSize),
      fail: (error, offset) => {
        const attempts = (this.failures.get(`${slot}#n`) ?? 0) + 1;
        this.failures.set(`${slot}#n`, attempts);
        const backoff = Math.min(5_000, this.bus.settings.retryBackoffMs * 2 ** (attempts - 1));
        this.failures.set(slot, Date.now() + backoff);
        this.bus.settings.onError(error, { groupId: this.groupId, topic, partition, offset, attempts });
      },
      succeed: async (nextOffset) => {
        this.failures.delete(slot);
        this.failures.delete(`${slot}#n`);
        this.positions.set(slot, nextOffset);
        await this.bus.commit(this.groupId, topic, partition, nextOffset);
      },
    };
    return options.eachBatch ? this.deliverBatch(turn, options) : this.deliverEach(turn, options);
  }

  private async deliverBatch(turn: PartitionTurn, options: ConsumerRunOptions): Promise<number> {
    const { topic, partition, messages, position } = turn;
    let resolved = -1;
    try {
      await options.eachBatch!({
        batch: {
          topic,
          partition,
          highWatermark: String(this.bus.endOffset(topic, partition)),
          messages,
          isEmpty: () => messages.length === 0,
          firstOffset: () => messages[0]?.offset ?? null,
          lastOffset: () => messages[messages.length - 1]?.offset ?? String(position - 1),
        },
        resolveOffset: (offset) => {
          resolved = Math.max(resolved, Number(offset));
        },
        heartbeat: async () => undefined,
        commitOffsetsIfNecessary: async () => {
          if (resolved >= 0) await this.bus.commit(this.groupId, topic, partition, resolved + 1);
        },
        isRunning: () => !this.signal.stopped,
        isStale: () => false,
      });
      if (options.eachBatchAutoResolve ?? true) resolved = Number(messages[messages.length - 1]!.offset);
      if (resolved >= 0) await turn.succeed(resolved + 1);
      return messages.length;
    } catch (error) {
      if (resolved >= 0) await turn.succeed(resolved + 1);
      turn.fail(error, messages[0]!.offset);
      return Math.max(0, resolved + 1 - position);
    }
  }

  private async deliverEach(turn: PartitionTurn, options: ConsumerRunOptions): Promise<number> {
    let handled = 0;
    for (const message of turn.messages) {
      if (this.signal.stopped) break;
      try {
        await options.eachMessage!({ topic: turn.topic, partition: turn.partition, message, heartbeat: async () => undefined });
      } catch (error) {
        turn.fail(error, message.offset);
        return handled;
      }
      await turn.succeed(Number(message.offset) + 1);
      handled++;
    }
    return handled;
  }
}
