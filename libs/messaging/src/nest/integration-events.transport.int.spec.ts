import { randomUUID } from 'node:crypto';
import { Controller, type INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { toKafkaRecord } from '@carebridge/contracts';
import { migrate } from '@carebridge/event-store';
import { RuleViolation } from '@carebridge/shared-kernel';
import { createTestSchema, eventually, uniqueName, uniqueTopic, type TestSchema } from '@carebridge/testing';
import type { BrokerAdmin, BrokerProducer, MessageBroker } from '../broker/message-broker.port';
import type { ReceivedEvent } from '../consumer/integration-consumer';
import { dlqTopic, ensureTopics } from '../kafka';
import { messagingMigrations } from '../messaging.migrations';
import { collectTopic, header, testContract, testKafka } from '@carebridge/testing/messaging';
import { IntegrationEventContext, IntegrationEventHandler, IntegrationEventsTransport } from './integration-events.transport';
import { MessagingHost, MessagingModule, connectIntegrationEvents } from './messaging.module';

let db: TestSchema;
let kafka: MessageBroker;
let admin: BrokerAdmin;
let producer: BrokerProducer;

beforeAll(async () => {
  db = await createTestSchema('transport');
  await migrate(db.pool, db.schema);
  await migrate(db.pool, db.schema, messagingMigrations, 'messaging_migrations');
  await db.pool.query(`CREATE TABLE "${db.schema}".handled (event_id text, stream_id text, version int)`);
  kafka = testKafka('transport-test', db);
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});
afterAll(async () => {
  await producer.disconnect();
  await admin.disconnect();
  await db.dispose();
});

type Tick = { streamId: string; version: number; poison?: boolean };
type Behaviour = (event: ReceivedEvent<Tick>, ctx: IntegrationEventContext) => Promise<void>;

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A Nest app whose one controller handles the topic's TickRecorded through the transport. */
async function startApp(topic: string, behaviour: Behaviour): Promise<{ app: INestApplication; transport: IntegrationEventsTransport }> {
  const { TickRecorded } = testContract(topic);
  @Controller()
  class TickConsumer {
    @IntegrationEventHandler(TickRecorded)
    async tickRecorded(@Payload() event: ReceivedEvent<Tick>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
      await behaviour(event, ctx);
    }
  }
  const transport = new IntegrationEventsTransport({
    groupId: uniqueName('transport'),
    kafka,
    pool: db.pool,
    schema: db.schema,
    storeSchema: db.schema,
    retry: { attempts: 3, initialMs: 20 },
    logger: quiet,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [MessagingModule.forRootAsync({ useFactory: () => ({ transports: [transport] }) })],
    controllers: [TickConsumer],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  connectIntegrationEvents(app);
  await app.init();
  await app.startAllMicroservices();
  return { app, transport };
}

const context = () => ({ id: randomUUID(), time: new Date(), correlationId: 'corr', actor: { id: 'system', role: 'system' } });

async function sendTicks(topic: string, ...records: ReturnType<typeof toKafkaRecord>[]): Promise<void> {
  await producer.send({ topic, messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })) });
}

const recordInHandledTable: Behaviour = async (event, ctx) => {
  await ctx.client.query(`INSERT INTO "${db.schema}".handled VALUES ($1, $2, $3)`, [event.id, event.data.streamId, event.data.version]);
};

const handledCount = async (streamId: string) =>
  Number((await db.pool.query(`SELECT count(*) FROM "${db.schema}".handled WHERE stream_id = $1`, [streamId])).rows[0].count);

describe('integration events transport (@IntegrationEventHandler controllers)', () => {
  it('hands the handler the parsed event once, with the inbox transaction, and the host reports the group', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 1 }]);
    const { TickRecorded } = testContract(topic);
    const received: ReceivedEvent<Tick>[] = [];
    const { app, transport } = await startApp(topic, async (event, ctx) => {
      received.push(event);
      await recordInHandledTable(event, ctx);
    });
    try {
      await sendTicks(topic, toKafkaRecord(TickRecorded, { streamId: 'once-1', version: 1 }, context()));
      await eventually(() => (transport.stats.processed === 1 ? true : undefined));
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ type: TickRecorded.type, data: { streamId: 'once-1', version: 1 }, kafka: { topic } });
      expect(await handledCount('once-1')).toBe(1);
      expect(app.get(MessagingHost).consumers.map((c) => c.groupId)).toEqual([transport.groupId]);
    } finally {
      await app.close();
    }
  });

  it('de-duplicates a redelivered event by the inbox: the handler writes once', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 1 }]);
    const { TickRecorded } = testContract(topic);
    const { app, transport } = await startApp(topic, recordInHandledTable);
    try {
      const tick = toKafkaRecord(TickRecorded, { streamId: 'dup-1', version: 1 }, context());
      await sendTicks(topic, tick, tick, toKafkaRecord(TickRecorded, { streamId: 'dup-1', version: 2 }, context()));
      await eventually(() => (transport.stats.processed + transport.stats.duplicates === 3 ? true : undefined));
      expect(transport.stats).toMatchObject({ processed: 2, duplicates: 1, deadLettered: 0 });
      expect(await handledCount('dup-1')).toBe(2);
    } finally {
      await app.close();
    }
  });

  it('dead-letters an event whose handler keeps failing after its attempts, with the handler error (not Nest\'s "Internal server error")', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 1 }]);
    const { TickRecorded } = testContract(topic);
    let calls = 0;
    const { app, transport } = await startApp(topic, async (event, ctx) => {
      await recordInHandledTable(event, ctx);
      calls++;
      throw new Error('cannot process this tick');
    });
    try {
      const poison = toKafkaRecord(TickRecorded, { streamId: 'dlq-1', version: 1 }, context());
      await sendTicks(topic, poison);
      await eventually(() => (transport.stats.deadLettered === 1 ? true : undefined));
      expect(calls).toBe(3);
      expect(transport.stats.retries).toBe(2);
      expect(await handledCount('dlq-1')).toBe(0); // every attempt's write rolled back with it
      const [dead] = await collectTopic(kafka, dlqTopic(topic), (m) => m.length >= 1);
      expect(header(dead!, 'dlq-error')).toBe('cannot process this tick');
      expect(header(dead!, 'dlq-attempts')).toBe('3');
    } finally {
      await app.close();
    }
  });

  it('dead-letters at once an event a business rule refuses: the typed error crosses Nest unchanged', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 1 }]);
    const { TickRecorded } = testContract(topic);
    let calls = 0;
    const { app, transport } = await startApp(topic, async () => {
      calls++;
      throw new RuleViolation('TESTING.REFUSED', 'the visit was already closed');
    });
    try {
      await sendTicks(topic, toKafkaRecord(TickRecorded, { streamId: 'rule-1', version: 1 }, context()));
      await eventually(() => (transport.stats.deadLettered === 1 ? true : undefined));
      expect(calls).toBe(1);
      const [dead] = await collectTopic(kafka, dlqTopic(topic), (m) => m.length >= 1);
      expect(header(dead!, 'dlq-error-code')).toBe('TESTING.REFUSED');
      expect(header(dead!, 'dlq-attempts')).toBe('1');
    } finally {
      await app.close();
    }
  });
});
