import { randomUUID } from 'node:crypto';
import {
  type SchedulingTestApp,
  bookingBody,
  postBooking,
  redirectionsOf,
  localDay,
  localInstant,
  registerProvider,
  startSchedulingApp,
} from './scheduling-app.fixtures';
import { appointmentStreamId } from '../src/appointment/appointment.stream';

let t: SchedulingTestApp;
beforeAll(async () => {
  t = await startSchedulingApp();
});
afterAll(async () => {
  await t.close();
});

const day = localDay(7);

async function book(providerId: string, slotStart: string, overrides: Record<string, unknown> = {}, patient?: { patientId: string; token: string }) {
  return postBooking(t, bookingBody(providerId, slotStart, overrides), patient);
}

describe('OpenAPI', () => {
  it('serves the document without a token', async () => {
    const response = await t.http().get('/v1/openapi.json').expect(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(response.body.paths['/v1/appointments'].post.requestBody).toBeDefined();
  });
});

describe('providers', () => {
  it('registers a provider and reads back profile and availability', async () => {
    const { providerId, token } = await registerProvider(t);
    const response = await t.http().get(`/v1/providers/${providerId}`).set('authorization', `Bearer ${token}`).expect(200);
    expect(response.body).toMatchObject({ providerId, licensedStates: ['NY', 'NJ'], availability: { slotMinutes: 30 } });
  });

  it('lets a provider change only their own availability', async () => {
    const { providerId } = await registerProvider(t);
    const other = await t.provider();
    const response = await t
      .http()
      .put(`/v1/providers/${providerId}/availability`)
      .set('authorization', `Bearer ${other.token}`)
      .send({ weekly: [], slotMinutes: 30, bufferMinutes: 0 })
      .expect(403);
    expect(response.body.code).toBe('ACCESS.NOT_OWNER');
  });

  it('answers 400 naming the fields of a malformed registration', async () => {
    const ops = await t.ops();
    const response = await t
      .http()
      .post('/v1/providers')
      .set('authorization', `Bearer ${ops}`)
      .set('idempotency-key', randomUUID())
      .send({ providerId: 'nope', specialties: [], licensedStates: ['New York', 'ZZ', 'PR'], timeZone: 'Mars/Olympus', modalities: ['video'] })
      .expect(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    // 'ZZ' has the shape of a state code but is none; Puerto Rico is a US jurisdiction.
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['licensedStates[0]', 'licensedStates[1]', 'providerId', 'specialties', 'timeZone']);
  });
});

describe('booking', () => {
  it('books a free slot: 201, then the slot is no longer offered', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(day, '09:00');
    const { response, patient } = await book(providerId, start);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ booked: true, providerId, patientId: patient.patientId, start, status: 'booked' });
    const search = await t
      .http()
      .get('/v1/slots')
      .query({ specialty: 'dermatology', modality: 'video', patientState: 'NY', from: day, to: day, timeZone: 'America/New_York' })
      .set('authorization', `Bearer ${patient.token}`)
      .expect(200);
    const mine = search.body.slots.filter((s: { providerId: string }) => s.providerId === providerId);
    expect(mine.map((s: { startUtc: string }) => s.startUtc)).not.toContain(start);
    expect(mine).toHaveLength(5);
  });

  it('a retried request with the same Idempotency-Key books once and answers the same appointment', async () => {
    const { providerId } = await registerProvider(t);
    const patient = await t.patient();
    const send = () =>
      t
        .http()
        .post('/v1/appointments')
        .set('authorization', `Bearer ${patient.token}`)
        .set('idempotency-key', 'retry-key-0001')
        .send(bookingBody(providerId, localInstant(day, '10:00')));
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.appointmentId).toBe(first.body.appointmentId);
    const list = await t.http().get('/v1/appointments').set('authorization', `Bearer ${patient.token}`).expect(200);
    expect(list.body.appointments).toHaveLength(1);
  });

  it("an Idempotency-Key is the caller's: two patients using the same key on one provider-day each get their own booking", async () => {
    const { providerId } = await registerProvider(t);
    const key = 'booking-0001';
    const answers = [];
    for (const time of ['09:00', '10:00']) {
      const patient = await t.patient();
      const response = await t
        .http()
        .post('/v1/appointments')
        .set('authorization', `Bearer ${patient.token}`)
        .set('idempotency-key', key)
        .send(bookingBody(providerId, localInstant(day, time)))
        .expect(201);
      answers.push({ patientId: patient.patientId, body: response.body });
    }
    expect(answers[1]!.body.appointmentId).not.toBe(answers[0]!.body.appointmentId);
    for (const { patientId, body } of answers) expect(body.patientId).toBe(patientId);
  });

  it('of 50 concurrent bookings of one slot exactly one wins; the rest get 409', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(day, '11:00');
    const patients = await Promise.all(Array.from({ length: 50 }, () => t.patient()));
    const responses = await Promise.all(patients.map((patient) => book(providerId, start, {}, patient)));
    const statuses = responses.map((r) => r.response.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(new Set(responses.filter((r) => r.response.status === 409).map((r) => r.response.body.code))).toEqual(new Set(['APPOINTMENT.SLOT_TAKEN']));
    const ops = await t.ops();
    const list = await t.http().get('/v1/appointments').query({ providerId }).set('authorization', `Bearer ${ops}`).expect(200);
    expect(list.body.appointments).toHaveLength(1);
  });

  it('requires an Idempotency-Key', async () => {
    const { providerId } = await registerProvider(t);
    const patient = await t.patient();
    const response = await t
      .http()
      .post('/v1/appointments')
      .set('authorization', `Bearer ${patient.token}`)
      .send(bookingBody(providerId, localInstant(day, '09:30')))
      .expect(400);
    expect(response.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'Required header' }]);
  });

  it('answers 400 problem+json naming each bad field', async () => {
    const { providerId } = await registerProvider(t);
    const { response } = await book(providerId, 'tomorrow', { modality: 'fax', patientState: 'ZZ', intake: { symptoms: ['made-up'] } });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.code).toBe('REQUEST.INVALID');
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['intake.symptoms[0]', 'modality', 'patientState', 'slotStart']);
  });

  it('refuses without a token (401) and a patient booking for someone else (403)', async () => {
    const { providerId } = await registerProvider(t);
    await t.http().post('/v1/appointments').send({}).expect(401);
    const { response } = await book(providerId, localInstant(day, '09:30'), { patientId: randomUUID() });
    expect(response.status).toBe(403);
  });

  it('unknown provider -> 404, slot outside availability or in the past -> 422', async () => {
    const { providerId } = await registerProvider(t);
    expect((await book(randomUUID(), localInstant(day, '09:00'))).response.body.code).toBe('PROVIDER.NOT_FOUND');
    const outside = await book(providerId, localInstant(day, '13:00'));
    expect([outside.response.status, outside.response.body.code]).toEqual([422, 'APPOINTMENT.OUTSIDE_AVAILABILITY']);
    const past = await book(providerId, localInstant(localDay(-2), '09:00'));
    expect([past.response.status, past.response.body.code]).toEqual([422, 'APPOINTMENT.SLOT_IN_PAST']);
  });

  it('refuses a video visit where the provider is not licensed (422)', async () => {
    const { providerId } = await registerProvider(t);
    const { response } = await book(providerId, localInstant(day, '09:00'), { patientState: 'CA' });
    expect([response.status, response.body.code]).toEqual([422, 'APPOINTMENT.PROVIDER_NOT_LICENSED_IN_STATE']);
  });
});

