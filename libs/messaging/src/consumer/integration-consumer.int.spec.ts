import { randomUUID } from 'node:crypto';
import type { BrokerAdmin, BrokerProducer, MessageBroker } from '@carebridge/messaging';
import { ContractRegistry, toKafkaRecord } from '@carebridge/contracts';
import { migrate } from '@carebridge/event-store';
import { RuleViolation } from '@carebridge/shared-kernel';
import {
  createTestSchema,
  eventually,
  uniqueName,
  uniqueTopic,
  type TestSchema,
} from '@carebridge/testing';
import { collectTopic, header, testContract, testKafka } from '@carebridge/testing/messaging';
import { dlqTopic, ensureTopics } from '../kafka';
import { messagingMigrations } from '../messaging.migrations';
import { IntegrationConsumer, on, type IntegrationHandler } from './integration-consumer';

let db: TestSchema;
let kafka: MessageBroker;
let admin: BrokerAdmin;
let producer: BrokerProducer;

beforeAll(async () => {
  db = await createTestSchema('consumer');
  await migrate(db.pool, db.schema);
  await migrate(db.pool, db.schema, messagingMigrations, 'messaging_migrations');
  await db.pool.query(`CREATE TABLE "${db.schema}".handled (event_id text, stream_id text, version int)`);
  kafka = testKafka('consumer-test', db);
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

const context = (id = randomUUID()) => ({
  id,
  time: new Date(),
  correlationId: 'corr',
  actor: { id: 'system', role: 'system' },
});

async function startConsumer(topic: string, handle: IntegrationHandler<any>, retry = { attempts: 3, initialMs: 20 }) {
  const { TickRecorded } = testContract(topic);
  const consumer = new IntegrationConsumer({
    groupId: uniqueName('group'),
    kafka,
    pool: db.pool,
    schema: db.schema,
    storeSchema: db.schema,
    registry: new ContractRegistry(),
    handlers: [on(TickRecorded, handle)],
    retry,
  });
  await consumer.start();
  return consumer;
}

const recordInHandledTable: IntegrationHandler<{ streamId: string; version: number }> = async (event, { client }) => {
  await client.query(`INSERT INTO "${db.schema}".handled VALUES ($1, $2, $3)`, [event.id, event.data.streamId, event.data.version]);
};

const handledCount = async (streamId: string) =>
  Number((await db.pool.query(`SELECT count(*) FROM "${db.schema}".handled WHERE stream_id = $1`, [streamId])).rows[0].count);

describe('integration consumer', () => {
  it('processes an event delivered twice only once', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 1 }]);
    const { TickRecorded } = testContract(topic);
    const record = toKafkaRecord(TickRecorded, { streamId: 'dup-1', version: 1 }, context());
    const later = toKafkaRecord(TickRecorded, { streamId: 'dup-1', version: 2 }, context());
    const send = (r: typeof record) => producer.send({ topic, messages: [{ key: r.key, value: r.value, headers: r.headers }] });
    await send(record);
    await send(record);
    await send(later);

    const consumer = await startConsumer(topic, recordInHandledTable);
    try {
      await eventually(() => (consumer.stats.processed + consumer.stats.duplicates === 3 ? true : undefined));
      expect(await handledCount('dup-1')).toBe(2);
      expect(consumer.stats).toMatchObject({ processed: 2, duplicates: 1, deadLettered: 0 });
    } finally {
      await consumer.stop();
    }
  });

  it('retries a failing handler with backoff and commits its writes only once it succeeds', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 1 }]);
    const { TickRecorded } = testContract(topic);
    const r = toKafkaRecord(TickRecorded, { streamId: 'flaky-1', version: 1 }, context());
    await producer.send({ topic, messages: [{ key: r.key, value: r.value, headers: r.headers }] });
    let calls = 0;
    const consumer = await startConsumer(topic, async (event, ctx) => {
      await recordInHandledTable(event, ctx);
      if (++calls < 3) throw new Error('database hiccup');
    });
    try {
      await eventually(() => (consumer.stats.processed === 1 ? true : undefined));
      expect(calls).toBe(3);
      expect(consumer.stats.retries).toBe(2);
      expect(await handledCount('flaky-1')).toBe(1); // the two failed attempts were rolled back
    } finally {
      await consumer.stop();
    }
  });

  it('sends a poison message to the DLQ with the error, and later messages of the partition still flow', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 1 }]);
    const { TickRecorded } = testContract(topic);
    const poison = toKafkaRecord(TickRecorded, { streamId: 'p-1', version: 1, poison: true }, context());
    const fine = toKafkaRecord(TickRecorded, { streamId: 'p-1', version: 2 }, context());
    const notAContract = { key: 'p-1', value: JSON.stringify({ specversion: '1.0', type: TickRecorded.type }) };
    await producer.send({
      topic,
      messages: [
        { key: poison.key, value: poison.value, headers: poison.headers },
        notAContract,
        { key: fine.key, value: fine.value, headers: fine.headers },
      ],
    });
    const consumer = await startConsumer(topic, async (event, ctx) => {
      if ((event.data as { poison?: boolean }).poison) throw new Error('cannot process this tick');
      await recordInHandledTable(event, ctx);
    });
    try {
      await eventually(() => (consumer.stats.processed === 1 && consumer.stats.deadLettered === 2 ? true : undefined));
      expect(await handledCount('p-1')).toBe(1);
      const dead = await collectTopic(kafka, dlqTopic(topic), (m) => m.length >= 2);
      const first = dead.find((m) => header(m, 'ce_id') === JSON.parse(poison.value).id)!;
      expect(header(first, 'dlq-error')).toBe('cannot process this tick');
      expect(header(first, 'dlq-attempts')).toBe('3');
      expect(header(first, 'dlq-original-topic')).toBe(topic);
      expect(first.value!.toString()).toBe(poison.value);
      const invalid = dead.find((m) => m !== first)!;
      expect(header(invalid, 'dlq-error-code')).toBe('CONTRACTS.INVALID_EVENT');
      expect(header(invalid, 'dlq-attempts')).toBe('0');
      const inbox = await db.pool.query(`SELECT outcome, error FROM "${db.schema}".inbox WHERE event_id = $1`, [
        JSON.parse(poison.value).id,
      ]);
      expect(inbox.rows).toEqual([{ outcome: 'dead-lettered', error: 'cannot process this tick' }]);
    } finally {
      await consumer.stop();
    }
  });

  it('processes an event replayed from the DLQ once the cause is fixed', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 1 }]);
    const { TickRecorded } = testContract(topic);
    const r = toKafkaRecord(TickRecorded, { streamId: 'replay-1', version: 1 }, context());
    const send = () => producer.send({ topic, messages: [{ key: r.key, value: r.value, headers: r.headers }] });
    await send();
    let fixed = false;
    const consumer = await startConsumer(topic, async (event, ctx) => {
      if (!fixed) throw new Error('bug in the handler');
      await recordInHandledTable(event, ctx);
    });
    try {
      await eventually(() => (consumer.stats.deadLettered === 1 ? true : undefined));
      fixed = true;
      await send(); // ops republish the dead letter
      await eventually(() => (consumer.stats.processed === 1 ? true : undefined));
      expect(await handledCount('replay-1')).toBe(1);
    } finally {
      await consumer.stop();
    }
  });

  it('refuses to start with a handler bound to an older version than the registry decodes to', () => {
    const topic = uniqueTopic();
    const { TickRecorded } = testContract(topic);
    const registry = new ContractRegistry([{ ...TickRecorded, version: 2, type: TickRecorded.type.replace('.v1', '.v2') }]);
    expect(
      () =>
        new IntegrationConsumer({
          groupId: 'g',
          kafka,
          pool: db.pool,
          schema: db.schema,
          registry,
          handlers: [on(TickRecorded, async () => undefined)],
        }),
    ).toThrow(/bind the latest version/);
  });

  it('does not retry an event that a business rule refuses: it goes to the DLQ at once', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 1 }]);
    const { TickRecorded } = testContract(topic);
    const r = toKafkaRecord(TickRecorded, { streamId: 'rule-1', version: 1 }, context());
    await producer.send({ topic, messages: [{ key: r.key, value: r.value, headers: r.headers }] });
    let calls = 0;
    const consumer = await startConsumer(topic, async () => {
      calls++;
      throw new RuleViolation('TESTING.REFUSED', 'the visit was already closed');
    });
    try {
      await eventually(() => (consumer.stats.deadLettered === 1 ? true : undefined));
      expect(calls).toBe(1);
      const [dead] = await collectTopic(kafka, dlqTopic(topic), (m) => m.length >= 1);
      expect(header(dead!, 'dlq-error-code')).toBe('TESTING.REFUSED');
      expect(header(dead!, 'dlq-attempts')).toBe('1');
    } finally {
      await consumer.stop();
    }
  });

  it('gives handlers the event store on the same transaction as the inbox row', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 1 }]);
    const { TickRecorded } = testContract(topic);
    const r = toKafkaRecord(TickRecorded, { streamId: 'store-1', version: 1 }, context());
    await producer.send({ topic, messages: [{ key: r.key, value: r.value, headers: r.headers }] });
    let attempt = 0;
    const consumer = await startConsumer(topic, async (event, { store }) => {
      await store!.append(`follow-up-${event.data.streamId}-${++attempt}`, 'no-stream', [{ id: randomUUID(), type: 'FollowUpRequested', data: {} }], {
        actor: { id: 'system', role: 'system' },
        correlationId: event.correlationid,
        causationId: event.id,
        occurredAt: event.time,
      });
      if (attempt === 1) throw new Error('crash after append');
    });
    try {
      await eventually(() => (consumer.stats.processed === 1 ? true : undefined));
      const streams = await db.pool.query(`SELECT stream_id FROM "${db.schema}".streams WHERE stream_id LIKE 'follow-up-store-1-%'`);
      expect(streams.rows.map((row) => row.stream_id)).toEqual(['follow-up-store-1-2']);
    } finally {
      await consumer.stop();
    }
  });
});
