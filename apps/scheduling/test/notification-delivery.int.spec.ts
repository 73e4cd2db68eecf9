import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { SMTPServer } from 'smtp-server';
import { createLogger } from '@carebridge/platform';
import { eventually, testInfrastructure } from '@carebridge/testing';
import { APPOINTMENT_QUEUE, noShowJobId, reminderJobId } from '../src/jobs/appointment.job';
import { deliveryId } from '../src/jobs/notification-deliveries.adapter';
import { ChannelNotifier } from '../src/notifications/channel-notifier.adapter';
import { PREPARATION_TIPS } from '../src/notifications/notification.port';
import type { PatientContacts } from '../src/notifications/patient-contact.port';
import { PostgresPatientContacts } from '../src/notifications/postgres-patient-contacts.adapter';
import { SmtpNotifier } from '../src/notifications/smtp-notifier.adapter';
import { TwilioSmsNotifier } from '../src/notifications/twilio-sms-notifier.adapter';
import { type SchedulingTestApp, ZONE, bookAs, localDay, localInstant, registerProvider, startSchedulingApp } from './scheduling-app.fixtures';
import { appointmentStreamId } from '../src/appointment/appointment.stream';

interface Received {
  readonly from: string | undefined;
  readonly to: string[];
  readonly raw: string;
}

/** A real SMTP server (smtp-server) on a random port, keeping what it receives. */
const inbox: Received[] = [];
/** Recipients the server turns away (450, a temporary failure) this many more times. */
const refusals = new Map<string, number>();
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onRcptTo(address, _session, callback) {
    const left = refusals.get(address.address) ?? 0;
    if (left <= 0) return callback();
    refusals.set(address.address, left - 1);
    callback(Object.assign(new Error('mailbox temporarily unavailable'), { responseCode: 450 }));
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const mailFrom = session.envelope.mailFrom;
      inbox.push({ from: mailFrom === false ? undefined : mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
      callback();
    });
  },
});

/**
 * A local HTTP server answering as Twilio's Messages API does (Basic auth, form body, 201 with the
 * message resource), keeping the texts it accepts. The adapter is the real one; only the far end is
 * local (no Twilio account is reachable from here).
 */
const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'test-auth-token';
const texts: { to: string; from: string | null; body: string }[] = [];
/** Numbers the API answers 503 this many more times. */
const smsFailures = new Map<string, number>();
/** Numbers the API refuses for good (400, 21211 "not a valid phone number"), as many times as asked. */
const smsInvalid = new Set<string>();
let smsRequests = 0;
const smsApi = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const expectedAuth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
    if (req.headers.authorization !== expectedAuth) return reply(401, { code: 20003, message: 'Authenticate', status: 401 });
    if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`) return reply(404, { code: 20404, status: 404 });
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return reply(400, { code: 21000, status: 400 });
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const to = form.get('To') ?? '';
    smsRequests++;
    if (smsInvalid.has(to)) return reply(400, { code: 21211, message: `The 'To' number ${to} is not a valid phone number.`, status: 400 });
    const left = smsFailures.get(to) ?? 0;
    if (left > 0) {
      smsFailures.set(to, left - 1);
      return reply(503, { code: 20503, message: `Service unavailable for ${to}`, status: 503 });
    }
    texts.push({ to, from: form.get('From'), body: form.get('Body') ?? '' });
    reply(201, { sid: `SM${randomUUID().replaceAll('-', '')}`, status: 'queued', to });
  });
});

/** Header values and decoded text body of a raw message (quoted-printable soft breaks and escapes undone). */
function parse(raw: string): { subject: string; messageId: string | undefined; text: string } {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head!.replace(/\r?\n[ \t]+/g, ' ');
  const subject = /^Subject: (.*)$/im.exec(unfolded)![1]!;
  const messageId = /^Message-ID: (.*)$/im.exec(unfolded)?.[1];
  const text = rest
    .join('\n\n')
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\r\n/g, '\n');
  return { subject, messageId, text };
}

const clock = { frozenAt: undefined as number | undefined, now: () => new Date(clock.frozenAt ?? Date.now()) };
const prefix = `bull-scheduling-smtp-${randomUUID().slice(0, 8)}`;
let t: SchedulingTestApp;
let contacts: PatientContacts;
let queue: Queue;
let redis: Redis;

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => smsApi.listen(0, '127.0.0.1', resolve));
  const smsApiUrl = `http://127.0.0.1:${(smsApi.address() as AddressInfo).port}`;
  const logger = createLogger({ service: 'scheduling', level: 'silent' });
  // The notifier reads contacts from the app's schema, which exists once the app has started.
  const lazyContacts: PatientContacts = {
    contactOf: (id) => contacts.contactOf(id),
    save: (c, a) => contacts.save(c, a),
    erase: (id) => contacts.erase(id),
  };
  const notifier = new ChannelNotifier({
    email: new SmtpNotifier({ url: `smtp://127.0.0.1:${port}`, from: 'Carebridge <no-reply@carebridge.test>', contacts: lazyContacts, logger }),
    sms: new TwilioSmsNotifier({ apiUrl: smsApiUrl, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+12125550199', contacts: lazyContacts, logger }),
  });
  t = await startSchedulingApp({
    clock,
    // Retries 200 ms apart (doubling) instead of the service's 15 s.
    jobs: { connection: { kind: 'redis', url: testInfrastructure.redisUrl, prefix }, notifier, channels: ['email', 'sms'], retry: { attempts: 4, backoffMs: 200 }, logger },
  });
  contacts = new PostgresPatientContacts(t.db.pool, t.db.schema);
  redis = new Redis(testInfrastructure.redisUrl, { maxRetriesPerRequest: null });
  queue = new Queue(APPOINTMENT_QUEUE, { connection: redis, prefix });
});
afterAll(async () => {
  await t.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await redis.quit();
  await new Promise<void>((resolve) => smtp.close(resolve));
  await new Promise<void>((resolve) => smsApi.close(() => resolve()));
});

