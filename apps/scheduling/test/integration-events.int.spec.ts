import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import {
  AppointmentBooked,
  AppointmentCancelled,
  AppointmentRescheduled,
  ContractRegistry,
  EligibilityDetermined,
  EmergencyRedirected,
  FollowUpRequested,
  toKafkaRecord,
} from '@carebridge/contracts';
import { IntegrationConsumer, type ReceivedEvent, createKafka, ensureTopics, on } from '@carebridge/messaging';
import { eventually, sendRecords, testInfrastructure, uniqueName, uniqueTopic } from '@carebridge/testing';
import { SCHEDULING_TOPICS } from '../src/integration/scheduling.publisher';
import { type SchedulingTestApp, bookingBody, localDay, localInstant, registerProvider, startSchedulingApp } from './scheduling-app.fixtures';

let kafka: Kafka;
let t: SchedulingTestApp;
let consumer: IntegrationConsumer;
const received: ReceivedEvent[] = [];
const eligibilityTopic = uniqueTopic('eligibility');

beforeAll(async () => {
  kafka = createKafka({ brokers: testInfrastructure.kafkaBrokers, clientId: 'scheduling-events-test' });
  const admin = kafka.admin();
  await admin.connect();
  // The consumer also reads visits' follow-ups from the contract topic.
  await ensureTopics(admin, [...SCHEDULING_TOPICS, eligibilityTopic, FollowUpRequested.topic].map((topic) => ({ topic, partitions: 3 })));
  await admin.disconnect();
  t = await startSchedulingApp({ messaging: { kafka, groupId: uniqueName('scheduling'), topics: { [EligibilityDetermined.topic]: eligibilityTopic } } });
  consumer = new IntegrationConsumer({
    groupId: uniqueName('scheduling-events-test'),
    kafka,
    pool: t.db.pool,
    schema: t.db.schema,
    registry: new ContractRegistry([AppointmentBooked, AppointmentRescheduled, AppointmentCancelled, EmergencyRedirected]),
    handlers: [
      on(AppointmentBooked, async (event) => void received.push(event)),
      on(AppointmentRescheduled, async (event) => void received.push(event)),
      on(AppointmentCancelled, async (event) => void received.push(event)),
      on(EmergencyRedirected, async (event) => void received.push(event)),
    ],
  });
  await consumer.start();
});
afterAll(async () => {
  await consumer.stop();
  await t.close();
});

