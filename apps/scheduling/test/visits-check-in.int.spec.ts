import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { EligibilityDetermined, FollowUpRequested, PatientCheckedIn, toKafkaRecord } from '@carebridge/contracts';
import { handle } from '@carebridge/event-store';
import { createKafka, ensureTopics } from '@carebridge/messaging';
import { eventually, testInfrastructure, uniqueName, uniqueTopic } from '@carebridge/testing';
import { DEFAULT_ATTENDANCE_POLICY } from '../src/appointment/attendance.rules';
import { appointmentDecider } from '../src/appointment/appointment.decider';
import { AppointmentNotChangeableError } from '../src/appointment/appointment.errors';
import { type SchedulingTestApp, bookAs, localDay, localInstant, registerProvider, startSchedulingApp } from './scheduling-app.fixtures';
import { appointmentStreamId } from '../src/appointment/appointment.stream';

/** The service's time for HTTP requests, frozen by the test; the consumer goes by visits' times. */
const clock = { frozenAt: Date.now(), now: () => new Date(clock.frozenAt) };
const freezeClock = (ms: number) => {
  clock.frozenAt = ms;
};
const MINUTE = 60_000;

let kafka: Kafka;
let t: SchedulingTestApp;
const visitsTopic = uniqueTopic('visit');
const eligibilityTopic = uniqueTopic('eligibility');

beforeAll(async () => {
  kafka = createKafka({ brokers: testInfrastructure.kafkaBrokers, clientId: 'scheduling-check-in-test' });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [visitsTopic, eligibilityTopic].map((topic) => ({ topic, partitions: 3 })));
  await admin.disconnect();
  t = await startSchedulingApp({ clock, messaging: { kafka, groupId: uniqueName('scheduling'), topics: { [EligibilityDetermined.topic]: eligibilityTopic, [FollowUpRequested.topic]: visitsTopic } } });
});
afterAll(async () => {
  await t.close();
});

async function book(providerId: string, start: string) {
  const patient = await t.patient();
  return { appointmentId: await bookAs(t, patient, providerId, start), patient };
}

/** visits' PatientCheckedIn, sent `times` times (a redelivery); returns the event id. */
async function publishCheckIn(
  data: { patientId: string; appointmentId?: string; checkedInAt: string; visitId?: string },
  times = 1,
): Promise<string> {
  const id = randomUUID();
  const record = toKafkaRecord(
    { ...PatientCheckedIn, topic: visitsTopic },
    { visitId: data.visitId ?? randomUUID(), patientId: data.patientId, locationState: 'NY', videoReady: true, checkedInAt: data.checkedInAt,
      ...(data.appointmentId !== undefined && { appointmentId: data.appointmentId }) },
    { id, time: new Date(data.checkedInAt), correlationId: randomUUID(), actor: { id: data.patientId, role: 'patient' } },
  );
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let i = 0; i < times; i++) await producer.send({ topic: record.topic, messages: [{ key: record.key, value: record.value, headers: record.headers }] });
  } finally {
    await producer.disconnect();
  }
  return id;
}

/** The consumer's inbox outcome of an event: `processed` once handled (or deliberately ignored). */
const inboxOutcome = async (eventId: string) =>
  (await t.db.pool.query(`SELECT outcome FROM "${t.db.schema}".inbox WHERE event_id = $1`, [eventId])).rows[0]?.outcome as string | undefined;
const processed = (eventId: string, what: string) =>
  eventually(async () => ((await inboxOutcome(eventId)) === 'processed' ? true : undefined), { timeoutMs: 45_000, what });

const eventsOf = async (appointmentId: string, type: string) =>
  (await t.store.readStream(appointmentStreamId(appointmentId))).filter((e) => e.type === type && (e.data as { appointmentId: string }).appointmentId === appointmentId);

