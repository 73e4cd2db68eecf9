import { randomUUID } from 'node:crypto';
import { type SchedulingTestApp, bookingBody, localDay, localInstant, registerProvider, startSchedulingApp } from './scheduling-app.fixtures';

let t: SchedulingTestApp;
beforeAll(async () => {
  t = await startSchedulingApp();
});
afterAll(async () => {
  await t.close();
});

describe('FHIR R4 views', () => {
  it('Schedule, Slot (free and busy) and Appointment searches by patient, practitioner and date', async () => {
    const { providerId, token } = await registerProvider(t);
    const patient = await t.patient();
    const day = localDay(12);
    const start = localInstant(day, '09:30');
    const booked = await t
      .http()
      .post('/v1/appointments')
      .set('authorization', `Bearer ${patient.token}`)
      .set('idempotency-key', randomUUID())
      .send(bookingBody(providerId, start))
      .expect(201);
    const appointmentId = booked.body.appointmentId;

    const schedule = await t.http().get(`/fhir/R4/Schedule/${providerId}`).set('authorization', `Bearer ${patient.token}`).expect(200);
    expect(schedule.headers['content-type']).toMatch(/application\/fhir\+json/);
    expect(schedule.body).toMatchObject({ resourceType: 'Schedule', id: providerId, actor: [{ reference: `Practitioner/${providerId}` }] });

    const slots = await t
      .http()
      .get('/fhir/R4/Slot')
      .query({ schedule: `Schedule/${providerId}`, start: [`ge${day}`, `lt${localDay(13)}`] })
      .set('authorization', `Bearer ${patient.token}`)
      .expect(200);
    expect(slots.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 6 });
    const statuses = slots.body.entry.map((e: { resource: { start: string; status: string } }) => [e.resource.start, e.resource.status]);
    expect(statuses).toContainEqual([start, 'busy']);
    expect(statuses.filter(([, status]: string[]) => status === 'free')).toHaveLength(5);

    const mine = await t
      .http()
      .get('/fhir/R4/Appointment')
      .query({ patient: `Patient/${patient.patientId}`, date: [`ge${day}`, `le${day}`] })
      .set('authorization', `Bearer ${patient.token}`)
      .expect(200);
    expect(mine.body.total).toBe(1);
    expect(mine.body.entry[0].resource).toEqual({
      resourceType: 'Appointment',
      id: appointmentId,
      status: 'booked',
      start,
      end: localInstant(day, '10:00'),
      slot: [{ reference: `Slot/${providerId}.${Date.parse(start)}` }],
      participant: [
        { actor: { reference: `Patient/${patient.patientId}` }, status: 'accepted' },
        { actor: { reference: `Practitioner/${providerId}` }, status: 'accepted' },
      ],
    });
    const byPractitioner = await t.http().get('/fhir/R4/Appointment').query({ practitioner: providerId }).set('authorization', `Bearer ${token}`);
    expect(byPractitioner.status).toBe(200);
    expect(byPractitioner.body.entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual([appointmentId]);
    await t.http().get(`/fhir/R4/Appointment/${appointmentId}`).set('authorization', `Bearer ${patient.token}`).expect(200);
  });

  it('a patient searching another patient is refused; a malformed date is 400', async () => {
    const patient = await t.patient();
    await t.http().get('/fhir/R4/Appointment').query({ patient: randomUUID() }).set('authorization', `Bearer ${patient.token}`).expect(404); // another patient: as if unknown (issue 14)
    const bad = await t.http().get('/fhir/R4/Appointment').query({ date: 'yesterday' }).set('authorization', `Bearer ${patient.token}`).expect(400);
    expect(bad.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'invalid', expression: ['date'] }] });
  });
});