describe('triage at intake (the dispositions: triage.int.spec.ts)', () => {
  it('red flags book nothing, answer with emergency guidance and record the redirection', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(day, '09:00');
    const { response, patient } = await book(providerId, start, { intake: { symptoms: ['chest-pain', 'cough'] } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ booked: false, triage: { disposition: 'emergency', redFlags: ['chest-pain'] } });
    expect(response.body.triage.guidance).toMatch(/911/);
    // Recorded on the would-be appointment's stream; no time taken on the provider's day.
    const events = await redirectionsOf(t, patient.patientId);
    expect(events.map((e) => e.type)).toEqual(['EmergencyRedirected']);
    expect(events[0]!.data).toMatchObject({ patientId: patient.patientId, redFlags: ['chest-pain'] });
    expect(await t.store.readStream(`provider-day-${providerId}-${day}`)).toEqual([]);
    // The slot stays free.
    expect((await book(providerId, start)).response.status).toBe(201);
  });
});

describe('intake', () => {
  it('the patient and the provider read it with a purpose; each read is recorded with actor and purpose', async () => {
    const { providerId, token } = await registerProvider(t);
    const { response, patient } = await book(providerId, localInstant(day, '10:30'));
    const id = response.body.appointmentId;
    const read = await t.http().get(`/v1/appointments/${id}/intake`).query({ purpose: 'treatment' }).set('authorization', `Bearer ${token}`).expect(200);
    expect(read.body).toEqual({
      appointmentId: id,
      reason: 'itchy rash on forearm',
      intake: { symptoms: ['skin-rash'], description: 'Two weeks, spreading', questions: ['Is it contagious?'] },
      attachments: [],
      triage: { disposition: 'virtual-ok', rules: [], matches: [], rulesVersion: expect.any(String) },
    });
    await t.http().get(`/v1/appointments/${id}/intake`).query({ purpose: 'patient-access' }).set('authorization', `Bearer ${patient.token}`).expect(200);
    const stranger = await t.provider();
    // A provider with no appointment of the patient: the same 404 as an unknown appointment (issue 14).
    await t.http().get(`/v1/appointments/${id}/intake`).query({ purpose: 'treatment' }).set('authorization', `Bearer ${stranger.token}`).expect(404);
    const missingPurpose = await t.http().get(`/v1/appointments/${id}/intake`).set('authorization', `Bearer ${token}`).expect(400);
    expect(missingPurpose.body.errors[0].field).toBe('purpose');
    const reads = (await t.store.readStream(appointmentStreamId(id))).filter((e) => e.type === 'IntakeRead');
    expect(reads.map((e) => [e.metadata.actor.role, (e.data as { purpose: string }).purpose, e.metadata.purpose])).toEqual([
      ['provider', 'treatment', 'treatment'],
      ['patient', 'patient-access', 'patient-access'],
    ]);
  });
});