describe("visits' check-ins", () => {
  it('check the appointment in (before our own window opens), once when delivered twice, and the no-show is refused afterwards', async () => {
    const provider = await registerProvider(t);
    const start = localInstant(localDay(30), '10:00');
    freezeClock(Date.parse(start) - 40 * MINUTE);
    const { appointmentId, patient } = await book(provider.providerId, start);

    // 25 minutes before: inside visits' waiting-room window (30), outside ours (15).
    const checkedInAt = new Date(Date.parse(start) - 25 * MINUTE).toISOString();
    const visitId = randomUUID();
    const eventId = await publishCheckIn({ patientId: patient.patientId, appointmentId, checkedInAt, visitId }, 2);
    const row = await eventually(
      async () => {
        const response = await t.http().get(`/v1/appointments/${appointmentId}`).set('authorization', `Bearer ${patient.token}`);
        return response.body.status === 'checked-in' ? response.body : undefined;
      },
      { timeoutMs: 45_000, what: "the appointment checked in from visits' waiting room" },
    );
    expect(row).toMatchObject({ appointmentId, status: 'checked-in', minutesLate: 0 });

    // An on-demand check-in of the same visit key (same partition, so after the duplicate): skipped.
    const onDemand = await publishCheckIn({ patientId: patient.patientId, checkedInAt, visitId });
    await processed(onDemand, 'the on-demand check-in, after the redelivery');
    const checkIns = await eventsOf(appointmentId, 'PatientCheckedIn');
    expect(checkIns).toHaveLength(1);
    expect(checkIns[0]!.metadata).toMatchObject({
      actor: { id: 'visits', role: 'system' },
      causationId: eventId,
      commandId: `visits-check-in:${eventId}`,
      occurredAt: checkedInAt,
    });

    // After the grace period: the no-show job's command is refused (the job takes that as nothing
    // to mark), and so is the provider's no-show.
    freezeClock(Date.parse(start) + (DEFAULT_ATTENDANCE_POLICY.graceMinutes + 1) * MINUTE);
    await expect(
      handle(t.store, appointmentStreamId(appointmentId), appointmentDecider, {
        type: 'MarkNoShow',
        data: { appointmentId, policy: DEFAULT_ATTENDANCE_POLICY, scheduledStart: start },
        metadata: { now: clock.now(), actor: { id: 'scheduling-jobs', role: 'system' }, correlationId: 'no-show-job', commandId: `no-show_${appointmentId}` },
      }),
    ).rejects.toBeInstanceOf(AppointmentNotChangeableError);
    const refused = await t.http().post(`/v1/appointments/${appointmentId}/no-show`).set('authorization', `Bearer ${provider.token}`).expect(409);
    expect(refused.body.code).toBe('APPOINTMENT.NOT_CHANGEABLE');
    expect(await eventsOf(appointmentId, 'AppointmentNoShow')).toHaveLength(0);
    const after = await t.http().get(`/v1/appointments/${appointmentId}`).set('authorization', `Bearer ${patient.token}`).expect(200);
    expect(after.body.status).toBe('checked-in');
  });

  it('are a no-op when the patient also checked in with us, and are logged and left (not dead-lettered) for a cancelled appointment or after the grace period', async () => {
    const provider = await registerProvider(t);
    const day = localDay(31);
    const [at9, at930, at10] = ['09:00', '09:30', '10:00'].map((time) => localInstant(day, time)) as [string, string, string];
    freezeClock(Date.parse(at9) - 60 * MINUTE);
    const both = await book(provider.providerId, at9);
    const cancelled = await book(provider.providerId, at930);
    const late = await book(provider.providerId, at10);
    await t.http().post(`/v1/appointments/${cancelled.appointmentId}/cancel`).set('authorization', `Bearer ${cancelled.patient.token}`).send({ reasonCode: 'patient-request' }).expect(200);
    freezeClock(Date.parse(at9) - 5 * MINUTE);
    await t.http().post(`/v1/appointments/${both.appointmentId}/check-in`).set('authorization', `Bearer ${both.patient.token}`).expect(200);

    const ids = [
      await publishCheckIn({ patientId: both.patient.patientId, appointmentId: both.appointmentId, checkedInAt: new Date(Date.parse(at9) - 4 * MINUTE).toISOString() }),
      await publishCheckIn({ patientId: cancelled.patient.patientId, appointmentId: cancelled.appointmentId, checkedInAt: new Date(Date.parse(at930) - 5 * MINUTE).toISOString() }),
      await publishCheckIn({ patientId: late.patient.patientId, appointmentId: late.appointmentId, checkedInAt: new Date(Date.parse(at10) + 12 * MINUTE).toISOString() }),
    ];
    for (const id of ids) await processed(id, `check-in ${id} handled`);

    expect(await eventsOf(both.appointmentId, 'PatientCheckedIn')).toHaveLength(1);
    expect((await eventsOf(both.appointmentId, 'PatientCheckedIn'))[0]!.metadata.actor).toMatchObject({ role: 'patient' });
    expect(await eventsOf(cancelled.appointmentId, 'PatientCheckedIn')).toHaveLength(0);
    expect(await eventsOf(late.appointmentId, 'PatientCheckedIn')).toHaveLength(0);
    const statusOf = async (a: { appointmentId: string; patient: { token: string } }) =>
      (await t.http().get(`/v1/appointments/${a.appointmentId}`).set('authorization', `Bearer ${a.patient.token}`).expect(200)).body.status;
    expect(await statusOf(cancelled)).toBe('cancelled');
    // Past our grace period: left to the no-show job.
    expect(await statusOf(late)).toBe('booked');
  });
});
