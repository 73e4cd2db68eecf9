import { randomUUID } from 'node:crypto';
import { type SchedulingTestApp, bookingBody, localInstant, registerProvider, startSchedulingApp } from './scheduling-app.fixtures';

let t: SchedulingTestApp;
beforeAll(async () => {
  t = await startSchedulingApp();
});
afterAll(async () => {
  await t.close();
});

const series = (patientToken: string, providerId: string, slotStart: string, count: number) =>
  t
    .http()
    .post('/v1/appointment-series')
    .set('authorization', `Bearer ${patientToken}`)
    .set('idempotency-key', randomUUID())
    .send({ ...bookingBody(providerId, slotStart), repeat: { every: 'week', count } });

describe('recurring series', () => {
  it('books every week at the same local time across the DST change, each occurrence changeable on its own', async () => {
    const { providerId } = await registerProvider(t);
    const patient = await t.patient();
    // US DST starts 2027-03-14: 09:00 in New York is 14:00Z before, 13:00Z after.
    const response = await series(patient.token, providerId, localInstant('2027-02-22', '09:00'), 4).expect(201);
    expect(response.body.appointments.map((a: { start: string }) => a.start)).toEqual([
      '2027-02-22T14:00:00.000Z',
      '2027-03-01T14:00:00.000Z',
      '2027-03-08T14:00:00.000Z',
      '2027-03-15T13:00:00.000Z',
    ]);
    const second = response.body.appointments[1].appointmentId;
    await t.http().post(`/v1/appointments/${second}/cancel`).set('authorization', `Bearer ${patient.token}`).send({ reasonCode: 'patient-request' }).expect(200);
    const list = await t
      .http()
      .get('/v1/appointments')
      .query({ from: '2027-02-01T00:00:00Z', to: '2027-04-01T00:00:00Z' })
      .set('authorization', `Bearer ${patient.token}`)
      .expect(200);
    expect(list.body.appointments.map((a: { status: string }) => a.status)).toEqual(['booked', 'cancelled', 'booked', 'booked']);
  });

  it('is all or nothing: a taken occurrence is named (409) and nothing is booked', async () => {
    const { providerId } = await registerProvider(t);
    const other = await t.patient();
    await t
      .http()
      .post('/v1/appointments')
      .set('authorization', `Bearer ${other.token}`)
      .set('idempotency-key', randomUUID())
      .send(bookingBody(providerId, localInstant('2027-01-18', '10:00')))
      .expect(201);
    const patient = await t.patient();
    const refused = await series(patient.token, providerId, localInstant('2027-01-04', '10:00'), 3).expect(409);
    expect(refused.body.code).toBe('APPOINTMENT_SERIES.OCCURRENCE_REFUSED');
    expect(refused.body.detail).toMatch(/^Occurrence 3 /);
    // Nothing was booked (one atomic write): the first two days hold no events at all.
    expect(await t.store.readStream(`provider-day-${providerId}-2027-01-04`)).toEqual([]);
    expect(await t.store.readStream(`provider-day-${providerId}-2027-01-11`)).toEqual([]);
    // So another patient books them at once.
    const again = await series(other.token, providerId, localInstant('2027-01-04', '10:00'), 2).expect(201);
    expect(again.body.appointments).toHaveLength(2);
  });
});