describe('group sessions', () => {
  it('a provider runs a session with a capacity; seats are booked until full, a cancelled seat frees room', async () => {
    const { providerId, token } = await registerProvider(t);
    const start = localInstant(day, '11:30');
    const created = await t
      .http()
      .post(`/v1/providers/${providerId}/group-sessions`)
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', randomUUID())
      .send({ slotStart: start, capacity: 2 })
      .expect(201);
    const groupSessionId = created.body.sessionId;
    const a = await book(providerId, start, { groupSessionId });
    const b = await book(providerId, start, { groupSessionId });
    const c = await book(providerId, start, { groupSessionId });
    expect([a.response.status, b.response.status, c.response.status]).toEqual([201, 201, 409]);
    expect(c.response.body.code).toBe('GROUP_SESSION.FULL');
    // The session holds the provider's time: a one-to-one booking is refused.
    expect((await book(providerId, start)).response.status).toBe(409);
    await t.http().post(`/v1/appointments/${a.response.body.appointmentId}/cancel`).set('authorization', `Bearer ${a.patient.token}`).send({ reasonCode: 'patient-request' }).expect(200);
    expect((await book(providerId, start, { groupSessionId }, c.patient)).response.status).toBe(201);
  });
});

describe('scheduler override', () => {
  it('a scheduler may double-book deliberately, with a reason recorded in the audit trail', async () => {
    const { providerId, token } = await registerProvider(t);
    const start = localInstant(day, '09:00');
    const first = await book(providerId, start);
    const ops = await t.ops();
    const patient = await t.patient();
    const response = await t
      .http()
      .post('/v1/appointments')
      .set('authorization', `Bearer ${ops}`)
      .set('idempotency-key', randomUUID())
      .send(bookingBody(providerId, start, { patientId: patient.patientId, override: { reasonCode: 'urgent-add-on' } }))
      .expect(201);
    const schedule = await t.http().get('/v1/appointments').set('authorization', `Bearer ${token}`).expect(200);
    expect(schedule.body.appointments.map((a: { start: string }) => a.start)).toEqual([start, start]);
    const events = await t.store.readStream(`provider-day-${providerId}-${day}`);
    const authorization = events.find((e) => e.type === 'DoubleBookingAuthorized')!;
    expect(authorization.data).toMatchObject({ appointmentId: response.body.appointmentId, overlaps: [first.response.body.appointmentId], reasonCode: 'urgent-add-on' });
    expect(authorization.metadata.actor).toEqual({ id: 'scheduler-1', role: 'ops' });
  });

  it('a patient asking for an override over a taken slot is refused (403)', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(day, '09:00');
    await book(providerId, start);
    const { response } = await book(providerId, start, { override: { reasonCode: 'urgent-add-on' } });
    expect([response.status, response.body.code]).toEqual([403, 'APPOINTMENT.OVERRIDE_NOT_ALLOWED']);
  });
});

