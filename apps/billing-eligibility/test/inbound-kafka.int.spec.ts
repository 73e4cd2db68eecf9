import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  AppointmentBooked,
  AppointmentCancelled,
  AppointmentRescheduled,
  ContractRegistry,
  EligibilityDetermined,
  RpmPeriodClosed,
  toKafkaRecord,
} from '@carebridge/contracts';
import { migrate } from '@carebridge/event-store';
import {
  IntegrationConsumer,
  type ReceivedEvent,
  connectIntegrationEvents,
  createKafka,
  ensureTopics,
  messagingMigrations,
  on,
} from '@carebridge/messaging';
import { DevTokenIssuer, configureServiceApp, createLogger } from '@carebridge/platform';
import { type TestSchema, createTestSchema, eventually, sendRecords, testInfrastructure, uniqueName, uniqueTopic } from '@carebridge/testing';
import { BillingEligibilityModule } from '../src/billing-eligibility.module';
import { billingOptions } from './billing-app.fixtures';

// scheduling's and monitoring's events on topics of this file; our answers on the contract's topic.
const appointmentTopic = uniqueTopic('appointment');
const rpmTopic = uniqueTopic('rpm-period');
const kafka = createKafka({ brokers: testInfrastructure.kafkaBrokers, clientId: 'billing-inbound-spec' });
let db: TestSchema;
let app: NestExpressApplication;
let listener: IntegrationConsumer;
let opsToken: string;
const answers: ReceivedEvent<typeof EligibilityDetermined.Data>[] = [];

beforeAll(async () => {
  db = await createTestSchema('billing_inbound');
  await migrate(db.pool, db.schema);
  await migrate(db.pool, db.schema, messagingMigrations, 'messaging_migrations');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [appointmentTopic, rpmTopic, EligibilityDetermined.topic].map((topic) => ({ topic, partitions: 3 })));
  await admin.disconnect();

  const issuer = await DevTokenIssuer.create();
  const moduleRef = await Test.createTestingModule({
    imports: [
      BillingEligibilityModule.register(
        billingOptions(db, issuer, {
          messaging: { kafka, groupId: uniqueName('billing-eligibility'), topics: { [AppointmentBooked.topic]: appointmentTopic, [RpmPeriodClosed.topic]: rpmTopic } },
        }),
      ),
    ],
  }).compile();
  app = configureServiceApp(moduleRef.createNestApplication<NestExpressApplication>(), {
    logger: createLogger({ service: 'billing-inbound-spec', level: 'silent' }),
  });
  connectIntegrationEvents(app);
  await app.init();
  await app.startAllMicroservices();
  opsToken = `Bearer ${await issuer.mint({ sub: randomUUID(), role: 'ops' })}`;

  // Reads the answers as scheduling does, from the contract's topic.
  listener = new IntegrationConsumer({
    groupId: uniqueName('billing-inbound-listener'),
    kafka,
    pool: db.pool,
    schema: db.schema,
    registry: new ContractRegistry([EligibilityDetermined]),
    handlers: [on(EligibilityDetermined, async (event) => void answers.push(event))],
  });
  await listener.start();
});

afterAll(async () => {
  await listener?.stop();
  await app?.close();
  await db?.dispose();
});

const send = (records: ReturnType<typeof toKafkaRecord>[]) => sendRecords(kafka, records);

const envelope = (from: string) => ({ id: randomUUID(), time: new Date(), correlationId: randomUUID(), actor: { id: from, role: 'system' as const } });
const http = () => request(app.getHttpServer());
const answersFor = (key: string) => answers.filter((a) => a.data.appointmentId === key || a.data.rpmPeriodId === key);

async function recordMedicare(patientId: string) {
  await http()
    .post(`/v1/patients/${patientId}/coverages`)
    .set('authorization', opsToken)
    .set('idempotency-key', randomUUID())
    .send({ coverageId: randomUUID(), payerKind: 'medicare-part-b', payerId: 'CMS', memberId: '1EG4TE5MK73', effectiveFrom: '2026-01-01', order: 'primary' })
    .expect(201);
}

function booked(patientId: string, providerId: string, overrides: Partial<typeof AppointmentBooked.Data> = {}) {
  const data: typeof AppointmentBooked.Data = {
    appointmentId: randomUUID(),
    patientId,
    providerId,
    // 10:00 in California on 2027-06-15
    startsAt: '2027-06-15T17:00:00.000Z',
    endsAt: '2027-06-15T17:30:00.000Z',
    modality: 'video',
    patientState: 'CA',
    serviceCodes: ['99213'],
    visitPurpose: 'other',
    patientSetting: 'home',
    providerLicences: [{ state: 'CA', expiresOn: '2030-12-31' }],
    ...overrides,
  };
  return { data, record: toKafkaRecord({ ...AppointmentBooked, topic: appointmentTopic }, data, envelope('scheduling')) };
}