async function patientWithContact(contact: Record<string, unknown>) {
  const patient = await t.patient();
  await t.http().put(`/v1/patients/${patient.patientId}/contact`).set('authorization', `Bearer ${patient.token}`).send(contact).expect(200);
  return patient;
}

const completed = async (jobId: string) => ((await (await queue.getJob(jobId))?.getState()) === 'completed' ? true : undefined);
const mailTo = (address: string) => inbox.filter((m) => m.to.includes(address));

const book = (providerId: string, start: string, patient: { token: string }) => bookAs(t, patient, providerId, start);

describe('patient contact', () => {
  it('is recorded, read back and erased by the patient only; a channel needs its address', async () => {
    const patient = await t.patient();
    const other = await t.patient();
    const url = `/v1/patients/${patient.patientId}/contact`;
    const bad = await t.http().put(url).set('authorization', `Bearer ${patient.token}`).send({ channels: ['email', 'sms'], phone: '555-0100' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'phone']);
    await t.http().put(url).set('authorization', `Bearer ${patient.token}`).send({ email: 'pat@example.org', channels: ['email'] }).expect(200);
    await t.http().get(url).query({ purpose: 'patient-access' }).set('authorization', `Bearer ${other.token}`).expect(404); // another patient's: as if unknown (issue 14)
    const missingPurpose = await t.http().get(url).set('authorization', `Bearer ${patient.token}`).expect(400);
    expect(missingPurpose.body.errors[0].field).toBe('purpose');
    const read = await t.http().get(url).query({ purpose: 'patient-access' }).set('authorization', `Bearer ${patient.token}`).expect(200);
    expect(read.body).toEqual({ patientId: patient.patientId, email: 'pat@example.org', channels: ['email'] });
    await t.http().delete(url).set('authorization', `Bearer ${patient.token}`).expect(204);
    await t.http().get(url).query({ purpose: 'patient-access' }).set('authorization', `Bearer ${patient.token}`).expect(404);

    // Every change, read and erasure is accounted with actor and purpose; the address never is.
    const log = await t.store.readStream(`patient-contact-${patient.patientId}`);
    expect(log.map((e) => [e.type, e.metadata.actor.role, e.metadata.purpose])).toEqual([
      ['PatientContactChanged', 'patient', 'operations'],
      ['PatientContactRead', 'patient', 'patient-access'],
      ['PatientContactErased', 'patient', 'operations'],
      ['PatientContactRead', 'patient', 'patient-access'],
    ]);
    expect(JSON.stringify(log)).not.toContain('pat@example.org');
  });
});

