import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger } from '@carebridge/platform';
import { eventually, testInfrastructure } from '@carebridge/testing';
import { APPOINTMENT_QUEUE, noShowJobId, reminderJobId, waitlistOfferJobId } from '../src/jobs/appointment.job';
import { deliveryId } from '../src/jobs/notification-deliveries.adapter';
import type { AppointmentReminder, NoShowFollowUp, Notifier, WaitlistOffer } from '../src/notifications/notification.port';
import { type SchedulingTestApp, bookAs, bookingBody, localDay, localInstant, registerProvider, startSchedulingApp } from './scheduling-app.fixtures';
import { appointmentStreamId } from '../src/appointment/appointment.stream';

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
/** Sends the notifier refuses, by patient and channel: how many more to refuse (Infinity: always). */
const refusals = new Map<string, number>();
const attempts: { patientId: string; channel: string; deliveryId: string }[] = [];
const refuse = (patientId: string, channel: string, deliveryId: string): void => {
  attempts.push({ patientId, channel, deliveryId });
  const left = refusals.get(`${patientId}/${channel}`) ?? 0;
  if (left <= 0) return;
  refusals.set(`${patientId}/${channel}`, left - 1);
  // Like an SMTP rejection, the error names the address: it must not reach the logs.
  throw Object.assign(new Error(`450 <${patientId}@example.org> mailbox unavailable`), { code: 'EENVELOPE', responseCode: 450 });
};
const notifier: Notifier = {
  sendReminder: async (reminder) => {
    refuse(reminder.patientId, reminder.channels[0]!, reminder.deliveryId);
    sent.push(reminder);
  },
  sendNoShowFollowUp: async (followUp) => {
    refuse(followUp.patientId, followUp.channels[0]!, followUp.deliveryId);
    invited.push(followUp);
  },
  sendWaitlistOffer: async (offer) => {
    refuse(offer.patientId, offer.channels[0]!, offer.deliveryId);
    offers.push(offer);
  },
};
const logLines: Record<string, unknown>[] = [];
const logger = createLogger({ service: 'scheduling', level: 'info', destination: { write: (line: string) => void logLines.push(JSON.parse(line)) } });
const prefix = `bull-scheduling-${randomUUID().slice(0, 8)}`;

let t: SchedulingTestApp;
let queue: Queue;
let redis: Redis;