describe("billing-eligibility answers scheduling's bookings over Kafka", () => {
  it('booked (delivered twice) -> one EligibilityDetermined for the appointment, with POS and modifier', async () => {
    const patientId = randomUUID();
    await recordMedicare(patientId);
    const booking = booked(patientId, randomUUID());
    await send([booking.record, booking.record]);

    const answer = await eventually(() => answersFor(booking.data.appointmentId)[0], { timeoutMs: 30_000, what: 'answer to the booking' });
    expect(answer.data).toMatchObject({
      patientId,
      appointmentId: booking.data.appointmentId,
      payerKind: 'medicare-part-b',
      outcome: 'covered',
      serviceCodes: ['99213'],
      dateOfService: '2027-06-15',
      placeOfService: '10',
      // CY2024 PFS: POS 10 says telehealth at home; 95 only for a hospital-based clinician or PT/OT/SLP.
      modifiers: [],
      reasonCodes: expect.arrayContaining(['MEDICARE.ON_TELEHEALTH_LIST', 'MEDICARE.HOME_ORIGINATING_SITE', 'LICENSURE.LICENSED_IN_PATIENT_STATE']),
    });
    const stored = await http().get(`/v1/patients/${patientId}/eligibility-determinations`).set('authorization', opsToken).expect(200);
    expect(stored.body.determinations).toHaveLength(1);
    expect(stored.body.determinations[0].request).toMatchObject({ appointmentId: booking.data.appointmentId, visitStartsAt: booking.data.startsAt });
  });

  it('coverage change -> re-determination of the booked visit, published with changedFrom', async () => {
    const patientId = randomUUID();
    await recordMedicare(patientId);
    const booking = booked(patientId, randomUUID());
    await send([booking.record]);
    await eventually(() => answersFor(booking.data.appointmentId)[0], { timeoutMs: 30_000, what: 'first answer' });

    // The patient leaves Medicare for self-pay before the visit.
    const coverages = await http().get(`/v1/patients/${patientId}/coverages`).set('authorization', opsToken).expect(200);
    const coverageId = coverages.body.coverages[0].coverageId;
    await http()
      .patch(`/v1/patients/${patientId}/coverages/${coverageId}`)
      .set('authorization', opsToken)
      .send({ terminatesOn: '2027-03-31' })
      .expect(200);

    const changed = await eventually(() => answersFor(booking.data.appointmentId).find((a) => a.data.changedFrom !== undefined), {
      timeoutMs: 30_000,
      what: 're-determination after the coverage change',
    });
    expect(changed.data).toMatchObject({ changedFrom: 'covered', outcome: 'unknown', reasonCodes: expect.arrayContaining(['COVERAGE.NONE_IN_FORCE']) });
  });

  it('rescheduled past 2027-12-31 -> answered again at the new date (home no longer an originating site)', async () => {
    const patientId = randomUUID();
    const providerId = randomUUID();
    await recordMedicare(patientId);
    const booking = booked(patientId, providerId);
    const moved = toKafkaRecord(
      { ...AppointmentRescheduled, topic: appointmentTopic },
      {
        appointmentId: booking.data.appointmentId,
        patientId,
        providerId,
        previousStartsAt: booking.data.startsAt,
        startsAt: '2028-01-05T17:00:00.000Z',
        endsAt: '2028-01-05T17:30:00.000Z',
        reasonCode: 'patient-request',
      } as typeof AppointmentRescheduled.Data,
      envelope('scheduling'),
    );
    await send([booking.record, moved]);
    const second = await eventually(() => answersFor(booking.data.appointmentId).find((a) => a.data.dateOfService === '2028-01-05'), {
      timeoutMs: 30_000,
      what: 'answer at the new date',
    });
    expect(second.data).toMatchObject({ outcome: 'not-covered', reasonCodes: expect.arrayContaining(['MEDICARE.HOME_NOT_ORIGINATING_SITE']) });
  });

  it('cancelled -> withdrawn: a later coverage change answers nothing more for it', async () => {
    const patientId = randomUUID();
    const providerId = randomUUID();
    await recordMedicare(patientId);
    const cancelledBooking = booked(patientId, providerId);
    const keptBooking = booked(patientId, providerId, { startsAt: '2027-07-01T17:00:00.000Z', endsAt: '2027-07-01T17:30:00.000Z' });
    const cancel = toKafkaRecord(
      { ...AppointmentCancelled, topic: appointmentTopic },
      { appointmentId: cancelledBooking.data.appointmentId, patientId, providerId, startsAt: cancelledBooking.data.startsAt, cancelledBy: 'patient', reasonCode: 'patient-request' },
      envelope('scheduling'),
    );
    await send([cancelledBooking.record, cancel, keptBooking.record]);
    await eventually(() => answersFor(keptBooking.data.appointmentId)[0], { timeoutMs: 30_000, what: 'answer to the kept booking' });
    await eventually(
      async () => {
        const history = await db.pool.query(`SELECT 1 FROM ${db.schema}.events WHERE event_type = 'AppointmentWithdrawn' AND data->>'appointmentId' = $1`, [
          cancelledBooking.data.appointmentId,
        ]);
        return history.rowCount === 1 ? true : undefined;
      },
      { timeoutMs: 30_000, what: 'AppointmentWithdrawn recorded' },
    );

    const coverages = await http().get(`/v1/patients/${patientId}/coverages`).set('authorization', opsToken).expect(200);
    await http()
      .patch(`/v1/patients/${patientId}/coverages/${coverages.body.coverages[0].coverageId}`)
      .set('authorization', opsToken)
      .send({ terminatesOn: '2027-03-31' })
      .expect(200);
    // The kept visit is answered again; by then the cancelled one would have been too.
    await eventually(() => answersFor(keptBooking.data.appointmentId).find((a) => a.data.changedFrom !== undefined), {
      timeoutMs: 30_000,
      what: 're-determination of the kept visit',
    });
    expect(answersFor(cancelledBooking.data.appointmentId).filter((a) => a.data.changedFrom !== undefined)).toEqual([]);
  });

  it('a booking without billing facts -> unknown, each missing fact named (never a guess)', async () => {
    const patientId = randomUUID();
    await recordMedicare(patientId);
    const { serviceCodes: _c, patientSetting: _s, providerLicences: _l, visitPurpose: _p, ...bare } = booked(patientId, randomUUID()).data;
    await send([toKafkaRecord({ ...AppointmentBooked, topic: appointmentTopic }, bare, envelope('scheduling'))]);
    const answer = await eventually(() => answersFor(bare.appointmentId)[0], { timeoutMs: 30_000, what: 'answer to the bare booking' });
    expect(answer.data).toMatchObject({ outcome: 'unknown', serviceCodes: [], reasonCodes: ['INPUT.MISSING_FACT'] });
    const stored = await http().get(`/v1/patients/${patientId}/eligibility-determinations`).set('authorization', opsToken).expect(200);
    expect(stored.body.determinations[0].determination.reasons.map((r: { message: string }) => r.message.split(':')[0])).toEqual([
      'serviceCodes',
      'patientLocation.setting',
      'provider.licences',
    ]);
  });
});

