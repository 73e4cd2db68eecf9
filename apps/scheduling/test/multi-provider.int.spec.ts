import { randomUUID } from 'node:crypto';
import {
  type SchedulingTestApp,
  ZONE,
  bookingBody,
  postBooking,
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

async function book(body: Record<string, unknown>, patient?: { patientId: string; token: string }) {
  return postBooking(t, body, patient);
}


/** Free slots of `providers` only (other tests register oncologists too). */
const freeSlots = async (token: string, date: string, providers: readonly string[]) => {
  const response = await t
    .http()
    .get('/v1/slots')
    .query({ specialty: 'oncology', modality: 'video', patientState: 'NY', from: date, to: date, timeZone: ZONE, pageSize: 100 })
    .set('authorization', `Bearer ${token}`)
    .expect(200);
  return (response.body.slots as { providerId: string; startUtc: string }[]).filter((s) => providers.includes(s.providerId));
};

describe('billing facts on the booking body', () => {
  it('answers 400 naming each malformed fact', async () => {
    const { providerId } = await registerProvider(t);
    const { response } = await book(
      bookingBody(providerId, localInstant(localDay(8), '09:00'), { serviceCodes: ['9921'], visitPurpose: 'dental', patientSetting: 'car' }),
    );
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['patientSetting', 'serviceCodes[0]', 'visitPurpose']);
  });

  it('refuses an empty list of service codes', async () => {
    const { providerId } = await registerProvider(t);
    const { response } = await book(bookingBody(providerId, localInstant(localDay(8), '09:30'), { serviceCodes: [] }));
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('serviceCodes');
  });

  it('records the facts and the provider licences (expiry where known) on the booking', async () => {
    const { providerId } = await registerProvider(t, { licences: [{ state: 'NY', expiresOn: '2099-12-31' }] });
    const { response } = await book(
      bookingBody(providerId, localInstant(localDay(8), '10:00'), { serviceCodes: ['99213', 'G2012'], visitPurpose: 'mental-health', patientSetting: 'home' }),
    );
    expect(response.status).toBe(201);
    const events = await t.store.readStream(appointmentStreamId(response.body.appointmentId));
    expect(events.find((e) => e.type === 'AppointmentBooked')!.data).toMatchObject({
      serviceCodes: ['99213', 'G2012'],
      visitPurpose: 'mental-health',
      patientSetting: 'home',
      providerLicences: [{ state: 'NY', expiresOn: '2099-12-31' }, { state: 'NJ' }],
    });
  });
});

describe('provider licences', () => {
  it('refuses an expiry for a state the provider is not licensed in', async () => {
    const provider = await t.provider();
    const response = await t
      .http()
      .post('/v1/providers')
      .set('authorization', `Bearer ${provider.token}`)
      .set('idempotency-key', randomUUID())
      .send({
        providerId: provider.providerId,
        specialties: ['dermatology'],
        licensedStates: ['NY'],
        timeZone: ZONE,
        modalities: ['video'],
        licences: [{ state: 'CA', expiresOn: '2030-01-01' }],
      })
      .expect(422);
    expect(response.body.code).toBe('PROVIDER.INVALID_LICENCES');
  });

  it('an expired licence does not license a telehealth visit; a renewal does', async () => {
    const { providerId, token } = await registerProvider(t, { licences: [{ state: 'NY', expiresOn: '2020-01-31' }] });
    const start = localInstant(localDay(9), '09:00');
    const { response: refused } = await book(bookingBody(providerId, start));
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('APPOINTMENT.PROVIDER_NOT_LICENSED_IN_STATE');

    const renewed = await t
      .http()
      .put(`/v1/providers/${providerId}/licences`)
      .set('authorization', `Bearer ${token}`)
      .send({ licences: [{ state: 'NY', expiresOn: '2099-01-31' }, { state: 'NJ' }] })
      .expect(200);
    expect(renewed.body).toMatchObject({ licensedStates: ['NY', 'NJ'], licences: [{ state: 'NY', expiresOn: '2099-01-31' }, { state: 'NJ' }] });
    const { response } = await book(bookingBody(providerId, start));
    expect(response.status).toBe(201);
  });
});

