import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { EligibilityDetermined } from '@carebridge/contracts';
import { PostgresEventStore, migrate } from '@carebridge/event-store';
import { MessagingModule, createKafka, ensureTopics, messagingMigrations } from '@carebridge/messaging';
import { DevTokenIssuer, configureServiceApp, createLogger, postgresCheck } from '@carebridge/platform';
import { type TestSchema, createTestSchema, eventually, testInfrastructure, uniqueName } from '@carebridge/testing';
import { BillingEligibilityModule } from '../src/billing-eligibility.module';
import { billingEligibilityPublisher } from '../src/integration/billing-eligibility.publisher';
import { loadRuleCatalog } from '../src/rules/rule-set.loader';

// The contract's real topic; this file's messages are told apart by their fresh patient id.
const topic = EligibilityDetermined.topic;
const kafka = createKafka({ brokers: testInfrastructure.kafkaBrokers, clientId: 'billing-eligibility-spec' });
let db: TestSchema;
let app: NestExpressApplication;
const received: KafkaMessage[] = [];
const consumer = kafka.consumer({ groupId: uniqueName('billing-eligibility-spec') });
const patientId = randomUUID();
const providerId = randomUUID();
let providerToken: string;

beforeAll(async () => {
  db = await createTestSchema('billing_eligibility_kafka');
  await migrate(db.pool, db.schema);
  await migrate(db.pool, db.schema, messagingMigrations, 'messaging_migrations');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic, partitions: 3 }]);
  await admin.disconnect();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  void consumer.run({ eachMessage: async ({ message }) => void received.push(message) });

  const store = new PostgresEventStore(db.pool, db.schema);
  const issuer = await DevTokenIssuer.create();
  const moduleRef = await Test.createTestingModule({
    imports: [
      BillingEligibilityModule.register({
        store,
        catalog: loadRuleCatalog(),
        auth: issuer.authOptions(),
        checks: [postgresCheck(db.pool)],
        messaging: MessagingModule.forRootAsync({
          useFactory: () => ({
            relay: {
              name: 'billing-eligibility',
              store,
              pool: db.pool,
              schema: db.schema,
              kafka,
              publisher: billingEligibilityPublisher,
              idleMs: 10,
              logger: { info: () => undefined, error: (m, f) => console.error(m, f) },
            },
          }),
        }),
      }),
    ],
  }).compile();
  app = configureServiceApp(moduleRef.createNestApplication<NestExpressApplication>(), {
    logger: createLogger({ service: 'billing-eligibility-spec', level: 'silent' }),
  });
  await app.init();
  providerToken = await issuer.mint({ sub: providerId, role: 'provider', providerId });
});

afterAll(async () => {
  await consumer.disconnect();
  await app?.close();
  await db?.dispose();
});

it('publishes EligibilityDetermined to Kafka through the relay, ids and codes only', async () => {
  const http = () => request(app.getHttpServer());
  await http()
    .post(`/patients/${patientId}/coverages`)
    .set('authorization', `Bearer ${providerToken}`)
    .set('idempotency-key', 'cov')
    .send({ payerKind: 'medicaid', payerId: 'CA-MEDI-CAL', memberId: '9', state: 'CA', effectiveFrom: '2026-01-01', order: 'primary' })
    .expect(201);
  const appointmentId = randomUUID();
  const answer = await http()
    .post('/eligibility-checks')
    .set('authorization', `Bearer ${providerToken}`)
    .set('idempotency-key', 'check')
    .send({
      patientId,
      appointmentId,
      serviceCodes: ['90834'],
      modality: 'video',
      purpose: 'mental-health',
      patientLocation: { state: 'CA', setting: 'home' },
      provider: { providerId, licences: [{ state: 'CA', expiresOn: '2030-12-31' }] },
      dateOfService: '2027-05-01',
      asOf: '2026-11-22',
    })
    .expect(201);

  const message = await eventually(
    () => received.find((m) => JSON.parse(m.value!.toString()).data?.patientId === patientId),
    { timeoutMs: 30_000, what: 'EligibilityDetermined on Kafka' },
  );
  const cloudEvent = JSON.parse(message.value!.toString());
  expect(message.key?.toString()).toBe(patientId);
  expect(cloudEvent).toMatchObject({ type: EligibilityDetermined.type, subject: appointmentId });
  expect(cloudEvent.data).toMatchObject({
    determinationId: answer.body.determinationId,
    appointmentId,
    outcome: 'covered-with-conditions',
    payerKind: 'medicaid',
    serviceCodes: ['90834'],
    reasonCodes: expect.arrayContaining(['MEDICAID.MODALITY_COVERED_SOME']),
    ruleSets: expect.arrayContaining([{ ruleSetId: 'medicaid-states', version: '2026.11.1' }]),
  });
  // Minimum necessary PHI: no purpose, no member id, no free-text reasons on the wire.
  expect(message.value!.toString()).not.toMatch(/mental-health|"memberId"|"message"/);
});