describe("billing-eligibility answers monitoring's RPM periods over Kafka", () => {
  it('RpmPeriodClosed -> the billable RPM codes for the coverage, location and licences from the booked visit', async () => {
    const patientId = randomUUID();
    const providerId = randomUUID();
    await recordMedicare(patientId);
    const booking = booked(patientId, providerId);
    await send([booking.record]);
    await eventually(() => answersFor(booking.data.appointmentId)[0], { timeoutMs: 30_000, what: 'answer to the booking' });

    const periodId = randomUUID();
    const period: typeof RpmPeriodClosed.Data = {
      periodId,
      patientId,
      practitionerId: providerId,
      periodStart: '2027-06-01',
      periodEnd: '2027-06-30',
      daysWithReadings: 16,
      managementMinutes: 0,
      interpretationMinutes: 0,
      codes: [{ code: '99454', units: 1 }],
      reasonCodes: ['RPM.DEVICE_DAYS_MET'],
      ruleSet: { ruleSetId: 'monitoring-rpm', version: '2026-11', source: 'spec' },
    };
    await send([toKafkaRecord({ ...RpmPeriodClosed, topic: rpmTopic }, period, envelope('monitoring'))]);
    const answer = await eventually(() => answersFor(periodId)[0], { timeoutMs: 30_000, what: 'answer to the RPM period' });
    expect(answer.data).toMatchObject({
      rpmPeriodId: periodId,
      patientId,
      outcome: 'covered-with-conditions',
      serviceCodes: ['99454'],
      billableCodes: [{ code: '99454', units: 1 }],
      dateOfService: '2027-06-30',
      reasonCodes: expect.arrayContaining(['RPM.CODE_BILLABLE', 'RPM.ESTABLISHED_PATIENT_NOT_KNOWN']),
    });
    expect(answer.data.appointmentId).toBeUndefined();
  });
});