describe('integration events', () => {
  it('booking, rescheduling, cancelling and an emergency redirection reach Kafka as contract events with ids and codes only', async () => {
    const { providerId } = await registerProvider(t);
    const patient = await t.patient();
    const auth = `Bearer ${patient.token}`;
    const day = localDay(5);
    const booked = await t
      .http()
      .post('/v1/appointments')
      .set('authorization', auth)
      .set('idempotency-key', randomUUID())
      .send(bookingBody(providerId, localInstant(day, '09:00')))
      .expect(201);
    const appointmentId: string = booked.body.appointmentId;
    await t
      .http()
      .post(`/v1/appointments/${appointmentId}/reschedule`)
      .set('authorization', auth)
      .send({ slotStart: localInstant(localDay(6), '10:00'), reasonCode: 'patient-request' })
      .expect(200);
    await t.http().post(`/v1/appointments/${appointmentId}/cancel`).set('authorization', auth).send({ reasonCode: 'feeling-better' }).expect(200);
    await t
      .http()
      .post('/v1/appointments')
      .set('authorization', auth)
      .set('idempotency-key', randomUUID())
      .send(bookingBody(providerId, localInstant(day, '10:00'), { intake: { symptoms: ['slurred-speech'] } }))
      .expect(200);

    const mine = await eventually(
      () => {
        const events = received.filter((e) => (e.data as { patientId?: string }).patientId === patient.patientId);
        return events.length >= 4 ? events : undefined;
      },
      { timeoutMs: 45_000, what: 'four scheduling events on Kafka' },
    );
    const byType = Object.fromEntries(mine.map((e) => [e.type, e]));
    expect(byType[AppointmentBooked.type]!.data).toEqual({
      appointmentId,
      patientId: patient.patientId,
      providerId,
      startsAt: localInstant(day, '09:00'),
      endsAt: localInstant(day, '09:30'),
      modality: 'video',
      patientState: 'NY',
      // Licensed states as the provider registered them (no expiries given).
      providerLicences: [{ state: 'NY' }, { state: 'NJ' }],
    });
    expect(byType[AppointmentRescheduled.type]!.data).toMatchObject({
      appointmentId,
      previousStartsAt: localInstant(day, '09:00'),
      startsAt: localInstant(localDay(6), '10:00'),
      reasonCode: 'patient-request',
    });
    expect(byType[AppointmentCancelled.type]!.data).toMatchObject({ appointmentId, reasonCode: 'feeling-better', cancelledBy: 'patient' });
    expect(byType[EmergencyRedirected.type]!.data).toMatchObject({ patientId: patient.patientId, providerId, redFlagCodes: ['slurred-speech'] });
    // Per-appointment order is kept (one partition key).
    const appointmentEvents = mine.filter((e) => (e.data as { appointmentId?: string }).appointmentId === appointmentId).map((e) => e.type);
    expect(appointmentEvents).toEqual([AppointmentBooked.type, AppointmentRescheduled.type, AppointmentCancelled.type]);
    // Minimum necessary: neither the reason nor the intake text leaves the service.
    expect(JSON.stringify(mine.map((e) => e.data))).not.toMatch(/rash|contagious|Two weeks/);
  });

  it('records billing-eligibility coverage answers on the appointment, once per determination', async () => {
    const { providerId } = await registerProvider(t);
    const patient = await t.patient();
    const booked = await t
      .http()
      .post('/v1/appointments')
      .set('authorization', `Bearer ${patient.token}`)
      .set('idempotency-key', randomUUID())
      .send(bookingBody(providerId, localInstant(localDay(9), '09:00')))
      .expect(201);
    const appointmentId: string = booked.body.appointmentId;
    const determinationId = randomUUID();
    const record = toKafkaRecord(
      { ...EligibilityDetermined, topic: eligibilityTopic },
      {
        determinationId,
        patientId: patient.patientId,
        appointmentId,
        outcome: 'not-covered',
        serviceCodes: ['99213'],
        dateOfService: localDay(9),
        modifiers: ['95'],
        reasonCodes: ['COVERAGE.OUT_OF_NETWORK'],
        ruleSets: [{ ruleSetId: 'commercial', version: '2026.1' }],
        asOf: localDay(0),
      },
      { id: randomUUID(), time: new Date(), correlationId: randomUUID(), actor: { id: 'billing', role: 'system' } },
    );
    const producer = kafka.producer();
    await producer.connect();
    try {
      // Delivered twice: the inbox makes it one recorded answer.
      for (let i = 0; i < 2; i++) {
        await producer.send({ topic: record.topic, messages: [{ key: record.key, value: record.value, headers: record.headers }] });
      }
    } finally {
      await producer.disconnect();
    }
    const shown = await eventually(
      async () => {
        const response = await t.http().get(`/v1/appointments/${appointmentId}`).set('authorization', `Bearer ${patient.token}`);
        return response.body.coverage ? response.body : undefined;
      },
      { timeoutMs: 45_000, what: 'coverage on the appointment' },
    );
    expect(shown.coverage).toEqual({ outcome: 'not-covered', reasonCodes: ['COVERAGE.OUT_OF_NETWORK'] });
    const streamId = (await t.db.pool.query(`SELECT stream_id FROM "${t.db.schema}".appointments WHERE appointment_id = $1`, [appointmentId])).rows[0].stream_id;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const recorded = (await t.store.readStream(streamId)).filter((e) => e.type === 'AppointmentCoverageRecorded');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.metadata.causationId).toBeDefined();
  });

  it('ignores an answer for an appointment never booked here, without holding up the next one (same key, same partition)', async () => {
    const { providerId } = await registerProvider(t);
    const patient = await t.patient();
    const booked = await t
      .http()
      .post('/v1/appointments')
      .set('authorization', `Bearer ${patient.token}`)
      .set('idempotency-key', randomUUID())
      .send(bookingBody(providerId, localInstant(localDay(10), '09:00')))
      .expect(201);
    const answer = (appointmentId: string) =>
      toKafkaRecord(
        { ...EligibilityDetermined, topic: eligibilityTopic },
        {
          determinationId: randomUUID(),
          patientId: patient.patientId,
          appointmentId,
          outcome: 'covered',
          serviceCodes: ['99213'],
          dateOfService: localDay(10),
          modifiers: ['95'],
          reasonCodes: ['MEDICARE.ON_TELEHEALTH_LIST'],
          ruleSets: [{ ruleSetId: 'medicare', version: '2026.11.1' }],
          asOf: localDay(0),
        },
        { id: randomUUID(), time: new Date(), correlationId: randomUUID(), actor: { id: 'billing', role: 'system' } },
      );
    // Keyed by the patient: the stranger's answer sits before ours in the same partition.
    const stranger = answer(randomUUID());
    const ours = answer(booked.body.appointmentId);
    await sendRecords(kafka, [stranger, ours]);
    await eventually(
      async () => {
        const response = await t.http().get(`/v1/appointments/${booked.body.appointmentId}`).set('authorization', `Bearer ${patient.token}`);
        return response.body.coverage ?? undefined;
      },
      { timeoutMs: 45_000, what: 'coverage on the appointment' },
    );
    // Processed (ignored) at once: not retried for 3 s and dead-lettered as before.
    const { rows } = await t.db.pool.query(`SELECT outcome FROM "${t.db.schema}".inbox WHERE event_id = $1`, [JSON.parse(stranger.value).id]);
    expect(rows).toEqual([{ outcome: 'processed' }]);
  });

  it('AppointmentBooked carries the billing facts, the provider licences and the further providers', async () => {
    const { providerId } = await registerProvider(t, { licences: [{ state: 'NY', expiresOn: '2099-12-31' }] });
    const specialist = await registerProvider(t);
    const patient = await t.patient();
    const booked = await t
      .http()
      .post('/v1/appointments')
      .set('authorization', `Bearer ${patient.token}`)
      .set('idempotency-key', randomUUID())
      .send(
        bookingBody(providerId, localInstant(localDay(9), '11:00'), {
          serviceCodes: ['99214'],
          visitPurpose: 'other',
          patientSetting: 'facility',
          additionalProviderIds: [specialist.providerId],
        }),
      )
      .expect(201);
    const event = await eventually(() => received.find((e) => e.type === AppointmentBooked.type && (e.data as { appointmentId: string }).appointmentId === booked.body.appointmentId), {
      what: 'AppointmentBooked with billing facts',
    });
    expect(event.data).toMatchObject({
      providerId,
      serviceCodes: ['99214'],
      visitPurpose: 'other',
      patientSetting: 'facility',
      providerLicences: [{ state: 'NY', expiresOn: '2099-12-31' }, { state: 'NJ' }],
      additionalProviderIds: [specialist.providerId],
    });
    // Published once, from the lead's day.
    expect(received.filter((e) => (e.data as { appointmentId?: string }).appointmentId === booked.body.appointmentId)).toHaveLength(1);
  });
});