beforeAll(async () => {
  t = await startSchedulingApp({
    clock,
    // Waitlist offers held 3 s, so passing an unused offer on is seen within the test.
    policy: { holdMinutes: 10, waitlistOfferMinutes: 0.05, attendance: { checkInOpensMinutesBefore: 15, graceMinutes: 0 } },
    // Retries 200 ms apart (doubling) instead of the service's 15 s, so retries are seen within the test.
    jobs: {
      connection: { kind: 'redis', url: testInfrastructure.redisUrl, prefix },
      notifier,
      channels: ['email', 'sms'],
      retry: { attempts: 4, backoffMs: 200 },
      logger,
    },
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
  return { appointmentId: await bookAs(t, patient, providerId, start), patient };
}

const bookFor = (patient: { token: string }, providerId: string, start: string) => bookAs(t, patient, providerId, start);

/** A patient waits for a video visit on `day` (dermatology, in New York unless told). */
async function joinWaitlist(patient: { token: string }, criteria: { day: string; specialty?: string; patientState?: string }): Promise<string> {
  const { day, specialty = 'dermatology', patientState = 'NY' } = criteria;
  const response = await t
    .http()
    .post('/v1/waitlist')
    .set('authorization', `Bearer ${patient.token}`)
    .set('idempotency-key', randomUUID())
    .send({ specialty, modality: 'video', patientState, from: day, to: day, timeZone: 'America/New_York' })
    .expect(201);
  return response.body.entryId as string;
}

const jobExists = async (id: string) => (await queue.getJob(id)) !== undefined;
const stateOf = async (id: string) => (await queue.getJob(id))?.getState();

describe('reminders', () => {
  it('fire at 24 h before (time controlled), with join link and tips, once even when the job runs again', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(localDay(20), '09:00');
    freezeClock(new Date(Date.parse(start) - 24 * 3_600_000 - 2_000).toISOString());
    const { appointmentId, patient } = await book(providerId, start);
    const reminder = await eventually(() => sent.find((r) => r.appointmentId === appointmentId && r.channels[0] === 'sms'), { what: '24 h reminder' });
    expect(reminder).toMatchObject({ patientId: patient.patientId, minutesBefore: 1440, start, channels: ['sms'] });
    // One message per channel, each named by the job and the channel.
    const jobId = reminderJobId(appointmentId, start, 1440);
    expect(sent.filter((r) => r.appointmentId === appointmentId).map((r) => [r.channels, r.deliveryId])).toEqual([
      [['email'], deliveryId(jobId, 'email')],
      [['sms'], deliveryId(jobId, 'sms')],
    ]);
    expect(reminder.joinUrl).toContain(appointmentId);
    expect(reminder.preparationTips.join(' ')).toMatch(/connection/);
    // The 1 h reminder waits for its time.
    expect(await stateOf(reminderJobId(appointmentId, start, 60))).toBe('delayed');

    // A second run of the same reminder (a retry, or a duplicate job) sends nothing.
    const streamId = (await t.db.pool.query(`SELECT stream_id FROM "${t.db.schema}".appointments WHERE appointment_id = $1`, [appointmentId])).rows[0].stream_id;
    const again = await queue.add('reminder', { appointmentId, streamId, start, minutesBefore: 1440 }, { jobId: `duplicate_${appointmentId}` });
    await eventually(async () => ((await again.getState()) === 'completed' ? true : undefined), { what: 'duplicate job done' });
    expect(sent.filter((r) => r.appointmentId === appointmentId)).toHaveLength(2);
    const events = await t.store.readStream(streamId);
    expect(events.filter((e) => e.type === 'AppointmentReminderSent')).toHaveLength(1);
  });

  it('are not sent once the appointment has started (a job retried, or run late after an outage)', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(localDay(21), '09:00');
    freezeClock(new Date(Date.parse(start) - 30 * 24 * 3_600_000).toISOString());
    const { appointmentId } = await book(providerId, start);
    const streamId = appointmentStreamId(appointmentId);
    // The clock passes the start before the (late) job runs.
    freezeClock(new Date(Date.parse(start) + 60_000).toISOString());
    const late = await queue.add('reminder', { appointmentId, streamId, start, minutesBefore: 60 }, { jobId: `late_${appointmentId}` });
    await eventually(async () => ((await late.getState()) === 'completed' ? true : undefined), { what: 'late job done' });
    expect(sent.filter((r) => r.appointmentId === appointmentId)).toEqual([]);
    expect((await t.store.readStream(streamId)).filter((e) => e.type === 'AppointmentReminderSent')).toEqual([]);
    runClockFrom(new Date().toISOString());
  });

  it('are retried after a failed send: the failed channel is sent again, the delivered one is not', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(localDay(26), '09:00');
    const patient = await t.patient();
    refusals.set(`${patient.patientId}/sms`, 1);
    freezeClock(new Date(Date.parse(start) - 24 * 3_600_000 - 2_000).toISOString());
    const appointmentId = await bookFor(patient, providerId, start);
    const jobId = reminderJobId(appointmentId, start, 1440);
    await eventually(async () => ((await stateOf(jobId)) === 'completed' ? true : undefined), { what: 'reminder job done after a retry', timeoutMs: 20_000 });

    expect(attempts.filter((a) => a.patientId === patient.patientId).map((a) => a.channel)).toEqual(['email', 'sms', 'sms']);
    expect(sent.filter((r) => r.appointmentId === appointmentId).map((r) => r.channels[0])).toEqual(['email', 'sms']);
    expect((await queue.getJob(jobId))!.attemptsMade).toBe(2);
    const streamId = appointmentStreamId(appointmentId);
    expect((await t.store.readStream(streamId)).filter((e) => e.type === 'AppointmentReminderSent')).toHaveLength(1);
    const rows = await t.db.pool.query(
      `SELECT delivery_id, kind, channel FROM "${t.db.schema}".notification_deliveries WHERE subject_id = $1 ORDER BY channel`,
      [appointmentId],
    );
    expect(rows.rows).toEqual([
      { delivery_id: deliveryId(jobId, 'email'), kind: 'reminder', channel: 'email' },
      { delivery_id: deliveryId(jobId, 'sms'), kind: 'reminder', channel: 'sms' },
    ]);
  });

  it('that fail on every attempt are logged once, by appointment id and without the address, and shown on the appointment', async () => {
    const provider = await registerProvider(t);
    const { providerId } = provider;
    const start = localInstant(localDay(27), '09:00');
    const patient = await t.patient();
    refusals.set(`${patient.patientId}/email`, Infinity);
    freezeClock(new Date(Date.parse(start) - 24 * 3_600_000 - 2_000).toISOString());
    const appointmentId = await bookFor(patient, providerId, start);
    const jobId = reminderJobId(appointmentId, start, 1440);
    const line = await eventually(() => logLines.find((l) => l.appointmentId === appointmentId), { what: 'last failure logged', timeoutMs: 20_000 });
    expect(line).toMatchObject({ level: 'error', job: 'reminder', jobId, attempts: 4, msg: 'appointment job failed on its last attempt: not retried' });
    expect(line.reason).toBe(`reminder of appointment ${appointmentId} not delivered: email (EENVELOPE 450)`);
    expect(await stateOf(jobId)).toBe('failed');
    expect(JSON.stringify(line)).not.toContain(patient.patientId);
    expect((await queue.getJob(jobId))!.failedReason).not.toContain('@example.org');
    // The sms went out on the first attempt and was not repeated by the three retries.
    expect(attempts.filter((a) => a.patientId === patient.patientId).map((a) => a.channel)).toEqual(['email', 'sms', 'email', 'email', 'email']);
    expect(logLines.filter((l) => l.appointmentId === appointmentId)).toHaveLength(1);

    // The log of the day says the e-mail did not go out (AppointmentReminderSent was recorded before
    // sending), and the provider sees it on the appointment: someone can call the patient.
    const undelivered = await eventually(
      async () => (await t.store.readStream(appointmentStreamId(appointmentId))).find((e) => e.type === 'AppointmentNotificationUndelivered'),
      { what: 'the undelivered reminder recorded' },
    );
    expect(undelivered.data).toMatchObject({ appointmentId, kind: 'reminder', minutesBefore: 1440, channels: ['email'], reasons: ['email: EENVELOPE 450'], attempts: 4 });
    expect(undelivered.metadata).toMatchObject({ actor: { id: 'scheduling-jobs', role: 'system' }, commandId: `${jobId}:undelivered` });
    const shown = await eventually(
      async () => {
        const response = await t.http().get(`/v1/appointments/${appointmentId}`).set('authorization', `Bearer ${provider.token}`).expect(200);
        return response.body.undeliveredNotifications.length > 0 ? response.body : undefined;
      },
      { what: 'the appointment showing it' },
    );
    expect(shown.undeliveredNotifications).toEqual([{ kind: 'reminder', minutesBefore: 1440, channels: ['email'], at: expect.any(String) }]);
  });

  it('move with the appointment when it is rescheduled and vanish when it is cancelled', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(localDay(21), '09:00');
    const later = localInstant(localDay(22), '11:00');
    runClockFrom(new Date().toISOString());
    const { appointmentId, patient } = await book(providerId, start);
    // The no-show job is added last.
    await eventually(async () => ((await jobExists(noShowJobId(appointmentId, start))) ? true : undefined), { what: 'jobs scheduled' });
    expect(await jobExists(reminderJobId(appointmentId, start, 1440))).toBe(true);

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

  it('the invitation to reschedule is retried after a failed send and sent once per channel', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(localDay(28), '10:30');
    const patient = await t.patient();
    refusals.set(`${patient.patientId}/email`, 2);
    freezeClock(new Date(Date.parse(start) - 2_000).toISOString());
    const appointmentId = await bookFor(patient, providerId, start);
    runClockFrom(new Date(Date.parse(start) + 10_000).toISOString());
    const jobId = noShowJobId(appointmentId, start);
    await eventually(async () => ((await stateOf(jobId)) === 'completed' ? true : undefined), { what: 'no-show job done after retries', timeoutMs: 20_000 });
    expect(attempts.filter((a) => a.patientId === patient.patientId).map((a) => a.channel)).toEqual(['email', 'sms', 'email', 'email']);
    expect(invited.filter((i) => i.appointmentId === appointmentId).map((i) => i.deliveryId)).toEqual([deliveryId(jobId, 'sms'), deliveryId(jobId, 'email')]);
    expect((await t.store.readStream(appointmentStreamId(appointmentId))).filter((e) => e.type === 'AppointmentNoShow')).toHaveLength(1);
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
      return { ...patient, entryId: await joinWaitlist(patient, { day }) };
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
    // Once per channel.
    expect(offers.filter((o) => o.entryId === b.entryId).map((o) => o.channels[0]).sort()).toEqual(['email', 'sms']);
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

  it("passes over a patient in a state where the provider's licence will have expired by then (the booking would refuse it)", async () => {
    runClockFrom(new Date().toISOString());
    // Licensed in New York today, not any more on the day of the slot.
    const { providerId } = await registerProvider(t, { specialties: ['podiatry'], licences: [{ state: 'NY', expiresOn: localDay(2) }, { state: 'NJ' }] });
    const day = localDay(27);
    const start = localInstant(day, '11:00');
    const booker = await t.patient();
    const booked = await t
      .http()
      .post('/v1/appointments')
      .set('authorization', `Bearer ${booker.token}`)
      .set('idempotency-key', randomUUID())
      .send(bookingBody(providerId, start, { patientState: 'NJ' }))
      .expect(201);
    const join = async (patientState: string) => joinWaitlist(await t.patient(), { day, specialty: 'podiatry', patientState });
    const inNewYork = await join('NY');
    const inNewJersey = await join('NJ');
    await t.http().post(`/v1/appointments/${booked.body.appointmentId}/cancel`).set('authorization', `Bearer ${booker.token}`).send({ reasonCode: 'patient-request' }).expect(200);
    const offer = await eventually(() => offers.find((o) => o.entryId === inNewJersey), { what: 'the offer to the patient in New Jersey' });
    expect(offer.start).toBe(start);
    expect(offers.filter((o) => o.entryId === inNewYork)).toEqual([]);
  });

  it('an offer refused by the notifier is retried and delivered once per channel (it used to be lost)', async () => {
    runClockFrom(new Date().toISOString());
    const { providerId } = await registerProvider(t);
    const day = localDay(26);
    const start = localInstant(day, '10:00');
    const first = await book(providerId, start);
    const waiting = await t.patient();
    refusals.set(`${waiting.patientId}/email`, 1);
    const entryId = await joinWaitlist(waiting, { day });
    await t.http().post(`/v1/appointments/${first.appointmentId}/cancel`).set('authorization', `Bearer ${first.patient.token}`).send({ reasonCode: 'patient-request' }).expect(200);

    const delivered = await eventually(
      () => {
        const mine = offers.filter((o) => o.entryId === entryId);
        return mine.length === 2 ? mine : undefined;
      },
      { what: 'the offer on both channels after a retry' },
    );
    const jobId = waitlistOfferJobId(delivered[0]!.holdId);
    expect(attempts.filter((a) => a.patientId === waiting.patientId).map((a) => a.channel)).toEqual(['email', 'sms', 'email']);
    expect(delivered.map((o) => o.deliveryId).sort()).toEqual([deliveryId(jobId, 'email'), deliveryId(jobId, 'sms')]);
    // The delivery is recorded after the notifier answers: wait for both rows, then check there are exactly these.
    const rows = await eventually(
      async () => {
        const found = await t.db.pool.query(`SELECT kind, channel FROM "${t.db.schema}".notification_deliveries WHERE subject_id = $1 ORDER BY channel`, [entryId]);
        return found.rows.length >= 2 ? found : undefined;
      },
      { what: 'both deliveries recorded' },
    );
    expect(rows.rows).toEqual([
      { kind: 'waitlist-offer', channel: 'email' },
      { kind: 'waitlist-offer', channel: 'sms' },
    ]);
  });
});

