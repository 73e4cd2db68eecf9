import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { MessageBroker } from '@carebridge/messaging';
import { ContractRegistry } from '@carebridge/contracts';
import { migrate, PostgresEventStore } from '@carebridge/event-store';
import { createTestSchema, eventually, uniqueName, uniqueTopic, type TestSchema } from '@carebridge/testing';
import { testContract, testKafka } from '@carebridge/testing/messaging';
import { on, type ReceivedEvent } from '../consumer/integration-consumer';
import { ensureTopics } from '../kafka';
import { messagingMigrations } from '../messaging.migrations';
import { MessagingHost, MessagingModule } from './messaging.module';

let db: TestSchema;
let kafka: MessageBroker;

beforeAll(async () => {
  db = await createTestSchema('nest_messaging');
  await migrate(db.pool, db.schema);
  await migrate(db.pool, db.schema, messagingMigrations, 'messaging_migrations');
  kafka = testKafka('nest-messaging-test', db);
});
afterAll(async () => {
  await db.dispose();
});

describe('MessagingModule', () => {
  it('runs the relay and consumers with the application, and stops them on close', async () => {
    const topic = uniqueTopic();
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ topic, partitions: 2 }]);
    await admin.disconnect();
    const { TickRecorded, publisher } = testContract(topic);
    const store = new PostgresEventStore(db.pool, db.schema);
    const received: ReceivedEvent[] = [];

    const moduleRef = await Test.createTestingModule({
      imports: [
        MessagingModule.forRootAsync({
          useFactory: () => ({
            relay: { name: 'nest', store, pool: db.pool, schema: db.schema, kafka, publisher },
            consumers: [
              {
                groupId: uniqueName('nest'),
                kafka,
                pool: db.pool,
                schema: db.schema,
                registry: new ContractRegistry(),
                handlers: [on(TickRecorded, async (event) => void received.push(event))],
              },
            ],
          }),
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      await store.append('nest-1', 'no-stream', [{ id: randomUUID(), type: 'Tick', data: {} }], {
        actor: { id: 'system', role: 'system' },
        correlationId: 'nest',
        occurredAt: new Date().toISOString(),
      });
      await eventually(() => (received.length === 1 ? true : undefined), { timeoutMs: 30_000 });
      expect(received[0]!.data).toEqual({ streamId: 'nest-1', version: 1 });
      const host = app.get(MessagingHost);
      expect(host.relay!.status().leader).toBe(true);
    } finally {
      await app.close();
    }
    expect(app.get(MessagingHost).relay!.status().leader).toBe(false);
  });
});
