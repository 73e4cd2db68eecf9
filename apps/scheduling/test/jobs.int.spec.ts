import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { eventually, testInfrastructure } from '@carebridge/testing';
import { APPOINTMENT_QUEUE, noShowJobId, reminderJobId } from '../src/jobs/appointment-jobs';
import type { AppointmentReminder, NoShowFollowUp, Notifier, WaitlistOffer } from '../src/notifications/notification.port';
import { type SchedulingTestApp, bookingBody, localDay, localInstant, registerProvider, startSchedulingApp } from './scheduling-app';

/**
 * The service's time, set by the test: frozen (so how long a request takes under load does not
 * matter) or running from a chosen instant. BullMQ delays are real, so jobs are scheduled seconds ahead.
 */
const clock = {
  frozenAt: undefined as number | undefined,
  offsetMs: 0,
  now: () => new Date(clock.frozenAt ?? Date.now() + clock.offsetMs),
};
const sent: AppointmentReminder[] = [];
const invited: NoShowFollowUp[] = [];
const offers: WaitlistOffer[] = [];
const notifier: Notifier = {
  sendReminder: async (reminder) => void sent.push(reminder),
  sendNoShowFollowUp: async (followUp) => void invited.push(followUp),
  sendWaitlistOffer: async (offer) => void offers.push(offer),
};
const prefix = `bull-scheduling-${randomUUID().slice(0, 8)}`;

let t: SchedulingTestApp;
let queue: Queue;
let redis: Redis;

beforeAll(async () => {
  t = await startSchedulingApp({
    clock,
    // Waitlist offers held 3 s, so passing an unused offer on is seen within the test.
    policy: { holdMinutes: 10, waitlistOfferMinutes: 0.05, attendance: { checkInOpensMinutesBefore: 15, graceMinutes: 0 } },
    jobs: { connection: { kind: 'redis', url: testInfrastructure.redisUrl, prefix }, notifier, channels: ['email', 'sms'] },
  });
  redis = new Redis(testInfrastructure.redisUrl, { maxRetriesPerRequest: null });
  queue = new Queue(APPOINTMENT_QUEUE, { connection: redis, prefix });
});
afterAll(async () => {
  await t.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await redis.quit();
});

const freezeClock = (iso: string) => {
  clock.frozenAt = Date.parse(iso);
};
const runClockFrom = (iso: string) => {
  clock.frozenAt = undefined;
  clock.offsetMs = Date.parse(iso) - Date.now();
};

async function book(providerId: string, start: string) {
  const patient = await t.patient();
  const response = await t
    .http()
    .post('/v1/appointments')
    .set('authorization', `Bearer ${patient.token}`)
    .set('idempotency-key', randomUUID())
    .send(bookingBody(providerId, start))
    .expect(201);
  return { appointmentId: response.body.appointmentId as string, patient };
}

const jobExists = async (id: string) => (await queue.getJob(id)) !== undefined;
const stateOf = async (id: string) => (await queue.getJob(id))?.getState();

describe('reminders', () => {
  it('fire at 24 h before (time controlled), with join link and tips, once even when the job runs again', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(localDay(20), '09:00');
    freezeClock(new Date(Date.parse(start) - 24 * 3_600_000 - 2_000).toISOString());
    const { appointmentId, patient } = await book(providerId, start);
    const reminder = await eventually(() => sent.find((r) => r.appointmentId === appointmentId), { what: '24 h reminder' });
    expect(reminder).toMatchObject({ patientId: patient.patientId, minutesBefore: 1440, start, channels: ['email', 'sms'] });
    expect(reminder.joinUrl).toContain(appointmentId);
    expect(reminder.preparationTips.join(' ')).toMatch(/connection/);
    // The 1 h reminder waits for its time.
    expect(await stateOf(reminderJobId(appointmentId, start, 60))).toBe('delayed');

    // A second run of the same reminder (a retry, or a duplicate job) sends nothing.
    const streamId = (await t.db.pool.query(`SELECT stream_id FROM "${t.db.schema}".appointments WHERE appointment_id = $1`, [appointmentId])).rows[0].stream_id;
    const again = await queue.add('reminder', { appointmentId, streamId, start, minutesBefore: 1440 }, { jobId: `duplicate_${appointmentId}` });
    await eventually(async () => ((await again.getState()) === 'completed' ? true : undefined), { what: 'duplicate job done' });
    expect(sent.filter((r) => r.appointmentId === appointmentId)).toHaveLength(1);
    const events = await t.store.readStream(streamId);
    expect(events.filter((e) => e.type === 'AppointmentReminderSent')).toHaveLength(1);
  });

  it('move with the appointment when it is rescheduled and vanish when it is cancelled', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(localDay(21), '09:00');
    const later = localInstant(localDay(22), '11:00');
    runClockFrom(new Date().toISOString());
    const { appointmentId, patient } = await book(providerId, start);
    await eventually(async () => ((await jobExists(reminderJobId(appointmentId, start, 1440))) ? true : undefined), { what: 'jobs scheduled' });
    expect(await jobExists(noShowJobId(appointmentId, start))).toBe(true);

    await t
      .http()
      .post(`/v1/appointments/${appointmentId}/reschedule`)
      .set('authorization', `Bearer ${patient.token}`)
      .send({ slotStart: later, reasonCode: 'patient-request' })
      .expect(200);
    await eventually(async () => ((await jobExists(reminderJobId(appointmentId, later, 60))) ? true : undefined), { what: 'jobs moved' });
    expect(await jobExists(reminderJobId(appointmentId, start, 1440))).toBe(false);
    expect(await jobExists(reminderJobId(appointmentId, start, 60))).toBe(false);
    expect(await jobExists(noShowJobId(appointmentId, start))).toBe(false);
    const moved = (await queue.getJob(reminderJobId(appointmentId, later, 1440)))!;
    expect(moved.timestamp + moved.delay).toBeGreaterThan(Date.parse(later) - 24 * 3_600_000 - 5_000);

    await t.http().post(`/v1/appointments/${appointmentId}/cancel`).set('authorization', `Bearer ${patient.token}`).send({ reasonCode: 'patient-request' }).expect(200);
    await eventually(async () => ((await jobExists(noShowJobId(appointmentId, later))) ? undefined : true), { what: 'jobs removed' });
    expect(await jobExists(reminderJobId(appointmentId, later, 1440))).toBe(false);
    expect(await jobExists(reminderJobId(appointmentId, later, 60))).toBe(false);
  });
});