describe('e-mail reminders over SMTP', () => {
  it('a reminder job sends exactly one e-mail to the patient, with the join link and preparation tips; a retried job sends none', async () => {
    const { providerId } = await registerProvider(t);
    const patient = await patientWithContact({ email: 'reminded@example.org', channels: ['email'], timeZone: ZONE });
    const date = localDay(20);
    const start = localInstant(date, '09:00');
    clock.frozenAt = Date.parse(start) - 24 * 3_600_000 - 2_000;
    const appointmentId = await book(providerId, start, patient);

    const mail = await eventually(() => inbox.find((m) => m.to.includes('reminded@example.org')), { what: 'reminder e-mail', timeoutMs: 20_000 });
    expect(mail.from).toBe('no-reply@carebridge.test');
    expect(mail.to).toEqual(['reminded@example.org']);
    const { subject, text } = parse(mail.raw);
    expect(subject).toMatch(/^Reminder: your Carebridge appointment on .* 09:00 \(America\/New_York\)$/);
    expect(text).toContain(`https://visits.carebridge.local/join/${appointmentId}`);
    for (const tip of PREPARATION_TIPS) expect(text).toContain(tip);
    expect(text).toContain('in 24 hours');
    // Minimum necessary: neither the reason nor the intake goes into the e-mail.
    expect(mail.raw).not.toMatch(/itchy|rash|spreading/i);

    // The same reminder again (a retry, or a duplicate job): nothing more is sent.
    const streamId = (await t.db.pool.query(`SELECT stream_id FROM "${t.db.schema}".appointments WHERE appointment_id = $1`, [appointmentId])).rows[0].stream_id;
    const again = await queue.add('reminder', { appointmentId, streamId, start, minutesBefore: 1440 }, { jobId: `retry_${appointmentId}` });
    await eventually(async () => ((await again.getState()) === 'completed' ? true : undefined), { what: 'retried job done' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(inbox.filter((m) => m.to.includes('reminded@example.org'))).toHaveLength(1);
    // The 1 h reminder is still waiting for its time.
    expect(await (await queue.getJob(reminderJobId(appointmentId, start, 60)))?.getState()).toBe('delayed');
  });

  it('texts a patient who accepts only sms (time in their zone, join link, opt-out) and sends no e-mail', async () => {
    const { providerId } = await registerProvider(t);
    const patient = await patientWithContact({ phone: '+12125550100', channels: ['sms'], timeZone: ZONE });
    const start = localInstant(localDay(21), '10:00');
    clock.frozenAt = Date.parse(start) - 24 * 3_600_000 - 2_000;
    const appointmentId = await book(providerId, start, patient);
    const jobId = reminderJobId(appointmentId, start, 1440);
    await eventually(() => completed(jobId), { what: 'sms-only reminder job done', timeoutMs: 20_000 });

    const sent = texts.filter((m) => m.to === '+12125550100');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.from).toBe('+12125550199');
    expect(sent[0]!.body).toMatch(/^Carebridge: your appointment is on .* 10:00 \(America\/New_York\), in 24 hours\./);
    expect(sent[0]!.body).toContain(`https://visits.carebridge.local/join/${appointmentId}`);
    expect(sent[0]!.body).toContain('Reply STOP to opt out.');
    // Minimum necessary: neither the reason nor the intake goes into the text.
    expect(sent[0]!.body).not.toMatch(/itchy|rash|spreading/i);
    expect(sent[0]!.body.length).toBeLessThanOrEqual(320);
    const events = await t.store.readStream(appointmentStreamId(appointmentId));
    expect(events.filter((e) => e.type === 'AppointmentReminderSent')).toHaveLength(1);
    expect(inbox.filter((m) => m.raw.includes(appointmentId))).toEqual([]);
  });

  it('a patient who accepts both gets one e-mail and one text; one who accepts only e-mail gets no text', async () => {
    const { providerId } = await registerProvider(t);
    const both = await patientWithContact({ email: 'both@example.org', phone: '+12125550101', channels: ['email', 'sms'], timeZone: ZONE });
    const start = localInstant(localDay(21), '11:00');
    clock.frozenAt = Date.parse(start) - 24 * 3_600_000 - 2_000;
    const jobId = reminderJobId(await book(providerId, start, both), start, 1440);
    await eventually(() => completed(jobId), { what: 'reminder job done', timeoutMs: 20_000 });
    expect(mailTo('both@example.org')).toHaveLength(1);
    expect(texts.filter((m) => m.to === '+12125550101')).toHaveLength(1);

    // A number on file is not consent to texts: only the channels the patient accepts are used.
    const emailOnly = await patientWithContact({ email: 'emailonly@example.org', phone: '+12125550102', channels: ['email'], timeZone: ZONE });
    const later = localInstant(localDay(21), '11:30');
    clock.frozenAt = Date.parse(later) - 24 * 3_600_000 - 2_000;
    const second = reminderJobId(await book(providerId, later, emailOnly), later, 1440);
    await eventually(() => completed(second), { what: 'reminder job done', timeoutMs: 20_000 });
    expect(mailTo('emailonly@example.org')).toHaveLength(1);
    expect(texts.filter((m) => m.to === '+12125550102')).toEqual([]);
  });
});

describe('texts when the SMS API fails', () => {
  it('a 503 is retried by the job and exactly one text is delivered; the failure reason kept in Redis names no number', async () => {
    const { providerId } = await registerProvider(t);
    const patient = await patientWithContact({ phone: '+12125550111', channels: ['sms'], timeZone: ZONE });
    smsFailures.set('+12125550111', 1);
    const start = localInstant(localDay(22), '10:00');
    clock.frozenAt = Date.parse(start) - 24 * 3_600_000 - 2_000;
    const appointmentId = await book(providerId, start, patient);
    const jobId = reminderJobId(appointmentId, start, 1440);
    await eventually(() => completed(jobId), { what: 'reminder job done after a retry', timeoutMs: 20_000 });
    expect(smsFailures.get('+12125550111')).toBe(0);
    const job = (await queue.getJob(jobId))!;
    expect(job.attemptsMade).toBe(2);
    expect(texts.filter((m) => m.to === '+12125550111')).toHaveLength(1);
    // The failed attempt as BullMQ keeps it: the status and Twilio's code, not the API's message with the number.
    expect((job.stacktrace ?? []).join('\n')).toContain('sms (20503 503)');
    expect((job.stacktrace ?? []).join('\n')).not.toContain('2125550111');
  });
});

describe('texts the SMS API refuses for good', () => {
  it('are not retried: the reminder is recorded undelivered after one attempt, without the number', async () => {
    const provider = await registerProvider(t);
    const patient = await patientWithContact({ phone: '+12125550123', channels: ['sms'], timeZone: ZONE });
    smsInvalid.add('+12125550123');
    const start = localInstant(localDay(22), '11:00');
    clock.frozenAt = Date.parse(start) - 24 * 3_600_000 - 2_000;
    const appointmentId = await book(provider.providerId, start, patient);
    const jobId = reminderJobId(appointmentId, start, 1440);
    const undelivered = await eventually(
      async () => (await t.store.readStream(appointmentStreamId(appointmentId))).find((e) => e.type === 'AppointmentNotificationUndelivered'),
      { what: 'the undelivered reminder', timeoutMs: 20_000 },
    );
    expect(undelivered.data).toMatchObject({ kind: 'reminder', channels: ['sms'], reasons: ['sms: 21211 400'], attempts: 1 });
    expect(JSON.stringify(undelivered)).not.toContain('2125550123');
    const job = (await queue.getJob(jobId))!;
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).not.toContain('2125550123');
    // No retry reaches the API again.
    const requests = smsRequests;
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(smsRequests).toBe(requests);
  });
});

