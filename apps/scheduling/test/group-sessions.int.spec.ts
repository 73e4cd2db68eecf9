import { randomUUID } from 'node:crypto';
import { type SchedulingTestApp, ZONE, bookingBody, localDay, localInstant, registerProvider, startSchedulingApp } from './scheduling-app.fixtures';

let t: SchedulingTestApp;
beforeAll(async () => {
  t = await startSchedulingApp();
});
afterAll(async () => {
  await t.close();
});

const support = { specialties: ['grief-support'] };

function search(token: string, date: string, query: Record<string, unknown> = {}) {
  return t
    .http()
    .get('/v1/group-sessions')
    .query({ specialty: 'grief-support', modality: 'video', patientState: 'NY', from: date, to: date, timeZone: ZONE, ...query })
    .set('authorization', `Bearer ${token}`);
}

async function bookSeat(providerId: string, start: string, sessionId: string) {
  const patient = await t.patient();
  const response = await t
    .http()
    .post('/v1/appointments')
    .set('authorization', `Bearer ${patient.token}`)
    .set('idempotency-key', randomUUID())
    .send(bookingBody(providerId, start, { groupSessionId: sessionId }));
  return { response, patient };
}

describe('group sessions with free seats', () => {
  it('lists sessions with their free seats; a full session drops out until a seat is cancelled', async () => {
    const provider = await registerProvider(t, support);
    const date = localDay(6);
    const start = localInstant(date, '10:00');
    const scheduled = await t
      .http()
      .post(`/v1/providers/${provider.providerId}/group-sessions`)
      .set('authorization', `Bearer ${provider.token}`)
      .set('idempotency-key', randomUUID())
      .send({ slotStart: start, capacity: 2 })
      .expect(201);
    const sessionId: string = scheduled.body.sessionId;
    const viewer = await t.patient();

    // /v1/slots shows the session's time as busy; the session search shows the seats.
    const slots = await t
      .http()
      .get('/v1/slots')
      .query({ specialty: 'grief-support', modality: 'video', patientState: 'NY', from: date, to: date, timeZone: ZONE, pageSize: 100 })
      .set('authorization', `Bearer ${viewer.token}`)
      .expect(200);
    expect(slots.body.slots.filter((s: { providerId: string; startUtc: string }) => s.providerId === provider.providerId && s.startUtc === start)).toEqual([]);
    let found = await search(viewer.token, date).expect(200);
    expect(found.body.groupSessions).toEqual([
      { sessionId, providerId: provider.providerId, start: expect.stringMatching(new RegExp(`^${date}T10:00:00-0[45]:00$`)), end: expect.any(String), startUtc: start, modality: 'video', capacity: 2, freeSeats: 2 },
    ]);

    const first = await bookSeat(provider.providerId, start, sessionId);
    expect(first.response.status).toBe(201);
    found = await search(viewer.token, date).expect(200);
    expect(found.body.groupSessions[0]).toMatchObject({ sessionId, freeSeats: 1 });

    expect((await bookSeat(provider.providerId, start, sessionId)).response.status).toBe(201);
    found = await search(viewer.token, date).expect(200);
    expect(found.body.groupSessions).toEqual([]);
    const full = await bookSeat(provider.providerId, start, sessionId);
    expect(full.response.status).toBe(409);
    expect(full.response.body.code).toBe('GROUP_SESSION.FULL');

    await t
      .http()
      .post(`/v1/appointments/${first.response.body.appointmentId}/cancel`)
      .set('authorization', `Bearer ${first.patient.token}`)
      .send({ reasonCode: 'patient-request' })
      .expect(200);
    found = await search(viewer.token, date).expect(200);
    expect(found.body.groupSessions).toEqual([expect.objectContaining({ sessionId, freeSeats: 1 })]);
  });

  it('shows only sessions of providers licensed where the patient is, offering the modality', async () => {
    const provider = await registerProvider(t, support);
    const date = localDay(7);
    await t
      .http()
      .post(`/v1/providers/${provider.providerId}/group-sessions`)
      .set('authorization', `Bearer ${provider.token}`)
      .set('idempotency-key', randomUUID())
      .send({ slotStart: localInstant(date, '11:00'), capacity: 5 })
      .expect(201);
    const viewer = await t.patient();
    const mine = (body: { groupSessions: { providerId: string }[] }) => body.groupSessions.filter((s) => s.providerId === provider.providerId);
    expect(mine((await search(viewer.token, date)).body)).toHaveLength(1);
    expect(mine((await search(viewer.token, date, { patientState: 'CA' })).body)).toHaveLength(0);
    expect(mine((await search(viewer.token, date, { modality: 'phone' })).body)).toHaveLength(0);
  });

  it('answers 400 naming the fields of a malformed search', async () => {
    const viewer = await t.patient();
    const response = await t
      .http()
      .get('/v1/group-sessions')
      .query({ specialty: 'grief-support', modality: 'video', from: '2026-13-01', to: '2026-01-01', timeZone: ZONE })
      .set('authorization', `Bearer ${viewer.token}`)
      .expect(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['from', 'patientState']));
  });
});
