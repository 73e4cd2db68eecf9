import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { EligibilityDetermined } from '@carebridge/contracts';
import { PostgresEventStore, migrate } from '@carebridge/event-store';
import { createKafka, ensureTopics, messagingMigrations } from '@carebridge/messaging';
import { DevTokenIssuer, configureServiceApp, createLogger } from '@carebridge/platform';
import { type TestSchema, createTestSchema, eventually, testInfrastructure, uniqueName } from '@carebridge/testing';
import { BillingEligibilityModule } from '../src/billing-eligibility.module';
import { billingOptions } from './billing-app.fixtures';

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
let opsToken: string;
let store: PostgresEventStore;

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

  store = new PostgresEventStore(db.pool, db.schema);
  const issuer = await DevTokenIssuer.create();
  const moduleRef = await Test.createTestingModule({
    imports: [
      // The relay only: this file reads no inbound events (the transport is never connected).
      BillingEligibilityModule.register(billingOptions(db, issuer, { messaging: { kafka, groupId: uniqueName('billing-eligibility') } })),
    ],
  }).compile();
  app = configureServiceApp(moduleRef.createNestApplication<NestExpressApplication>(), {
    logger: createLogger({ service: 'billing-eligibility-spec', level: 'silent' }),
  });
  await app.init();
  providerToken = await issuer.mint({ sub: providerId, role: 'provider', providerId });
  opsToken = await issuer.mint({ sub: randomUUID(), role: 'ops' });
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
    // Coverage is recorded by ops (front desk): the provider has no booking of this patient yet (issue 14).
    .set('authorization', `Bearer ${opsToken}`)
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
      asOf: '2026-12-07',
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
    reasonCodes: expect.arrayContaining(['MEDICAID.MODALITY_COVERED_WITH_CONDITIONS']),
    ruleSets: expect.arrayContaining([{ ruleSetId: 'medicaid-states', version: '2026.12.1' }]),
  });
  // Minimum necessary PHI: no purpose, no member id, no free-text reasons on the wire.
  expect(message.value!.toString()).not.toMatch(/mental-health|"memberId"|"message"/);
});

it('checks upcoming appointments again when coverage changes and publishes only a changed answer', async () => {
  const http = () => request(app.getHttpServer());
  const patient = randomUUID();
  const coverage = await http()
    .post(`/patients/${patient}/coverages`)
    .set('authorization', `Bearer ${opsToken}`)
    .set('idempotency-key', 'cov')
    .send({ payerKind: 'commercial', payerId: 'ACME', memberId: 'A-1', state: 'CA', effectiveFrom: '2026-01-01', order: 'primary' })
    .expect(201);
  const coverageId = coverage.body.coverage.coverageId as string;
  const appointmentId = randomUUID();
  const first = await http()
    .post('/eligibility-checks')
    .set('authorization', `Bearer ${providerToken}`)
    .set('idempotency-key', 'first')
    .send({
      patientId: patient,
      appointmentId,
      serviceCodes: ['99213'],
      modality: 'video',
      patientLocation: { state: 'CA', setting: 'home' },
      provider: { providerId, licences: [{ state: 'CA', expiresOn: '2030-12-31' }] },
      dateOfService: '2027-05-01',
    })
    .expect(201);
  expect(first.body.determination.outcome).toBe('covered-with-conditions');

  // A change that does not move the answer: nothing recorded.
  await http().patch(`/patients/${patient}/coverages/${coverageId}`).set('authorization', `Bearer ${opsToken}`).send({ groupNumber: 'G-2' }).expect(200);
  // The plan ends before the visit: no coverage in force, the answer becomes unknown.
  await http().patch(`/patients/${patient}/coverages/${coverageId}`).set('authorization', `Bearer ${opsToken}`).send({ terminatesOn: '2027-01-31' }).expect(200);

  const recheck = await eventually(
    async () => {
      const events = await store.readStream(`eligibility-${patient}`);
      return events.length >= 2 ? events : undefined;
    },
    { timeoutMs: 20_000, what: 'the re-check after the coverage change' },
  );
  expect(recheck).toHaveLength(2);
  expect(recheck[1]!.metadata).toMatchObject({ actor: { role: 'system' }, command: 'RecordDetermination' });
  expect(recheck[1]!.data).toMatchObject({ changedFrom: 'covered-with-conditions', determination: { outcome: 'unknown' } });

  const published = await eventually(
    () => received.find((m) => {
      const data = JSON.parse(m.value!.toString()).data;
      return data?.patientId === patient && data.changedFrom !== undefined ? m : undefined;
    }),
    { timeoutMs: 30_000, what: 'the changed answer on Kafka' },
  );
  expect(JSON.parse(published.value!.toString()).data).toMatchObject({ appointmentId, outcome: 'unknown', changedFrom: 'covered-with-conditions', reasonCodes: expect.arrayContaining(['COVERAGE.NONE_IN_FORCE']) });
});
