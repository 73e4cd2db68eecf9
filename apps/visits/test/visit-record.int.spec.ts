import { randomUUID } from 'node:crypto';
import { CLINICAL_REFERENCE_VERSION } from '@carebridge/clinical-reference';
import { type VisitsTestApp, goodDevice, licence, openScheduledVisit, startVisitsApp, visitInProgress } from './visits-app.fixtures';

let t: VisitsTestApp;
beforeAll(async () => {
  t = await startVisitsApp();
});
afterAll(async () => {
  await t.close();
});

describe('consults', () => {
  it('the attending provider invites a specialist, who joins the visit (record, room) and discusses it with them; the patient does not see the discussion', async () => {
    const { visitId, patient, provider } = await visitInProgress(t);
    const specialist = await t.provider();
    await t.http().get(`/v1/visits/${visitId}`).query({ purpose: 'treatment' }).set('authorization', specialist.auth).expect(403);
    // Only the attending provider invites.
    await t
      .http()
      .post(`/v1/visits/${visitId}/consults`)
      .set('authorization', specialist.auth)
      .set('idempotency-key', randomUUID())
      .send({ kind: 'specialist', invitees: [specialist.providerId], reason: 'x' })
      .expect(403);
    const requested = await t
      .http()
      .post(`/v1/visits/${visitId}/consults`)
      .set('authorization', provider.auth)
      .set('idempotency-key', randomUUID())
      .send({ kind: 'specialist', invitees: [specialist.providerId], specialty: 'dermatology', reason: 'Atypical lesion on the forearm' })
      .expect(201);
    const { consultId } = requested.body;
    // Invited: may read to decide, may not join the room yet.
    await t.http().get(`/v1/visits/${visitId}`).query({ purpose: 'treatment' }).set('authorization', specialist.auth).expect(200);
    await t.http().post(`/v1/visits/${visitId}/room-token`).set('authorization', specialist.auth).expect(403);
    const joined = await t.http().post(`/v1/visits/${visitId}/consults/${consultId}/join`).set('authorization', specialist.auth).expect(200);
    expect(joined.body.joined).toEqual([specialist.providerId]);
    await t.http().post(`/v1/visits/${visitId}/room-token`).set('authorization', specialist.auth).expect(201);
    await t.http().post(`/v1/visits/${visitId}/consults/${consultId}/discussion`).set('authorization', specialist.auth).send({ text: 'Dermoscopy photo please' }).expect(201);
    await t.http().post(`/v1/visits/${visitId}/consults/${consultId}/discussion`).set('authorization', provider.auth).send({ text: 'Uploading now' }).expect(201);
    await t.http().post(`/v1/visits/${visitId}/consults/${consultId}/discussion`).set('authorization', patient.auth).send({ text: 'hi' }).expect(403);

    const forProvider = await t.http().get(`/v1/visits/${visitId}`).query({ purpose: 'treatment' }).set('authorization', provider.auth).expect(200);
    expect(forProvider.body.consults[0]).toMatchObject({ consultId, kind: 'specialist', joined: [specialist.providerId] });
    expect(forProvider.body.consults[0].discussion.map((d: { text: string }) => d.text)).toEqual(['Dermoscopy photo please', 'Uploading now']);
    const forPatient = await t.http().get(`/v1/visits/${visitId}`).query({ purpose: 'patient-access' }).set('authorization', patient.auth).expect(200);
    expect(forPatient.body.consults[0].discussion).toBeUndefined();
    const encounter = await t.http().get(`/fhir/R4/Encounter/${visitId}`).query({ purpose: 'treatment' }).set('authorization', provider.auth).expect(200);
    expect(encounter.body.participant.map((p: { individual: { reference: string } }) => p.individual.reference)).toEqual([
      `Practitioner/${provider.providerId}`,
      `Practitioner/${specialist.providerId}`,
    ]);
  });
});

