import { ConfigResourceTypes, Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import type { BrokerAdmin, BrokerProducer, MessageBroker, TopicMetadata } from './broker/message-broker.port';

export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logLevel?: 'nothing' | 'error' | 'warn' | 'info';
}

/** The kafkajs adapter of the broker port: kafkajs' client has the port's shape, so it is handed over as it is. */
export function kafkaBroker(settings: KafkaSettings, extra: Partial<KafkaConfig> = {}): MessageBroker {
  return createKafka(settings, extra);
}

/** kafkajs' client itself, for what is not messaging (a test's admin, a fault suite's broker checks). */
export function createKafka(settings: KafkaSettings, extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    logLevel: { nothing: logLevel.NOTHING, error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO }[
      settings.logLevel ?? 'error'
    ],
    // Each wait capped at 1 s: after a broker outage, clients try again within 1 s of its return
    // (kafkajs' default cap of 30 s left consumers and the relay idle long after it answered; 2 s
    // still cost up to 2 s at each of relay, consumer restart and rejoin). 12 retries keep about
    // the same 10 s before a consumer crashes and restarts.
    retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 12 },
    ...extra,
  });
}

// What kafkajs logs at ERROR while a broker restarts or a group rebalances: retried by itself, so a
// warning. A lasting outage shows in readiness details, consumer lag and the relay's lag instead.
const TRANSIENT_KAFKA_ERRORS = [
  /coordinator is loading/i,
  /group is rebalancing/i,
  /not the correct coordinator/i,
  /Connection error/i,
  /Connection timeout/i,
  /Closed connection/i,
  /ECONNREFUSED|ECONNRESET/,
  /Failed to connect to seed broker/i,
  /There is no leader for this topic-partition/i,
  /does not host this topic-partition/i,
  /Restarting the consumer/i,
  /Crash: KafkaJS(NumberOfRetriesExceeded|ConnectionError|ConnectionClosedError)/,
  /already exists/i,
];

/** kafkajs' log lines into the service's logger, transient failures as warnings. */
export function kafkaLogCreator(logger: {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...fields } = log;
      const line = { component: `kafkajs.${namespace}`, ...fields };
      const text = `${message}${typeof fields.error === 'string' ? `: ${fields.error}` : ''}`;
      if (level === logLevel.ERROR && !TRANSIENT_KAFKA_ERRORS.some((pattern) => pattern.test(text))) logger.error(line, message);
      else if (level <= logLevel.WARN) logger.warn(line, message);
      else logger.info(line, message);
    };
}

/**
 * Consumer group timing for every consumer of the platform (integration consumers, the device
 * gateway, the demo pharmacy, a pharmacy integrator's). A member that vanished with a killed broker
 * or process holds the group's next rebalance until its session expires (kafkajs starts a new
 * member after a crash; it cannot rejoin as the old one), so the session is as short as the broker
 * allows: 6 s by default (brokers' default `group.min.session.timeout.ms`) instead of kafkajs' 30 s.
 * Our own brokers (deploy/local) allow 1 s, and the local profile runs 3 s sessions
 * (`KAFKA_CONSUMER_SESSION_TIMEOUT_MS`, set by tools/start-services.ts from `shortestConsumerSession`): the clinic fault scenario waited 6 s in PreparingRebalance
 * after each broker restart (issue 21). A heartbeat every third of the session (at most 1 s), and
 * fetches that return within a second. Read when a consumer is made (the variable may be set after import).
 */
export function consumerGroupTiming(env: NodeJS.ProcessEnv = process.env): {
  readonly sessionTimeout: number;
  readonly rebalanceTimeout: number;
  readonly heartbeatInterval: number;
  readonly maxWaitTimeInMs: number;
} {
  const raw = env.KAFKA_CONSUMER_SESSION_TIMEOUT_MS;
  const sessionTimeout = raw === undefined || raw === '' ? 6_000 : Number(raw);
  if (!Number.isInteger(sessionTimeout) || sessionTimeout < 1_000 || sessionTimeout > 300_000) {
    throw new Error(`KAFKA_CONSUMER_SESSION_TIMEOUT_MS must be an integer from 1000 to 300000 (ms), got ${JSON.stringify(raw)}`);
  }
  return { sessionTimeout, rebalanceTimeout: 20_000, heartbeatInterval: Math.min(1_000, Math.floor(sessionTimeout / 3)), maxWaitTimeInMs: 1_000 };
}