describe('e-mail reminders when the SMTP server fails', () => {
  it('a refused send is retried by the job and exactly one e-mail is delivered, with a Message-ID named by the delivery', async () => {
    const { providerId } = await registerProvider(t);
    const patient = await patientWithContact({ email: 'flaky@example.org', channels: ['email'], timeZone: ZONE });
    refusals.set('flaky@example.org', 1);
    const start = localInstant(localDay(22), '09:00');
    clock.frozenAt = Date.parse(start) - 24 * 3_600_000 - 2_000;
    const appointmentId = await book(providerId, start, patient);
    const jobId = reminderJobId(appointmentId, start, 1440);

    await eventually(() => completed(jobId), { what: 'reminder job done after a retry', timeoutMs: 20_000 });
    expect(refusals.get('flaky@example.org')).toBe(0);
    const job = (await queue.getJob(jobId))!;
    expect(job.attemptsMade).toBe(2);
    expect(mailTo('flaky@example.org')).toHaveLength(1);
    expect(parse(mailTo('flaky@example.org')[0]!.raw).messageId).toBe(`<${deliveryId(jobId, 'email')}@carebridge.test>`);
    // Recorded once in the log, whatever the number of attempts.
    const events = await t.store.readStream(appointmentStreamId(appointmentId));
    expect(events.filter((e) => e.type === 'AppointmentReminderSent')).toHaveLength(1);

    // The same job run again after its send was recorded (a retry after a later failure): nothing more.
    await job.retry('completed');
    await eventually(() => completed(jobId), { what: 'job run again' });
    expect((await queue.getJob(jobId))!.attemptsMade).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailTo('flaky@example.org')).toHaveLength(1);
  });

  it('a crash between the send and its record repeats the e-mail once, with the same Message-ID (the receiver can drop it)', async () => {
    const { providerId } = await registerProvider(t);
    const patient = await patientWithContact({ email: 'twice@example.org', channels: ['email'], timeZone: ZONE });
    const start = localInstant(localDay(23), '09:00');
    clock.frozenAt = Date.parse(start) - 24 * 3_600_000 - 2_000;
    const appointmentId = await book(providerId, start, patient);
    const jobId = reminderJobId(appointmentId, start, 1440);
    await eventually(() => completed(jobId), { what: 'reminder job done', timeoutMs: 20_000 });
    expect(mailTo('twice@example.org')).toHaveLength(1);

    // As if the process had died after the SMTP server accepted the message, before the row was written.
    await t.db.pool.query(`DELETE FROM "${t.db.schema}".notification_deliveries WHERE delivery_id = $1`, [deliveryId(jobId, 'email')]);
    await (await queue.getJob(jobId))!.retry('completed');
    await eventually(() => (mailTo('twice@example.org').length === 2 ? true : undefined), { what: 'the repeated e-mail' });
    const [first, second] = mailTo('twice@example.org').map((m) => parse(m.raw).messageId);
    expect(first).toBe(`<${deliveryId(jobId, 'email')}@carebridge.test>`);
    expect(second).toBe(first);
  });

  it('a no-show invitation refused once is retried and delivered once', async () => {
    const { providerId } = await registerProvider(t);
    const patient = await patientWithContact({ email: 'absent@example.org', channels: ['email'], timeZone: ZONE });
    refusals.set('absent@example.org', 1);
    const start = localInstant(localDay(24), '09:00');
    clock.frozenAt = Date.parse(start) - 2_000;
    const appointmentId = await book(providerId, start, patient);
    // The grace period is over in the service's time; the delayed job is run now instead of waiting for it.
    // The job is scheduled by a reactor after the booking answers: wait for it before moving the
    // clock, or it is scheduled from the moved clock with no delay (and is no longer promotable).
    const jobId = noShowJobId(appointmentId, start);
    const job = (await eventually(() => queue.getJob(jobId), { what: 'no-show job scheduled' }))!;
    expect(await job.getState()).toBe('delayed');
    clock.frozenAt = Date.parse(start) + 60 * 60_000;
    await job.promote();
    await eventually(() => completed(jobId), { what: 'no-show job done after a retry', timeoutMs: 20_000 });
    expect(refusals.get('absent@example.org')).toBe(0);
    expect((await queue.getJob(jobId))!.attemptsMade).toBe(2);
    expect(mailTo('absent@example.org')).toHaveLength(1);
    expect(parse(mailTo('absent@example.org')[0]!.raw).text).toContain(`${appointmentId}/reschedule`);
    expect(parse(mailTo('absent@example.org')[0]!.raw).messageId).toBe(`<${deliveryId(jobId, 'email')}@carebridge.test>`);
  });
});
