import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { ContractRegistry, toKafkaRecord } from '@carebridge/contracts';
import { migrate } from '@carebridge/event-store';
import { PrivatePostgres, eventually, scaled, testInfrastructure, uniqueName, uniqueTopic } from '@carebridge/testing';
import { testContract } from '@carebridge/testing/messaging';
import { createKafka, dlqTopic, ensureTopics } from '../kafka';
import { messagingMigrations } from '../messaging.migrations';
import { IntegrationConsumer, on } from './integration-consumer';

// Issue 21 finding 6: during a PostgreSQL outage the consumer dead-lettered an event after five quick
// ECONNREFUSED attempts. The database here is this file's own server, stopped and started by the test.
let postgres: PrivatePostgres;
let pool: Pool;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
const schema = 'outage';

beforeAll(async () => {
  postgres = await PrivatePostgres.start();
  pool = new Pool({ connectionString: postgres.url, max: 5, connectionTimeoutMillis: 2_000 });
  pool.on('error', () => undefined);
  await pool.query(`CREATE SCHEMA ${schema}`);
  await migrate(pool, schema, messagingMigrations, 'messaging_migrations');
  await pool.query(`CREATE TABLE ${schema}.handled (event_id text PRIMARY KEY)`);
  kafka = createKafka({ brokers: testInfrastructure.kafkaBrokers, clientId: 'outage-test' });
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});
afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await pool?.end();
  await postgres?.dispose();
});

const messagesIn = async (topic: string) =>
  (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);

describe('a consumer while PostgreSQL is down', () => {
  it('waits for the database without using up the attempts, then processes the event once and dead-letters nothing', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 1 }]);
    const { TickRecorded } = testContract(topic);
    const consumer = new IntegrationConsumer({
      groupId: uniqueName('outage'),
      kafka,
      pool,
      schema,
      registry: new ContractRegistry(),
      handlers: [on(TickRecorded, async (event, { client }) => void (await client.query(`INSERT INTO ${schema}.handled VALUES ($1)`, [event.id])))],
      // Two quick attempts: the old consumer gave up (and dead-lettered) within milliseconds.
      retry: { attempts: 2, initialMs: 10, maxMs: 50 },
    });
    await consumer.start();
    try {
      postgres.stopServer();
      const record = toKafkaRecord(TickRecorded, { streamId: 'outage-1', version: 1 }, { id: randomUUID(), time: new Date(), correlationId: 'c', actor: { id: 'system', role: 'system' } });
      await producer.send({ topic, messages: [{ key: record.key, value: record.value, headers: record.headers }] });

      // The handler meets the outage several times (far more than its 2 attempts) before the database returns.
      await eventually(() => (consumer.stats.infrastructureWaits >= 3 ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, scaled(1_000)));
      await postgres.startServer();

      await eventually(() => (consumer.stats.processed === 1 ? true : undefined));
      expect(consumer.stats.deadLettered).toBe(0);
      expect(await messagesIn(dlqTopic(topic))).toBe(0);
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${schema}.handled`);
      expect(rows[0].n).toBe(1);
      const inbox = await pool.query(`SELECT outcome FROM ${schema}.inbox`);
      expect(inbox.rows).toEqual([{ outcome: 'processed' }]);
    } finally {
      await postgres.startServer().catch(() => undefined);
      await consumer.stop();
    }
  });
});
