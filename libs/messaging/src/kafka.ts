import { Kafka, logLevel, type Admin, type KafkaConfig, type Producer } from 'kafkajs';

export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logLevel?: 'nothing' | 'error' | 'warn' | 'info';
}

export function createKafka(settings: KafkaSettings, extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    logLevel: { nothing: logLevel.NOTHING, error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO }[
      settings.logLevel ?? 'error'
    ],
    retry: { initialRetryTime: 100, retries: 8 },
    ...extra,
  });
}

/**
 * Idempotent producer: acks from all in-sync replicas, one request in flight, so a retried
 * send neither duplicates nor reorders messages of a partition.
 */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
}

export const dlqTopic = (topic: string): string => `${topic}.dlq`;

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor?: number;
  /** Also create `<topic>.dlq` (default true). */
  readonly withDlq?: boolean;
}

/** Creates missing topics (and their dead-letter topics); existing ones are left alone. */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const wanted = specs.flatMap((spec) => {
    const main = { topic: spec.topic, numPartitions: spec.partitions, replicationFactor: spec.replicationFactor ?? 1 };
    return spec.withDlq === false ? [main] : [main, { ...main, topic: dlqTopic(spec.topic) }];
  });
  const missing = wanted.filter((t) => !existing.has(t.topic));
  if (missing.length > 0) {
    await admin.createTopics({ topics: missing, waitForLeaders: true });
  }
  return missing.map((t) => t.topic);
}