describe('check-in and no-show', () => {
  it('check-in opens 15 minutes before the start', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(localDay(23), '10:00');
    freezeClock(new Date(Date.parse(start) - 30 * 60_000).toISOString());
    const { appointmentId, patient } = await book(providerId, start);
    freezeClock(new Date(Date.parse(start) - 20 * 60_000).toISOString());
    const early = await t.http().post(`/v1/appointments/${appointmentId}/check-in`).set('authorization', `Bearer ${patient.token}`).expect(422);
    expect(early.body.code).toBe('APPOINTMENT.CHECK_IN_NOT_OPEN');
    freezeClock(new Date(Date.parse(start) - 5 * 60_000).toISOString());
    const checkedIn = await t.http().post(`/v1/appointments/${appointmentId}/check-in`).set('authorization', `Bearer ${patient.token}`).expect(200);
    expect(checkedIn.body).toMatchObject({ status: 'checked-in', minutesLate: 0 });
  });

  it('becomes a no-show by itself when the grace period ends without check-in, and the patient is invited to reschedule', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(localDay(24), '10:30');
    freezeClock(new Date(Date.parse(start) - 2_000).toISOString());
    const { appointmentId, patient } = await book(providerId, start);
    // The no-show job was scheduled 2 s ahead (grace 0); by the time it runs the start has passed.
    runClockFrom(new Date(Date.parse(start) + 10_000).toISOString());
    const row = await eventually(
      async () => {
        const response = await t.http().get(`/v1/appointments/${appointmentId}`).set('authorization', `Bearer ${patient.token}`);
        return response.body.status === 'no-show' ? response.body : undefined;
      },
      { what: 'no-show', timeoutMs: 20_000 },
    );
    expect(row).toMatchObject({ appointmentId, status: 'no-show' });
    const invitation = await eventually(() => invited.find((i) => i.appointmentId === appointmentId), { what: 'reschedule invitation' });
    expect(invitation).toMatchObject({ patientId: patient.patientId, rescheduleUrl: expect.stringContaining(`${appointmentId}/reschedule`) });
    const late = await t.http().post(`/v1/appointments/${appointmentId}/check-in`).set('authorization', `Bearer ${patient.token}`).expect(409);
    expect(late.body.code).toBe('APPOINTMENT.NOT_CHANGEABLE');
  });
});

describe('waitlist', () => {
  it('offers a freed slot to waiting patients in order, each once, held for a limited time', async () => {
    runClockFrom(new Date().toISOString());
    const { providerId } = await registerProvider(t);
    const day = localDay(25);
    const start = localInstant(day, '09:00');
    const first = await book(providerId, start);
    const join = async () => {
      const patient = await t.patient();
      const response = await t
        .http()
        .post('/v1/waitlist')
        .set('authorization', `Bearer ${patient.token}`)
        .set('idempotency-key', randomUUID())
        .send({ specialty: 'dermatology', modality: 'video', patientState: 'NY', from: day, to: day, timeZone: 'America/New_York' })
        .expect(201);
      return { ...patient, entryId: response.body.entryId as string };
    };
    const b = await join();
    const c = await join();

    await t.http().post(`/v1/appointments/${first.appointmentId}/cancel`).set('authorization', `Bearer ${first.patient.token}`).send({ reasonCode: 'patient-request' }).expect(200);
    const toB = await eventually(() => offers.find((o) => o.entryId === b.entryId), { what: 'offer to the first in line' });
    expect(toB).toMatchObject({ patientId: b.patientId, providerId, start });
    // Held for B: nobody else books it meanwhile.
    const stranger = await t.patient();
    const refused = await t
      .http()
      .post('/v1/appointments')
      .set('authorization', `Bearer ${stranger.token}`)
      .set('idempotency-key', randomUUID())
      .send(bookingBody(providerId, start))
      .expect(409);
    expect(refused.body.code).toBe('APPOINTMENT.SLOT_TAKEN');

    // B lets it expire: the slot passes to C, and B is not offered it again.
    const toC = await eventually(() => offers.find((o) => o.entryId === c.entryId), { what: 'offer to the next in line', timeoutMs: 20_000 });
    expect(offers.filter((o) => o.entryId === b.entryId)).toHaveLength(1);
    const booked = await t
      .http()
      .post('/v1/appointments')
      .set('authorization', `Bearer ${c.token}`)
      .set('idempotency-key', randomUUID())
      .send(bookingBody(providerId, start, { holdId: toC.holdId }))
      .expect(201);
    const entry = await eventually(
      async () => {
        const response = await t.http().get(`/v1/waitlist/${c.entryId}`).set('authorization', `Bearer ${c.token}`);
        return response.body.status === 'fulfilled' ? response.body : undefined;
      },
      { what: 'entry fulfilled' },
    );
    expect(entry.appointmentId).toBe(booked.body.appointmentId);
  });
});