describe('asynchronous visits', () => {
  it('a patient writes to a provider with a photo; the provider takes it up and answers on the same record', async () => {
    const patient = await t.patient();
    const provider = await t.provider();
    await licence(t, provider, [{ state: 'CA', number: 'CA-77', expiresOn: '2099-12-31' }]);
    const opened = await t
      .http()
      .post('/v1/asynchronous-visits')
      .set('authorization', patient.auth)
      .set('idempotency-key', randomUUID())
      .send({ providerId: provider.providerId, patientState: 'CA', text: 'My rash is back, photo attached' })
      .expect(201);
    const { visitId } = opened.body;
    expect(opened.body.status).toBe('waiting');
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(randomUUID())]);
    const shared = await t.http().post(`/v1/visits/${visitId}/attachments`).set('authorization', patient.auth).set('content-type', 'image/jpeg').send(jpeg).expect(201);
    await t
      .http()
      .post(`/v1/visits/${visitId}/messages`)
      .set('authorization', patient.auth)
      .set('idempotency-key', randomUUID())
      .send({ text: 'Here it is', attachments: [shared.body.sha256] })
      .expect(201);
    await t.http().post(`/v1/visits/${visitId}/admit`).set('authorization', provider.auth).expect(200);
    await t
      .http()
      .post(`/v1/visits/${visitId}/messages`)
      .set('authorization', provider.auth)
      .set('idempotency-key', randomUUID())
      .send({ text: 'Looks like eczema; use the cream twice a day' })
      .expect(201);
    // Nothing to switch to: an asynchronous visit stays asynchronous.
    await t.http().post(`/v1/visits/${visitId}/modality`).set('authorization', provider.auth).send({ to: 'phone', reason: 'requested' }).expect(422);
    await t.http().post(`/v1/visits/${visitId}/diagnoses`).set('authorization', provider.auth).send({ code: 'L30.9', display: 'Dermatitis, unspecified' }).expect(201);
    await t.http().post(`/v1/visits/${visitId}/complete`).set('authorization', provider.auth).send({ disposition: 'resolved', instructions: 'Cream twice a day for 2 weeks' }).expect(200);
    const record = await t.http().get(`/v1/visits/${visitId}`).query({ purpose: 'patient-access' }).set('authorization', patient.auth).expect(200);
    expect(record.body).toMatchObject({ kind: 'asynchronous', modality: 'asynchronous', status: 'ended', outcome: { disposition: 'resolved' } });
    expect(record.body.messages.map((m: { author: { role: string }; attachments: string[] }) => [m.author.role, m.attachments.length])).toEqual([
      ['patient', 0],
      ['patient', 1],
      ['provider', 0],
    ]);
  });
});

describe('red flags', () => {
  it('the provider escalates to emergency care: the visit ends as an emergency referral and the patient gets the instruction', async () => {
    const { visitId, patient, provider } = await visitInProgress(t);
    const escalated = await t.http().post(`/v1/visits/${visitId}/escalate`).set('authorization', provider.auth).send({ redFlags: ['difficulty-breathing'] }).expect(200);
    expect(escalated.body).toMatchObject({ status: 'ended', disposition: 'emergency-referral', emergencyInstruction: expect.stringMatching(/Call 911/) });
    const summary = await t.http().get(`/v1/visits/${visitId}/summary`).query({ purpose: 'patient-access' }).set('authorization', patient.auth).expect(200);
    expect(summary.body.emergencyInstruction).toMatch(/Call 911/);
    const late = await t.http().post(`/v1/visits/${visitId}/complete`).set('authorization', provider.auth).send({ disposition: 'resolved', instructions: 'x' }).expect(409);
    expect(late.body.detail).toMatch(/^The visit is ended/);
  });

  it('symptoms reviewed with a red flag from the intake table escalate at once', async () => {
    const { visitId, provider } = await visitInProgress(t);
    const reviewed = await t.http().put(`/v1/visits/${visitId}/symptoms`).set('authorization', provider.auth).send({ symptoms: ['headache', 'slurred-speech'] }).expect(200);
    expect(reviewed.body).toMatchObject({ status: 'ended', emergency: { by: 'intake-rules', redFlags: ['slurred-speech'], rulesSource: CLINICAL_REFERENCE_VERSION } });
  });
});

