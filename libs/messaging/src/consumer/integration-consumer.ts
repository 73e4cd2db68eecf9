import type { Pool, PoolClient } from 'pg';
import {
  ContractViolationError,
  UnknownEventTypeError,
  type CloudEvent,
  type ContractRegistry,
  type DefinedIntegrationEvent,
} from '@carebridge/contracts';
import { PostgresEventStore, quoteIdent } from '@carebridge/event-store';
import { isInfrastructureUnavailable } from '@carebridge/shared-kernel';
import type { BrokerConsumer, BrokerProducer, EachMessagePayload, MessageBroker, MessageHeaders } from '../broker/message-broker.port';
import { consumerGroupTiming, createIdempotentProducer, dlqTopic } from '../kafka';
import { contextFromTraceparent, inSpan, SpanKind } from '../trace-context';

export interface ReceivedEvent<Data = unknown> extends CloudEvent<Data> {
  readonly kafka: { readonly topic: string; readonly partition: number; readonly offset: string; readonly key?: string };
}

/**
 * Runs inside the transaction that also records the event in the inbox: whatever the handler
 * writes through `client` or `store` commits together with "processed", or not at all.
 */
export interface HandlerContext {
  readonly client: PoolClient;
  /** The service's event store on the same transaction (when a store schema is configured). */
  readonly store?: PostgresEventStore;
  readonly attempt: number;
}

export type IntegrationHandler<Data = unknown> = (event: ReceivedEvent<Data>, ctx: HandlerContext) => Promise<void>;

export interface HandlerBinding<Data = unknown> {
  readonly event: DefinedIntegrationEvent<Data>;
  readonly handle: IntegrationHandler<Data>;
}

export function on<Data>(event: DefinedIntegrationEvent<Data>, handle: IntegrationHandler<Data>): HandlerBinding<Data> {
  return { event, handle };
}

export interface ConsumerLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface IntegrationConsumerOptions {
  /** Consumer group, one per service (and purpose): `scheduling`, `scheduling.projections`. */
  readonly groupId: string;
  /** The broker: kafkajs on Kafka, or the embedded profile's in-process bus. */
  readonly kafka: MessageBroker;
  readonly pool: Pool;
  /** Schema with the inbox table (messagingMigrations). */
  readonly schema: string;
  /** Schema of the service's event store, handed to handlers bound to the transaction. */
  readonly storeSchema?: string;
  readonly registry: ContractRegistry;
  readonly handlers: readonly HandlerBinding<any>[];
  readonly retry?: { readonly attempts?: number; readonly initialMs?: number; readonly maxMs?: number };
  /**
   * Backoff while PostgreSQL or the broker is unavailable (default 100 ms doubling to 2 s). These
   * waits have no limit and use up none of the message's attempts: the partition pauses instead.
   */
  readonly infrastructureRetry?: { readonly initialMs?: number; readonly maxMs?: number };
  readonly partitionsConsumedConcurrently?: number;
  readonly fromBeginning?: boolean;
  readonly logger?: ConsumerLogger;
}

export interface ConsumerStats {
  processed: number;
  duplicates: number;
  deadLettered: number;
  ignored: number;
  retries: number;
  /** Waits for PostgreSQL or the broker to return, each one a failed try that used no attempt. */
  infrastructureWaits: number;
  /** Since when a message waits for the infrastructure (epoch ms), or 0. */
  waitingSince: number;
}

type Outcome = 'processed' | 'duplicate';

/**
 * Consumes integration events for one consumer group: decodes and validates them against
 * their contracts, processes each event id once (inbox row in the handler's transaction),
 * retries failures with exponential backoff, and after the last attempt sends the message to
 * `<topic>.dlq` with the error in its headers so the partition moves on. Messages that can
 * never succeed (contract violation, a domain rule refusing it) go to the DLQ at once.
 */
export class IntegrationConsumer {
  private consumer?: BrokerConsumer;
  private producer?: BrokerProducer;
  /** Bindings by `<context>.<name>`, whatever the version. */
  private readonly byName = new Map<string, HandlerBinding<any>>();
  private readonly inbox: string;
  readonly stats: ConsumerStats = { processed: 0, duplicates: 0, deadLettered: 0, ignored: 0, retries: 0, infrastructureWaits: 0, waitingSince: 0 };
  private stopping = false;

  constructor(private readonly options: IntegrationConsumerOptions) {
    for (const binding of options.handlers) {
      options.registry.register(binding.event);
      this.byName.set(eventName(binding.event.type), binding);
    }
    // The registry decodes every version to the latest it knows; a handler written for
    // another version would never match and its events would be skipped.
    for (const binding of options.handlers) {
      const latest = options.registry.definitions().find((d) => eventName(d.type) === eventName(binding.event.type));
      if (latest && latest.version !== binding.event.version) {
        throw new Error(
          `${options.groupId}: handler bound to ${binding.event.type}, but the registry decodes to ${latest.type}; bind the latest version`,
        );
      }
    }
    this.inbox = `${quoteIdent(options.schema)}.inbox`;
  }

