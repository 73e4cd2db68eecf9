/**
 * The broker port: what Carebridge's relay, integration consumers, producers and topic set-up use
 * of a message broker, and nothing more. Two adapters: kafkajs' client on a Kafka cluster (it has
 * this shape already, so `kafkaBroker()` hands it over unwrapped and the compiler checks the fit)
 * and the in-process bus of the embedded profile (libs/embedded/src/bus).
 *
 * The names follow kafkajs' so that code written against it reads the same on either adapter.
 * What an adapter must keep (the relay and the consumers rely on it): a message's partition is
 * chosen from its key (same key, same partition, order kept per key); every consumer group sees
 * every message and its members share the partitions; an offset is committed only after the
 * handler resolved (at least once); `fromBeginning` applies only to a group with no commit.
 */

export type MessageHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

export interface OutgoingMessage {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: MessageHeaders;
  readonly partition?: number;
  readonly timestamp?: string;
}

export interface DeliveredMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: MessageHeaders;
  readonly offset: string;
  readonly timestamp: string;
}

export interface TopicMessages {
  readonly topic: string;
  readonly messages: OutgoingMessage[];
}

export interface BrokerProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** `acks: -1`: acknowledged by every in-sync replica. */
  send(record: TopicMessages & { readonly acks?: number }): Promise<unknown>;
  /** Several topics in one request, in order. */
  sendBatch(batch: { readonly topicMessages: TopicMessages[]; readonly acks?: number }): Promise<unknown>;
}

export interface ProducerOptions {
  /** No duplicate and no reordering on a retried send (with one request in flight). */
  readonly idempotent?: boolean;
  readonly maxInFlightRequests?: number;
  readonly allowAutoTopicCreation?: boolean;
}

export interface ConsumerGroupOptions {
  readonly groupId: string;
  readonly allowAutoTopicCreation?: boolean;
  readonly sessionTimeout?: number;
  readonly rebalanceTimeout?: number;
  readonly heartbeatInterval?: number;
  readonly maxWaitTimeInMs?: number;
  readonly maxBytesPerPartition?: number;
}

export interface EachMessagePayload {
  readonly topic: string;
  readonly partition: number;
  readonly message: DeliveredMessage;
  heartbeat(): Promise<void>;
}

export interface EachBatchPayload {
  readonly batch: {
    readonly topic: string;
    readonly partition: number;
    readonly highWatermark: string;
    readonly messages: DeliveredMessage[];
    isEmpty(): boolean;
    firstOffset(): string | null;
    lastOffset(): string;
  };
  /** Marks the messages up to `offset` handled: committed by `commitOffsetsIfNecessary` or at the batch's end. */
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  commitOffsetsIfNecessary(): Promise<void>;
  isRunning(): boolean;
  /** The partition moved to another member meanwhile: stop, its new owner redelivers. */
  isStale(): boolean;
}

export interface ConsumerRunOptions {
  /** Partitions handled at once by this member (one message at a time in each). */
  readonly partitionsConsumedConcurrently?: number;
  eachMessage?(payload: EachMessagePayload): Promise<void>;
  eachBatch?(payload: EachBatchPayload): Promise<void>;
  readonly eachBatchAutoResolve?: boolean;
}

/** Instrumentation a consumer may report (kafkajs does; the in-process bus has no crash or rejoin to tell). */
export interface ConsumerEventNames {
  readonly CRASH: string;
  readonly GROUP_JOIN: string;
}

export interface BrokerConsumer {
  connect(): Promise<void>;
  subscribe(subscription: { readonly topic: string; readonly fromBeginning?: boolean } | { readonly topics: string[]; readonly fromBeginning?: boolean }): Promise<void>;
  /** Starts consuming in the background; resolves once started. */
  run(options: ConsumerRunOptions): Promise<void>;
  /** Stops fetching, lets the messages in hand finish and commits their offsets. */
  disconnect(): Promise<void>;
  readonly events: ConsumerEventNames;
  on(eventName: string, listener: (event: { payload: any }) => void): unknown;
}

export interface NewTopic {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor?: number;
}

/** A topic's partitions as the cluster's metadata has them: `leader` is -1 while none is elected. */
export interface TopicMetadata {
  readonly name: string;
  readonly partitions: readonly { readonly partitionId: number; readonly leader: number; readonly partitionErrorCode?: number }[];
}

export interface BrokerAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  listTopics(): Promise<string[]>;
  createTopics(request: { readonly topics: NewTopic[]; readonly waitForLeaders?: boolean }): Promise<boolean>;
  fetchTopicMetadata(request: { topics: string[] }): Promise<{ readonly topics: readonly TopicMetadata[] }>;
  describeCluster(): Promise<{ readonly brokers: readonly unknown[] }>;
  /** Each partition's end (`high`) and start, for consumer lag. */
  fetchTopicOffsets(topic: string): Promise<{ partition: number; offset: string; high: string; low: string }[]>;
  /** A group's committed offsets (`-1`: none). */
  fetchOffsets(request: { groupId: string; topics: string[] }): Promise<
    { topic: string; partitions: { partition: number; offset: string }[] }[]
  >;
}

export interface MessageBroker {
  producer(options?: ProducerOptions): BrokerProducer;
  consumer(options: ConsumerGroupOptions): BrokerConsumer;
  admin(): BrokerAdmin;
}
