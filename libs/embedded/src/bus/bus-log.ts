import type { Pool } from 'pg';
import type { DeliveredMessage } from '@carebridge/messaging';

/** A message as the bus delivers it: headers always present, one value each. */
export interface BusMessage extends DeliveredMessage {
  readonly headers: Record<string, Buffer>;
}

/** A consumer group member: the topics it subscribed to. */
export interface Member {
  readonly id: string;
  readonly groupId: string;
  readonly topics: Set<string>;
}

/** Wakes an idle consumer (its stop, or the next append). */
export interface WakeSignal {
  stopped: boolean;
  wakeUp?: (() => void) | undefined;
}

/**
 * What the in-process bus's consumers and admin use of it (InProcessBroker implements it): the
 * log of topics, partitions and offsets in PostgreSQL, and the consumer groups' members and claims.
 */
export interface BusLog {
  readonly pool: Pool;
  /** The quoted schema of the log tables. */
  readonly schema: string;
  readonly settings: {
    readonly fetchSize: number;
    readonly retryBackoffMs: number;
    readonly idlePollMs: number;
    readonly onError: (error: unknown, context: Record<string, unknown>) => void;
  };
  init(): Promise<void>;
  topics(): ReadonlyMap<string, number>;
  defaultPartitions(): number;
  createTopic(topic: string, partitions: number): Promise<boolean>;
  partitions(topic: string): number;
  endOffset(topic: string, partition: number): number;
  refreshEnds(topics?: readonly string[]): Promise<void>;
  fetch(topic: string, partition: number, from: number, limit: number): Promise<BusMessage[]>;
  committed(groupId: string, topic: string, partition: number): Promise<number | undefined>;
  commit(groupId: string, topic: string, partition: number, nextOffset: number): Promise<void>;
  join(groupId: string, topics: Set<string>): Member;
  leave(member: Member): void;
  assignment(member: Member, topic: string): number[];
  claim(member: Member, topic: string, partition: number): boolean;
  release(member: Member, topic: string, partition: number): void;
  waitForAppend(ms: number, signal: WakeSignal): Promise<void>;
}