  get groupId(): string {
    return this.options.groupId;
  }

  topics(): string[] {
    return [...new Set(this.options.handlers.map((h) => h.event.topic))];
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.producer = createIdempotentProducer(this.options.kafka);
    await this.producer.connect();
    this.consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      // A member that vanished with a killed broker (or process) holds the next rebalance until its session expires.
      ...consumerGroupTiming(),
    });
    const log = this.options.logger;
    const { CRASH, GROUP_JOIN } = this.consumer.events;
    this.consumer.on(CRASH, ({ payload }) =>
      log?.warn('consumer crashed', { groupId: this.options.groupId, error: payload.error.message, restart: payload.restart }),
    );
    this.consumer.on(GROUP_JOIN, ({ payload }) => log?.info('consumer joined its group', { groupId: payload.groupId, durationMs: payload.duration }));
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics(), fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachMessage: (payload) => this.onMessage(payload),
    });
  }

  /** Stops fetching, lets the messages in hand finish and commits their offsets. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    this.consumer = undefined;
    this.producer = undefined;
  }

  private async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const kafka = { topic, partition, offset: message.offset, ...(message.key && { key: message.key.toString() }) };
    const log = this.options.logger;
    if (!message.value) {
      await this.deadLetter(topic, partition, message, new Error('empty message value'), 0);
      return;
    }
    let decoded: ReturnType<ContractRegistry['decode']>;
    try {
      decoded = this.options.registry.decode(message.value);
    } catch (error) {
      if (error instanceof UnknownEventTypeError && !this.knowsName(error.eventType)) {
        // Another event on a shared topic that this service does not listen to.
        this.stats.ignored++;
        return;
      }
      await this.deadLetter(topic, partition, message, error as Error, 0);
      return;
    }
    const binding = this.byName.get(eventName(decoded.type));
    if (!binding) {
      this.stats.ignored++;
      return;
    }
    const { definition: _definition, ...cloudEvent } = decoded;
    const event: ReceivedEvent = { ...cloudEvent, kafka };

    const attempts = this.options.retry?.attempts ?? 5;
    const initialMs = this.options.retry?.initialMs ?? 200;
    const maxMs = this.options.retry?.maxMs ?? 5_000;
    let lastError: Error = new Error('not attempted');
    let serializationRetries = 0;
    let made = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      made = attempt;
      try {
        const outcome = await inSpan(
          `${topic} process`,
          SpanKind.CONSUMER,
          contextFromTraceparent(headerString(message.headers, 'traceparent') ?? event.traceparent),
          {
            'messaging.system': 'kafka',
            'messaging.destination.name': topic,
            'messaging.consumer.group.name': this.options.groupId,
            'messaging.message.id': event.id,
            'cloudevents.event_type': event.type,
          },
          () => this.processOnce(event, binding, attempt),
        );
        if (this.stats.waitingSince !== 0) {
          log?.info('infrastructure back; processing resumed', { groupId: this.options.groupId, waitedMs: Date.now() - this.stats.waitingSince });
          this.stats.waitingSince = 0;
        }
        if (outcome === 'duplicate') this.stats.duplicates++;
        else this.stats.processed++;
        return;
      } catch (error) {
        lastError = error as Error;
        if (isPermanent(error)) break;
        if (isInfrastructureUnavailable(error)) {
          // Not this message's fault: wait for the database or broker, however long, without using an attempt.
          attempt--;
          await this.waitForInfrastructure(event, lastError, heartbeat);
          continue;
        }
        // A serialization failure (another append reserved positions first) is contention,
        // not a fault of this message: retry at once, without using up an attempt.
        if ((error as { code?: string }).code === '40001' && serializationRetries < 50) {
          serializationRetries++;
          attempt--;
          continue;
        }
        if (attempt < attempts) {
          this.stats.retries++;
          const delay = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
          log?.warn('handler failed; retrying', { eventId: event.id, type: event.type, attempt, delay, error: lastError.message });
          await new Promise((resolve) => setTimeout(resolve, delay));
          await heartbeat();
        }
      }
    }
    log?.error('handler failed; dead-lettering', { eventId: event.id, type: event.type, error: lastError.message });
    await this.deadLetter(topic, partition, message, lastError, made, event);
  }

  private infrastructureDelay = 0;

  private async waitForInfrastructure(event: ReceivedEvent, error: Error, heartbeat: () => Promise<void>): Promise<void> {
    // Given up only when the service stops: the offset stays uncommitted, the next owner redelivers.
    if (this.stopping) throw error;
    const initialMs = this.options.infrastructureRetry?.initialMs ?? 100;
    const maxMs = this.options.infrastructureRetry?.maxMs ?? 2_000;
    if (this.stats.waitingSince === 0) {
      this.stats.waitingSince = Date.now();
      this.infrastructureDelay = initialMs;
      this.options.logger?.warn('infrastructure unavailable; the partition waits (no attempt used)', {
        groupId: this.options.groupId,
        eventId: event.id,
        error: error.message,
      });
    }
    this.stats.infrastructureWaits++;
    await new Promise((resolve) => setTimeout(resolve, this.infrastructureDelay));
    this.infrastructureDelay = Math.min(maxMs, this.infrastructureDelay * 2);
    try {
      await heartbeat();
    } catch (heartbeatError) {
      // The broker is away too: keep waiting. A rebalance must go on: give the message back.
      if (!isInfrastructureUnavailable(heartbeatError)) throw heartbeatError;
    }
  }

  private async processOnce(event: ReceivedEvent, binding: HandlerBinding, attempt: number): Promise<Outcome> {
    const client = await this.options.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      // Bounded waits: a handler stuck on a lock must fail and retry, not outlive the
      // consumer's session and get the partition reassigned under it.
      await client.query(`SET LOCAL lock_timeout = '10s'; SET LOCAL statement_timeout = '20s'`);
      const seen = await client.query(
        `SELECT 1 FROM ${this.inbox}
          WHERE consumer_group = $1 AND event_source = $2 AND event_id = $3 AND outcome = 'processed'`,
        [this.options.groupId, event.source, event.id],
      );
      if (seen.rowCount! > 0) {
        await client.query('ROLLBACK');
        return 'duplicate';
      }
      const store =
        this.options.storeSchema === undefined ? undefined : new PostgresEventStore(client, this.options.storeSchema);
      await binding.handle(event, { client, attempt, ...(store && { store }) });
      // Written after the handler: the event store's append must be the transaction's first
      // write. An earlier dead-lettered row is overwritten: a DLQ replay is processed.
      const recorded = await client.query(
        `INSERT INTO ${this.inbox} (consumer_group, event_source, event_id, event_type, topic, kafka_partition, kafka_offset, outcome)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'processed')
         ON CONFLICT (consumer_group, event_source, event_id) DO UPDATE
           SET outcome = 'processed', error = NULL, topic = EXCLUDED.topic, kafka_partition = EXCLUDED.kafka_partition,
               kafka_offset = EXCLUDED.kafka_offset, processed_at = now()
           WHERE ${this.inbox}.outcome <> 'processed'`,
        [this.options.groupId, event.source, event.id, event.type, event.kafka.topic, event.kafka.partition, event.kafka.offset],
      );
      if (recorded.rowCount === 0) {
        // Processed by another member of the group meanwhile (a rebalance): undo ours.
        await client.query('ROLLBACK');
        return 'duplicate';
      }
      await client.query('COMMIT');
      return 'processed';
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      const pgError = error as { code?: string; constraint?: string };
      if (pgError.code === '23505' && pgError.constraint === 'inbox_pkey') {
        // Inserted concurrently by another member of the group.
        return 'duplicate';
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: EachMessagePayload['message'],
    error: Error,
    attempts: number,
    event?: ReceivedEvent,
  ): Promise<void> {
    const headers: MessageHeaders = {
      ...message.headers,
      'dlq-original-topic': topic,
      'dlq-original-partition': String(partition),
      'dlq-original-offset': message.offset,
      'dlq-consumer-group': this.options.groupId,
      'dlq-error': error.message.slice(0, 2_000),
      'dlq-error-code': String((error as { code?: unknown }).code ?? error.name),
      'dlq-attempts': String(attempts),
      'dlq-failed-at': new Date().toISOString(),
    };
    await this.producer!.send({
      topic: dlqTopic(topic),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    this.stats.deadLettered++;
    if (event) {
      await this.options.pool.query(
        `INSERT INTO ${this.inbox} (consumer_group, event_source, event_id, event_type, topic, kafka_partition, kafka_offset, outcome, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'dead-lettered', $8) ON CONFLICT DO NOTHING`,
        [this.options.groupId, event.source, event.id, event.type, topic, partition, message.offset, error.message.slice(0, 2_000)],
      );
    }
  }

  private knowsName(eventType: string): boolean {
    return this.byName.has(eventName(eventType));
  }
}

function eventName(type: string): string {
  return type.replace(/\.v\d+$/, '');
}

/**
 * Errors a retry cannot fix: the contract is broken or a business rule refuses the event.
 * `not-found` is not among them: events of different topics arrive in any order, so what is
 * missing now may arrive in a moment.
 */
function isPermanent(error: unknown): boolean {
  if (error instanceof ContractViolationError) return true;
  const kind = (error as { kind?: unknown }).kind;
  return kind === 'rule' || kind === 'invalid' || kind === 'forbidden';
}

function headerString(headers: MessageHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
