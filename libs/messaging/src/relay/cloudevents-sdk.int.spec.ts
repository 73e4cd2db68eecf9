import { randomUUID } from 'node:crypto';
import { type CloudEvent, Kafka as CloudEventsKafka, type KafkaMessage } from 'cloudevents';
import type { BrokerAdmin, MessageBroker } from '@carebridge/messaging';
import { migrate, PostgresEventStore, type EventMetadata } from '@carebridge/event-store';
import { createTestSchema, uniqueTopic, type TestSchema } from '@carebridge/testing';
import { collectTopic, testContract, testKafka } from '@carebridge/testing/messaging';
import { ensureTopics } from '../kafka';
import { messagingMigrations } from '../messaging.migrations';
import { Relay } from './relay';

// The CloudEvents SDK for JavaScript (cloudevents on npm), a reader no one here wrote, on what the
// relay really put on the topic (the Kafka broker, or the in-process bus with CAREBRIDGE_TEST_BUS=in-process).
let db: TestSchema;
let store: PostgresEventStore;
let kafka: MessageBroker;
let admin: BrokerAdmin;

beforeAll(async () => {
  db = await createTestSchema('relay_ce');
  await migrate(db.pool, db.schema);
  await migrate(db.pool, db.schema, messagingMigrations, 'messaging_migrations');
  store = new PostgresEventStore(db.pool, db.schema);
  kafka = testKafka('relay-cloudevents-test', db);
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
  await db.dispose();
});

type Received = { key: Buffer | null; value: Buffer | null; headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined> };

/** kafkajs hands headers as Buffers; the SDK reads strings. */
function asSdkMessage(m: Received, headers: (h: Record<string, string>) => Record<string, string> = (h) => h): KafkaMessage<string> {
  const strings = Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v)]));
  return { key: m.key!.toString(), value: m.value!.toString(), headers: headers(strings), body: m.value!.toString(), timestamp: undefined } as unknown as KafkaMessage<string>;
}

describe('messages from the relay, read by the CloudEvents SDK', () => {
  let messages: Received[];
  const causes = new Map<string, string>();

  beforeAll(async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 3 }]);
    for (let i = 0; i < 6; i++) {
      const cause = randomUUID();
      const metadata: EventMetadata = {
        actor: { id: 'scheduler-1', role: 'system' },
        correlationId: `corr-${i}`,
        causationId: cause,
        commandId: `event:${cause}`,
        occurredAt: '2026-12-07T10:00:00.000Z',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      };
      const id = randomUUID();
      causes.set(id, cause);
      await store.append(`tick-${i % 2}`, 'any', [{ id, type: 'Tick', data: {} }], metadata);
    }
    await store.settled();
    const relay = new Relay({ name: 'relay-ce', store, pool: db.pool, schema: db.schema, kafka, publisher: testContract(topic).publisher });
    relay.start();
    try {
      messages = (await collectTopic(kafka, topic, (m) => m.length >= 6)) as Received[];
    } finally {
      await relay.stop();
    }
  });

  it('reads each as a structured-mode CloudEvent that validates', () => {
    for (const m of messages) {
      const event = CloudEventsKafka.toEvent(asSdkMessage(m)) as CloudEvent<unknown>;
      expect(event.validate()).toBe(true);
      expect(event).toMatchObject({ specversion: '1.0', source: '/carebridge/testing', type: 'carebridge.testing.TickRecorded.v1', datacontenttype: 'application/json' });
    }
  });

  it('reads the same attributes from the ce_ headers alone, as a binary-mode reader does', () => {
    for (const m of messages) {
      const structured = CloudEventsKafka.toEvent(asSdkMessage(m)) as CloudEvent<unknown>;
      // Without the structured content-type, the SDK takes the message as binary mode: attributes from ce_ headers only.
      const binary = CloudEventsKafka.toEvent(asSdkMessage(m, ({ 'content-type': _structured, ...rest }) => rest)) as CloudEvent<unknown>;
      expect(binary.validate()).toBe(true);
      for (const attribute of ['specversion', 'id', 'source', 'type', 'time', 'subject', 'correlationid', 'causationid', 'traceparent', 'actor'] as const) {
        expect([attribute, binary[attribute]]).toEqual([attribute, structured[attribute]]);
      }
    }
  });

  it('names the cause of each event, not the event itself', () => {
    for (const m of messages) {
      const event = CloudEventsKafka.toEvent(asSdkMessage(m)) as CloudEvent<unknown>;
      expect(event.causationid).toBe(causes.get(event.id));
      expect(event.causationid).not.toBe(event.id);
    }
  });

  it('is recognised as a CloudEvent by its headers', () => {
    for (const m of messages) expect(CloudEventsKafka.isEvent(asSdkMessage(m))).toBe(true);
  });
});