/**
 * The shortest session the broker accepts, but not under `floorMs` (a busy 2-core machine must not
 * miss heartbeats): for the local profile, whose brokers allow 1 s. Undefined when the broker does
 * not say (the default of `consumerGroupTiming` then applies).
 */
export async function shortestConsumerSession(kafka: Kafka, floorMs = 3_000): Promise<number | undefined> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const { brokers } = await admin.describeCluster();
    const described = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.BROKER, name: String(brokers[0]!.nodeId), configNames: ['group.min.session.timeout.ms'] }],
      includeSynonyms: false,
    });
    const value = Number(described.resources[0]?.configEntries.find((e) => e.configName === 'group.min.session.timeout.ms')?.configValue);
    return Number.isInteger(value) && value > 0 ? Math.max(floorMs, value) : undefined;
  } catch {
    return undefined;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Idempotent producer: acks from all in-sync replicas, one request in flight, so a retried
 * send neither duplicates nor reorders messages of a partition.
 */
export function createIdempotentProducer(broker: MessageBroker): BrokerProducer {
  return broker.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
}

export const dlqTopic = (topic: string): string => `${topic}.dlq`;

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor?: number;
  /** Also create `<topic>.dlq` (default true). */
  readonly withDlq?: boolean;
}

export interface EnsureTopicsOptions {
  /** How long to wait, in all, for every partition of the topics to have a leader (default 30 s). */
  readonly leaderTimeoutMs?: number;
}

/**
 * Creates missing topics (and their dead-letter topics); existing ones are left alone. Resolves once
 * every partition of every wanted topic (created or not) has a leader, so a producer or consumer
 * started next finds them.
 */
export async function ensureTopics(
  admin: Pick<BrokerAdmin, 'listTopics' | 'createTopics' | 'fetchTopicMetadata'>,
  specs: readonly TopicSpec[],
  options: EnsureTopicsOptions = {},
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const wanted = specs.flatMap((spec) => {
    const main = { topic: spec.topic, numPartitions: spec.partitions, replicationFactor: spec.replicationFactor ?? 1 };
    return spec.withDlq === false ? [main] : [main, { ...main, topic: dlqTopic(spec.topic) }];
  });
  const missing = wanted.filter((t) => !existing.has(t.topic));
  if (missing.length > 0) {
    // Not kafkajs' waitForLeaders: its wait gives up at the first UNKNOWN_TOPIC_OR_PARTITION, which a
    // freshly started broker answers while it is still loading (issue: flaky topic set-up).
    await admin.createTopics({ topics: missing, waitForLeaders: false });
  }
  if (wanted.length > 0) await waitForLeaders(admin, wanted.map((t) => t.topic), options.leaderTimeoutMs ?? 30_000);
  return missing.map((t) => t.topic);
}

// What a broker answers for a topic it has just created or is still loading: worth asking again.
const NOT_YET_ERRORS = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION', 'NOT_LEADER_OR_FOLLOWER']);

function isRetriable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { retriable?: unknown; type?: unknown; cause?: unknown };
  if (e.retriable === true || (typeof e.type === 'string' && NOT_YET_ERRORS.has(e.type))) return true;
  // kafkajs' own retrier gives up with KafkaJSNumberOfRetriesExceeded (not retriable) around the error it retried.
  return e.cause !== undefined && e.cause !== error && isRetriable(e.cause);
}

/** The topics (of `topics`) the metadata does not show with every partition led. */
function unled(topics: readonly string[], metadata: readonly TopicMetadata[]): string[] {
  return topics.filter((name) => {
    const partitions = metadata.find((t) => t.name === name)?.partitions ?? [];
    return partitions.length === 0 || partitions.some((p) => p.leader < 0 || (p.partitionErrorCode ?? 0) !== 0);
  });
}

async function waitForLeaders(admin: Pick<BrokerAdmin, 'fetchTopicMetadata'>, topics: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let waiting: readonly string[] = topics;
  let lastError: unknown;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...waiting] });
      waiting = unled(waiting, metadata);
      lastError = undefined;
      if (waiting.length === 0) return;
    } catch (error) {
      if (!isRetriable(error)) throw error;
      lastError = error;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const cause = lastError instanceof Error ? `: last error ${lastError.message}` : '';
      throw new Error(`Kafka topics without a leader for every partition after ${timeoutMs} ms: ${waiting.join(', ')}${cause}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
  }
}