describe('hold then book', () => {
  it('a held slot refuses other patients and books for the holder', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(day, '10:30');
    const holder = await t.patient();
    const hold = await t
      .http()
      .post('/v1/slot-holds')
      .set('authorization', `Bearer ${holder.token}`)
      .set('idempotency-key', randomUUID())
      .send({ providerId, slotStart: start })
      .expect(201);
    expect(Date.parse(hold.body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect((await book(providerId, start)).response.status).toBe(409);
    const mine = await book(providerId, start, { holdId: hold.body.holdId }, holder);
    expect(mine.response.status).toBe(201);
  });
});

describe('cancel and reschedule', () => {
  it('cancelling frees the slot for another patient at once', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(day, '09:00');
    const first = await book(providerId, start);
    const cancelled = await t
      .http()
      .post(`/v1/appointments/${first.response.body.appointmentId}/cancel`)
      .set('authorization', `Bearer ${first.patient.token}`)
      .send({ reasonCode: 'patient-request' })
      .expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await book(providerId, start)).response.status).toBe(201);
  });

  it('another patient may neither read nor cancel the appointment as if it did not exist: the same 404 as an unknown id (issue 14)', async () => {
    const { providerId } = await registerProvider(t);
    const { response } = await book(providerId, localInstant(day, '09:00'));
    const stranger = await t.patient();
    await t.http().get(`/v1/appointments/${response.body.appointmentId}`).set('authorization', `Bearer ${stranger.token}`).expect(404);
    await t
      .http()
      .post(`/v1/appointments/${response.body.appointmentId}/cancel`)
      .set('authorization', `Bearer ${stranger.token}`)
      .send({ reasonCode: 'patient-request' })
      .expect(404);
    await t.http().get(`/v1/appointments/${randomUUID()}`).set('authorization', `Bearer ${stranger.token}`).expect(404);
  });

  it('reschedules within the day and to another day; each old slot is bookable again', async () => {
    const { providerId, token } = await registerProvider(t);
    const { response, patient } = await book(providerId, localInstant(day, '09:00'));
    const id = response.body.appointmentId;
    const sameDay = await t
      .http()
      .post(`/v1/appointments/${id}/reschedule`)
      .set('authorization', `Bearer ${patient.token}`)
      .send({ slotStart: localInstant(day, '10:00'), reasonCode: 'patient-request' })
      .expect(200);
    expect(sameDay.body.start).toBe(localInstant(day, '10:00'));
    expect((await book(providerId, localInstant(day, '09:00'))).response.status).toBe(201);

    const nextDay = localDay(8);
    const moved = await t
      .http()
      .post(`/v1/appointments/${id}/reschedule`)
      .set('authorization', `Bearer ${token}`)
      .send({ slotStart: localInstant(nextDay, '11:30'), reasonCode: 'provider-request' })
      .expect(200);
    expect(moved.body).toMatchObject({ appointmentId: id, start: localInstant(nextDay, '11:30'), status: 'booked' });
    expect((await book(providerId, localInstant(day, '10:00'))).response.status).toBe(201);
    expect((await book(providerId, localInstant(nextDay, '11:30'))).response.status).toBe(409);
    // Later changes reach the appointment on its new day.
    await t.http().post(`/v1/appointments/${id}/cancel`).set('authorization', `Bearer ${patient.token}`).send({ reasonCode: 'patient-request' }).expect(200);
    expect((await book(providerId, localInstant(nextDay, '11:30'))).response.status).toBe(201);
  });

  it('refuses to reschedule onto a taken slot (409) and leaves the appointment where it was', async () => {
    const { providerId } = await registerProvider(t);
    const a = await book(providerId, localInstant(day, '09:00'));
    await book(providerId, localInstant(day, '09:30'));
    const response = await t
      .http()
      .post(`/v1/appointments/${a.response.body.appointmentId}/reschedule`)
      .set('authorization', `Bearer ${a.patient.token}`)
      .send({ slotStart: localInstant(day, '09:30'), reasonCode: 'patient-request' })
      .expect(409);
    expect(response.body.code).toBe('APPOINTMENT.SLOT_TAKEN');
    const after = await t.http().get(`/v1/appointments/${a.response.body.appointmentId}`).set('authorization', `Bearer ${a.patient.token}`).expect(200);
    expect(after.body).toMatchObject({ start: localInstant(day, '09:00'), status: 'booked' });
  });
});