describe('licensure and access', () => {
  it('refuses to start the visit when the provider licence in the patient location has expired since booking', async () => {
    const patient = await t.patient();
    const provider = await t.provider();
    await licence(t, provider, [{ state: 'NY', number: 'NY-5', expiresOn: '2021-06-30' }]);
    const { visitId } = await openScheduledVisit(t, patient.patientId, provider.providerId);
    await t.http().post(`/v1/visits/${visitId}/check-in`).set('authorization', patient.auth).send({ locationState: 'NY', device: goodDevice }).expect(200);
    const refused = await t.http().post(`/v1/visits/${visitId}/admit`).set('authorization', provider.auth).expect(422);
    expect(refused.body).toMatchObject({ code: 'VISIT.PROVIDER_NOT_LICENSED', detail: expect.stringMatching(/NY/) });
  });

  it('refuses a check-in from a state where the provider is not licensed, at the start, and records where the patient was', async () => {
    const patient = await t.patient();
    const provider = await t.provider();
    await licence(t, provider);
    const { visitId } = await openScheduledVisit(t, patient.patientId, provider.providerId);
    // Travelling: the patient is in Florida today.
    await t.http().post(`/v1/visits/${visitId}/check-in`).set('authorization', patient.auth).send({ locationState: 'FL', device: goodDevice }).expect(200);
    await t.http().post(`/v1/visits/${visitId}/admit`).set('authorization', provider.auth).expect(422);
    const record = await t.http().get(`/v1/visits/${visitId}`).query({ purpose: 'treatment' }).set('authorization', provider.auth).expect(200);
    expect(record.body.checkIn).toMatchObject({ locationState: 'FL' });
  });

  it('only participants see the record, every read states a purpose, and early check-in is refused', async () => {
    const patient = await t.patient();
    const provider = await t.provider();
    const { visitId } = await openScheduledVisit(t, patient.patientId, provider.providerId, 120);
    const early = await t.http().post(`/v1/visits/${visitId}/check-in`).set('authorization', patient.auth).send({ locationState: 'NY', device: goodDevice }).expect(422);
    expect(early.body.code).toBe('VISIT.CHECK_IN_NOT_OPEN');
    await t.http().get(`/v1/visits/${visitId}`).set('authorization', patient.auth).expect(400);
    await t.http().get(`/v1/visits/${visitId}`).query({ purpose: 'operations' }).set('authorization', await t.ops()).expect(403);
    await t.http().get(`/v1/visits/${visitId}`).query({ purpose: 'treatment' }).set('authorization', (await t.provider()).auth).expect(403);
    await t.http().get(`/v1/visits/${randomUUID()}`).query({ purpose: 'treatment' }).set('authorization', patient.auth).expect(404);
    const events = await t.store.readStream(`visit-${visitId}`);
    expect(events.filter((e) => e.type === 'VisitRecordRead')).toHaveLength(0);
    await t.http().get(`/v1/visits/${visitId}`).query({ purpose: 'patient-access' }).set('authorization', patient.auth).expect(200);
    const read = (await t.store.readStream(`visit-${visitId}`)).filter((e) => e.type === 'VisitRecordRead');
    expect(read.map((e) => [e.data, e.metadata.actor.role, e.metadata.purpose])).toEqual([
      [{ view: 'record', readerId: `user-${patient.patientId}`, readerRole: 'patient', purpose: 'patient-access' }, 'patient', 'patient-access'],
    ]);
  });

  it('serves its OpenAPI document', async () => {
    const doc = await t.http().get('/v1/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/visits/{visitId}/complete', '/fhir/R4/Encounter/{id}', '/v1/urgent-care/queue']));
  });
});
