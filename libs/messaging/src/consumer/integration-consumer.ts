import type { Consumer, EachMessagePayload, IHeaders, Kafka, Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import {
  ContractViolationError,
  UnknownEventTypeError,
  type CloudEvent,
  type ContractRegistry,
  type DefinedIntegrationEvent,
} from '@carebridge/contracts';
import { PostgresEventStore, quoteIdent } from '@carebridge/event-store';
import { createIdempotentProducer, dlqTopic } from '../kafka';
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
  readonly kafka: Kafka;
  readonly pool: Pool;
  /** Schema with the inbox table (messagingMigrations). */
  readonly schema: string;
  /** Schema of the service's event store, handed to handlers bound to the transaction. */
  readonly storeSchema?: string;
  readonly registry: ContractRegistry;
  readonly handlers: readonly HandlerBinding<any>[];
  readonly retry?: { readonly attempts?: number; readonly initialMs?: number; readonly maxMs?: number };
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
  private consumer?: Consumer;
  private producer?: Producer;
  private readonly byType = new Map<string, HandlerBinding<any>>();
  private readonly inbox: string;
  readonly stats: ConsumerStats = { processed: 0, duplicates: 0, deadLettered: 0, ignored: 0, retries: 0 };

  constructor(private readonly options: IntegrationConsumerOptions) {
    for (const binding of options.handlers) {
      options.registry.register(binding.event);
      this.byType.set(binding.event.type, binding);
    }
    this.inbox = `${quoteIdent(options.schema)}.inbox`;
  }

  topics(): string[] {
    return [...new Set(this.options.handlers.map((h) => h.event.topic))];
  }

  async start(): Promise<void> {
    this.producer = createIdempotentProducer(this.options.kafka);
    await this.producer.connect();
    this.consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics(), fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachMessage: (payload) => this.onMessage(payload),
    });
  }

  /** Stops fetching, lets the messages in hand finish and commits their offsets. */
  async stop(): Promise<void> {
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
    const binding = this.byType.get(decoded.type);
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
    for (let attempt = 1; attempt <= attempts; attempt++) {
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
        if (outcome === 'duplicate') this.stats.duplicates++;
        else this.stats.processed++;
        return;
      } catch (error) {
        lastError = error as Error;
        if (isPermanent(error)) break;
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
    await this.deadLetter(topic, partition, message, lastError, attempts, event);
  }

  private async processOnce(event: ReceivedEvent, binding: HandlerBinding, attempt: number): Promise<Outcome> {
    const client = await this.options.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const seen = await client.query(`SELECT 1 FROM ${this.inbox} WHERE consumer_group = $1 AND event_id = $2`, [
        this.options.groupId,
        event.id,
      ]);
      if (seen.rowCount! > 0) {
        await client.query('ROLLBACK');
        return 'duplicate';
      }
      const store =
        this.options.storeSchema === undefined ? undefined : new PostgresEventStore(client, this.options.storeSchema);
      await binding.handle(event, { client, attempt, ...(store && { store }) });
      // Written after the handler: the event store's append must be the transaction's first write.
      await client.query(
        `INSERT INTO ${this.inbox} (consumer_group, event_id, event_type, topic, kafka_partition, kafka_offset, outcome)
         VALUES ($1, $2, $3, $4, $5, $6, 'processed')`,
        [this.options.groupId, event.id, event.type, event.kafka.topic, event.kafka.partition, event.kafka.offset],
      );
      await client.query('COMMIT');
      return 'processed';
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      const pgError = error as { code?: string; constraint?: string };
      if (pgError.code === '23505' && pgError.constraint === 'inbox_pkey') {
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
    const headers: IHeaders = {
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
        `INSERT INTO ${this.inbox} (consumer_group, event_id, event_type, topic, kafka_partition, kafka_offset, outcome, error)
         VALUES ($1, $2, $3, $4, $5, $6, 'dead-lettered', $7) ON CONFLICT DO NOTHING`,
        [this.options.groupId, event.id, event.type, topic, partition, message.offset, error.message.slice(0, 2_000)],
      );
    }
  }

  private knowsName(eventType: string): boolean {
    const name = eventType.replace(/\.v\d+$/, '');
    return [...this.byType.keys()].some((type) => type.replace(/\.v\d+$/, '') === name);
  }
}

/** Errors a retry cannot fix: the contract is broken or a business rule refuses the event. */
function isPermanent(error: unknown): boolean {
  if (error instanceof ContractViolationError) return true;
  const kind = (error as { kind?: unknown }).kind;
  return kind === 'rule' || kind === 'invalid' || kind === 'forbidden' || kind === 'not-found';
}

function headerString(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