describe('slot search and licence expiry', () => {
  it('offers no telehealth slot where the licence has expired, and still offers them where it is valid', async () => {
    const { providerId } = await registerProvider(t, { specialties: ['podiatry'], licences: [{ state: 'NY', expiresOn: '2020-01-31' }] });
    const viewer = await t.patient();
    const date = localDay(9);
    const mine = async (patientState: string) => {
      const response = await t
        .http()
        .get('/v1/slots')
        .query({ specialty: 'podiatry', modality: 'video', patientState, from: date, to: date, timeZone: ZONE, pageSize: 100 })
        .set('authorization', `Bearer ${viewer.token}`)
        .expect(200);
      return response.body.slots.filter((s: { providerId: string }) => s.providerId === providerId);
    };
    expect(await mine('NY')).toEqual([]);
    expect((await mine('NJ')).length).toBe(6);
  });
});

describe('multi-provider appointments', () => {
  const oncology = { specialties: ['oncology'] };

  it('takes both providers\' time, and cancel frees both', async () => {
    const lead = await registerProvider(t, oncology);
    const specialist = await registerProvider(t, oncology);
    const both = [lead.providerId, specialist.providerId];
    const date = localDay(10);
    const start = localInstant(date, '09:00');
    const { response, patient } = await book(bookingBody(lead.providerId, start, { additionalProviderIds: [specialist.providerId], serviceCodes: ['99215'] }));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ providerId: lead.providerId, additionalProviderIds: [specialist.providerId], start });
    const appointmentId: string = response.body.appointmentId;

    // Neither provider offers the time any more.
    const taken = (await freeSlots(patient.token, date, both)).filter((s) => s.startUtc === start);
    expect(taken).toEqual([]);

    // The specialist sees it in their schedule and may read it.
    const schedule = await t.http().get('/v1/appointments').query({ from: start }).set('authorization', `Bearer ${specialist.token}`).expect(200);
    expect(schedule.body.appointments.map((a: { appointmentId: string }) => a.appointmentId)).toContain(appointmentId);
    await t.http().get(`/v1/appointments/${appointmentId}`).set('authorization', `Bearer ${specialist.token}`).expect(200);

    // A booking of the specialist alone at that time: 409.
    const { response: conflict } = await book(bookingBody(specialist.providerId, start));
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('APPOINTMENT.SLOT_TAKEN');
    expect(conflict.body.detail).toContain(specialist.providerId);

    await t
      .http()
      .post(`/v1/appointments/${appointmentId}/cancel`)
      .set('authorization', `Bearer ${patient.token}`)
      .send({ reasonCode: 'patient-request' })
      .expect(200);
    const free = (await freeSlots(patient.token, date, both)).filter((s) => s.startUtc === start).map((s) => s.providerId).sort();
    expect(free).toEqual([lead.providerId, specialist.providerId].sort());
    const { response: again } = await book(bookingBody(specialist.providerId, start));
    expect(again.status).toBe(201);
  });

  it('books nothing when one named provider is busy, and the 409 names that provider', async () => {
    const lead = await registerProvider(t, oncology);
    const busy = await registerProvider(t, oncology);
    const start = localInstant(localDay(11), '10:00');
    expect((await book(bookingBody(busy.providerId, start))).response.status).toBe(201);

    const { response } = await book(bookingBody(lead.providerId, start, { additionalProviderIds: [busy.providerId] }));
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('APPOINTMENT.SLOT_TAKEN');
    expect(response.body.detail).toContain(busy.providerId);
    // All or none: the lead's day holds nothing, so the lead alone is still bookable then.
    const leadDay = await t.store.readStream(`provider-day-${lead.providerId}-${localDay(11)}`);
    expect(leadDay).toEqual([]);
    expect((await book(bookingBody(lead.providerId, start))).response.status).toBe(201);
  });

  it('of two concurrent bookings sharing a specialist, exactly one wins', async () => {
    const leadA = await registerProvider(t, oncology);
    const leadB = await registerProvider(t, oncology);
    const shared = await registerProvider(t, oncology);
    const start = localInstant(localDay(12), '11:00');
    const results = await Promise.all([
      book(bookingBody(leadA.providerId, start, { additionalProviderIds: [shared.providerId] })),
      book(bookingBody(leadB.providerId, start, { additionalProviderIds: [shared.providerId] })),
    ]);
    expect(results.map((r) => r.response.status).sort()).toEqual([201, 409]);
    const sharedDay = await t.store.readStream(`provider-day-${shared.providerId}-${localDay(12)}`);
    expect(sharedDay.filter((e) => e.type === 'AppointmentParticipantBooked')).toHaveLength(1);
  });

  it('a reschedule moves every provider\'s time, within the day and to another day', async () => {
    const lead = await registerProvider(t, oncology);
    const specialist = await registerProvider(t, oncology);
    const both = [lead.providerId, specialist.providerId];
    const date = localDay(13);
    const next = localDay(14);
    const { response, patient } = await book(bookingBody(lead.providerId, localInstant(date, '09:00'), { additionalProviderIds: [specialist.providerId] }));
    const appointmentId: string = response.body.appointmentId;
    const reschedule = (slotStart: string) =>
      t.http().post(`/v1/appointments/${appointmentId}/reschedule`).set('authorization', `Bearer ${patient.token}`).send({ slotStart, reasonCode: 'patient-request' });

    expect((await reschedule(localInstant(date, '10:00'))).status).toBe(200);
    let free = await freeSlots(patient.token, date, both);
    expect(free.filter((s) => s.startUtc === localInstant(date, '09:00')).map((s) => s.providerId).sort()).toEqual([lead.providerId, specialist.providerId].sort());
    expect(free.filter((s) => s.startUtc === localInstant(date, '10:00'))).toEqual([]);

    const moved = await reschedule(localInstant(next, '11:00'));
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ start: localInstant(next, '11:00'), additionalProviderIds: [specialist.providerId] });
    free = await freeSlots(patient.token, date, both);
    expect(free.filter((s) => s.startUtc === localInstant(date, '10:00'))).toHaveLength(2);
    expect((await freeSlots(patient.token, next, both)).filter((s) => s.startUtc === localInstant(next, '11:00'))).toEqual([]);
    const { response: conflict } = await book(bookingBody(specialist.providerId, localInstant(next, '11:00')));
    expect(conflict.status).toBe(409);
  });

  it('refuses to move when a participant is busy at the new time, and moves nothing', async () => {
    const lead = await registerProvider(t, oncology);
    const specialist = await registerProvider(t, oncology);
    const date = localDay(15);
    const { response, patient } = await book(bookingBody(lead.providerId, localInstant(date, '09:00'), { additionalProviderIds: [specialist.providerId] }));
    await book(bookingBody(specialist.providerId, localInstant(localDay(16), '09:00')));
    const refused = await t
      .http()
      .post(`/v1/appointments/${response.body.appointmentId}/reschedule`)
      .set('authorization', `Bearer ${patient.token}`)
      .send({ slotStart: localInstant(localDay(16), '09:00'), reasonCode: 'patient-request' })
      .expect(409);
    expect(refused.body.detail).toContain(specialist.providerId);
    const current = await t.http().get(`/v1/appointments/${response.body.appointmentId}`).set('authorization', `Bearer ${patient.token}`).expect(200);
    expect(current.body).toMatchObject({ start: localInstant(date, '09:00'), status: 'booked' });
    expect(await t.store.readStream(`provider-day-${lead.providerId}-${localDay(16)}`)).toEqual([]);
  });

  it('answers 400 when the lead is named again, or with a group session', async () => {
    const lead = await registerProvider(t, oncology);
    const { response } = await book(bookingBody(lead.providerId, localInstant(localDay(17), '09:00'), { additionalProviderIds: [lead.providerId] }));
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('additionalProviderIds');
    const other = await registerProvider(t, oncology);
    const { response: seat } = await book(
      bookingBody(lead.providerId, localInstant(localDay(17), '09:00'), { additionalProviderIds: [other.providerId], groupSessionId: randomUUID() }),
    );
    expect(seat.status).toBe(400);
    expect(seat.body.errors[0]).toMatchObject({ field: 'additionalProviderIds', message: expect.stringMatching(/group session/) });
  });

  it('a retried request (same Idempotency-Key) returns the same appointment and writes nothing more', async () => {
    const lead = await registerProvider(t, oncology);
    const specialist = await registerProvider(t, oncology);
    const patient = await t.patient();
    const key = randomUUID();
    const body = bookingBody(lead.providerId, localInstant(localDay(18), '09:00'), { additionalProviderIds: [specialist.providerId] });
    const send = () => t.http().post('/v1/appointments').set('authorization', `Bearer ${patient.token}`).set('idempotency-key', key).send(body);
    const first = await send().expect(201);
    const second = await send().expect(201);
    expect(second.body.appointmentId).toBe(first.body.appointmentId);
    expect(await t.store.readStream(`provider-day-${specialist.providerId}-${localDay(18)}`)).toHaveLength(1);
  });
});
