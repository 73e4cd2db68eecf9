import { randomUUID } from 'node:crypto';
import { type VisitsTestApp, goodDevice, licence, nextYear, startVisitsApp } from './visits-app.fixtures';

let t: VisitsTestApp;
beforeAll(async () => {
  t = await startVisitsApp({ policy: { urgentCareAverageVisitMinutes: 15 } });
});
afterAll(async () => {
  await t.close();
});

async function onDuty(provider: { providerId: string; auth: string }) {
  await t.http().put(`/v1/providers/${provider.providerId}/urgent-care-duty`).set('authorization', provider.auth).send({ onDuty: true }).expect(200);
}

// The tests of this file use different states, so their queues do not meet.
describe('urgent-care queue', () => {
  it('two providers take five patients first come first served; each patient sees their place and estimated wait', async () => {
    const [a, b] = [await t.provider(), await t.provider()];
    // Licensed in Vermont (and A also in NH); a third provider licensed elsewhere takes nobody from VT.
    await licence(t, a, [
      { state: 'VT', number: 'VT-1', expiresOn: nextYear() },
      { state: 'NH', number: 'NH-1', expiresOn: nextYear() },
    ]);
    await licence(t, b, [{ state: 'VT', number: 'VT-2', expiresOn: nextYear() }]);
    const elsewhere = await t.provider();
    await licence(t, elsewhere, [{ state: 'ME', number: 'ME-1', expiresOn: nextYear() }]);
    await onDuty(a);
    await onDuty(b);
    await onDuty(elsewhere);

    const patients = [];
    for (let i = 0; i < 5; i++) {
      const patient = await t.patient();
      const joined = await t
        .http()
        .post('/v1/urgent-care/queue')
        .set('authorization', patient.auth)
        .set('idempotency-key', `queue-${patient.patientId}`)
        .send({ locationState: 'VT', device: goodDevice })
        .expect(201);
      patients.push({ ...patient, visitId: joined.body.visitId as string, joined: joined.body });
      t.clock.advance(1); // distinct join times
    }
    // Two free providers on duty for VT: position n waits floor((n - 1) / 2) average visits (the
    // first two are seen at once).
    expect(patients.map((p) => [p.joined.position, p.joined.estimatedWaitMinutes])).toEqual([
      [1, 0],
      [2, 0],
      [3, 15],
      [4, 15],
      [5, 30],
    ]);
    expect(patients[0]!.joined.providersOnDuty).toBe(2);

    // A retried join (same key) is the same place in the queue, not a second one.
    const again = await t
      .http()
      .post('/v1/urgent-care/queue')
      .set('authorization', patients[0]!.auth)
      .set('idempotency-key', `queue-${patients[0]!.patientId}`)
      .send({ locationState: 'VT', device: goodDevice })
      .expect(201);
    expect(again.body).toMatchObject({ visitId: patients[0]!.visitId, position: 1 });

    await t.http().post('/v1/urgent-care/next').set('authorization', elsewhere.auth).set('idempotency-key', randomUUID()).expect(404);

    const take = (provider: { auth: string }, key = randomUUID()) =>
      t.http().post('/v1/urgent-care/next').set('authorization', provider.auth).set('idempotency-key', key).expect(200);
    const firstKey = randomUUID();
    const first = await take(a, firstKey);
    const second = await take(b);
    expect([first.body.visitId, second.body.visitId]).toEqual([patients[0]!.visitId, patients[1]!.visitId]);
    // The same request again answers the same patient.
    expect((await take(a, firstKey)).body.visitId).toBe(patients[0]!.visitId);

    const status = await t.http().get(`/v1/urgent-care/queue/${patients[4]!.visitId}`).set('authorization', patients[4]!.auth).expect(200);
    // A and B each have a patient to see first (15 minutes), then the two ahead of this one: 30.
    expect(status.body).toMatchObject({ position: 3, estimatedWaitMinutes: 30, providersOnDuty: 2, providersInVisit: 0, status: 'waiting' });
    const takenStatus = await t.http().get(`/v1/urgent-care/queue/${patients[0]!.visitId}`).set('authorization', patients[0]!.auth).expect(200);
    expect(takenStatus.body).toMatchObject({ position: null, providerId: a.providerId });

    // The provider who took the patient sees them waiting, admits them (licence checked again) and the visit runs.
    const room = await t.http().get('/v1/waiting-room').set('authorization', a.auth).expect(200);
    expect(room.body.patients).toEqual([expect.objectContaining({ visitId: patients[0]!.visitId, locationState: 'VT', kind: 'on-demand' })]);
    expect(room.body.patients[0].waitingSeconds).toBeGreaterThanOrEqual(5);
    await t.http().post(`/v1/visits/${patients[0]!.visitId}/admit`).set('authorization', a.auth).expect(200);
    t.clock.advance(5 * 60);
    // A is 5 minutes into the visit (free in 10), B has a patient waiting (free in 15): the two
    // ahead go at 10 and 15, this one at 25.
    const later = await t.http().get(`/v1/urgent-care/queue/${patients[4]!.visitId}`).set('authorization', patients[4]!.auth).expect(200);
    expect(later.body).toMatchObject({ position: 3, estimatedWaitMinutes: 25, providersInVisit: 1 });
    // B is not this patient's provider.
    await t.http().post(`/v1/visits/${patients[0]!.visitId}/admit`).set('authorization', b.auth).expect(403);

    // The rest are taken in order of arrival, whichever provider asks.
    const rest = [await take(b), await take(a), await take(b)].map((r) => r.body.visitId);
    expect(rest).toEqual([patients[2]!.visitId, patients[3]!.visitId, patients[4]!.visitId]);
    const none = await t.http().post('/v1/urgent-care/next').set('authorization', a.auth).set('idempotency-key', randomUUID()).expect(404);
    expect(none.body.code).toBe('URGENT_CARE.NO_PATIENT_WAITING');
  });

  it('a provider takes patients only from states where their licence is valid today, and must be on duty', async () => {
    const provider = await t.provider();
    await licence(t, provider, [{ state: 'RI', number: 'RI-9', expiresOn: '2020-01-31' }]);
    const refused = await t.http().put(`/v1/providers/${provider.providerId}/urgent-care-duty`).set('authorization', provider.auth).send({ onDuty: true }).expect(422);
    expect(refused.body.code).toBe('PROVIDER.NO_VALID_LICENCE');

    const patient = await t.patient();
    const joined = await t
      .http()
      .post('/v1/urgent-care/queue')
      .set('authorization', patient.auth)
      .set('idempotency-key', randomUUID())
      .send({ locationState: 'RI', modality: 'phone' })
      .expect(201);
    // Nobody on duty for RI: estimated as if one provider were.
    expect(joined.body).toMatchObject({ position: 1, providersOnDuty: 0, estimatedWaitMinutes: 0 });
    const notOnDuty = await t.http().post('/v1/urgent-care/next').set('authorization', provider.auth).set('idempotency-key', randomUUID()).expect(422);
    expect(notOnDuty.body.code).toBe('PROVIDER.NOT_ON_DUTY');

    // The patient leaves before being seen.
    await t.http().post(`/v1/visits/${joined.body.visitId}/leave`).set('authorization', patient.auth).expect(200);
    const record = await t.http().get(`/v1/visits/${joined.body.visitId}`).query({ purpose: 'patient-access' }).set('authorization', patient.auth).expect(200);
    expect(record.body.status).toBe('left-before-seen');
    const gone = await t.http().get(`/v1/urgent-care/queue/${joined.body.visitId}`).set('authorization', patient.auth).expect(200);
    expect(gone.body).toMatchObject({ status: 'left-before-seen', position: null, providerId: null });
  });
});
