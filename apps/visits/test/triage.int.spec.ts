import { randomUUID } from 'node:crypto';
import { type VisitsTestApp, licence, startVisitsApp, visitInProgress } from './visits-app.fixtures';

/**
 * Issue 15 through the visits API: the clinical reference reads the provider's symptom review
 * (codes and written history) and the patient's messages in asynchronous visits, one test per
 * disposition.
 */
let t: VisitsTestApp;
beforeAll(async () => {
  t = await startVisitsApp();
});
afterAll(async () => {
  await t.close();
});

describe("the provider's symptom review", () => {
  it('emergency: a red flag written in the history ends the visit as an emergency referral', async () => {
    const { visitId, patient, provider } = await visitInProgress(t);
    const reviewed = await t
      .http()
      .put(`/v1/visits/${visitId}/symptoms`)
      .set('authorization', provider.auth)
      .send({ symptoms: ['headache'], history: 'Wife reports his face is drooping on the left since noon.' })
      .expect(200);
    expect(reviewed.body).toMatchObject({ status: 'ended', emergency: { by: 'intake-rules', redFlags: ['one-sided-weakness-or-numbness'] } });
    expect(reviewed.body.triage.matches[0]).toMatchObject({ rule: 'one-sided-weakness-or-numbness', field: 'history', phrase: 'face is drooping' });
    const summary = await t.http().get(`/v1/visits/${visitId}/summary`).query({ purpose: 'patient-access' }).set('authorization', patient.auth).expect(200);
    expect(summary.body.emergencyInstruction).toMatch(/911/);
  });

  it('virtual-ok: negated and past red flags are kept as read, and the visit goes on', async () => {
    const { visitId, provider } = await visitInProgress(t);
    const reviewed = await t
      .http()
      .put(`/v1/visits/${visitId}/symptoms`)
      .set('authorization', provider.auth)
      .send({ symptoms: ['cough'], history: 'Denies chest pain or shortness of breath. Seizure as a child, none since.' })
      .expect(200);
    expect(reviewed.body.status).toBe('in-progress');
    expect(reviewed.body.triage.disposition).toBe('virtual-ok');
    expect(reviewed.body.triage.matches.map((m: { rule: string; status: string }) => [m.rule, m.status])).toEqual(
      expect.arrayContaining([
        ['chest-pain', 'negated'],
        ['seizure', 'historical'],
      ]),
    );
  });

  it('in-person: abdominal pain in the history means the visit ends with an in-person follow-up', async () => {
    const { visitId, provider } = await visitInProgress(t);
    const reviewed = await t.http().put(`/v1/visits/${visitId}/symptoms`).set('authorization', provider.auth).send({ symptoms: ['other'], history: 'Cramping pain in the lower right abdomen for a day.' }).expect(200);
    expect(reviewed.body.triage).toMatchObject({ disposition: 'in-person', rules: ['abdominal-pain'] });
    const refused = await t.http().post(`/v1/visits/${visitId}/complete`).set('authorization', provider.auth).send({ disposition: 'resolved', instructions: 'rest' }).expect(422);
    expect(refused.body.code).toBe('VISIT.IN_PERSON_EXAM_REQUIRED');
    await t
      .http()
      .post(`/v1/visits/${visitId}/complete`)
      .set('authorization', provider.auth)
      .send({ disposition: 'in-person-follow-up', followUp: { reasonCode: 'abdominal-exam', withinDays: 1 }, instructions: 'Clinic tomorrow' })
      .expect(200);
  });
});

describe("the patient's messages in an asynchronous visit", () => {
  async function write(text: string) {
    const patient = await t.patient();
    const provider = await t.provider();
    await licence(t, provider, [{ state: 'CA', number: 'CA-15', expiresOn: '2099-12-31' }]);
    const opened = await t
      .http()
      .post('/v1/asynchronous-visits')
      .set('authorization', patient.auth)
      .set('idempotency-key', randomUUID())
      .send({ providerId: provider.providerId, patientState: 'CA', text })
      .expect(201);
    return { opened: opened.body, patient, provider };
  }

  it('emergency (crisis): the answer names 988 and 911 and the visit ends as an emergency referral', async () => {
    const { opened, patient } = await write("Refill question. Honestly I don't want to be alive anymore.");
    expect(opened).toMatchObject({ status: 'ended', triage: { disposition: 'emergency', crisis: true, rules: ['suicidal-or-self-harm'] } });
    expect(opened.triage.guidance).toMatch(/988/);
    expect(opened.emergency.instruction).toMatch(/988/);
    expect(opened.emergency.instruction).toMatch(/911/);
    const record = await t.http().get(`/v1/visits/${opened.visitId}`).query({ purpose: 'patient-access' }).set('authorization', patient.auth).expect(200);
    expect(record.body.outcome.disposition).toBe('emergency-referral');
  });

  it('emergency in a later message, in Spanish', async () => {
    const { opened, patient } = await write('Tengo tos desde hace una semana');
    expect(opened.triage.disposition).toBe('virtual-ok');
    const later = await t
      .http()
      .post(`/v1/visits/${opened.visitId}/messages`)
      .set('authorization', patient.auth)
      .set('idempotency-key', randomUUID())
      .send({ text: 'Ahora no puedo respirar y tengo los labios morados' })
      .expect(201);
    expect(later.body).toMatchObject({ status: 'ended', triage: { disposition: 'emergency', rules: ['difficulty-breathing'] } });
    expect(later.body.triage.guidance).toMatch(/Llame al 911/);
  });

  it('in-person: the patient is told an examination is needed and the provider must end with an in-person follow-up', async () => {
    const { opened, provider } = await write('My stomach has been hurting since yesterday');
    expect(opened).toMatchObject({ status: 'waiting', triage: { disposition: 'in-person', rules: ['abdominal-pain'] } });
    expect(opened.triage.guidance).toMatch(/in-person/);
    await t.http().post(`/v1/visits/${opened.visitId}/admit`).set('authorization', provider.auth).expect(200);
    await t.http().post(`/v1/visits/${opened.visitId}/complete`).set('authorization', provider.auth).send({ disposition: 'resolved', instructions: 'x' }).expect(422);
  });

  it('needs-review: words the rules cannot place are flagged on the record with how to get urgent help', async () => {
    const { opened, provider } = await write('It hurts so much I cannot sleep');
    expect(opened).toMatchObject({ status: 'waiting', triage: { disposition: 'needs-review', rules: ['unplaced-symptom'] } });
    expect(opened.triage.guidance).toMatch(/911/);
    await t.http().post(`/v1/visits/${opened.visitId}/admit`).set('authorization', provider.auth).expect(200);
    const record = await t.http().get(`/v1/visits/${opened.visitId}`).query({ purpose: 'treatment' }).set('authorization', provider.auth).expect(200);
    expect(record.body.messages[0].triage).toMatchObject({ disposition: 'needs-review', matches: [expect.objectContaining({ phrase: 'hurts' })] });
  });

  it('needs-review: a red-flag body system with no confident rule (tingling in an arm) is flagged under that rule', async () => {
    const { opened } = await write('Since last night there is a tingling in my arm that comes and goes');
    expect(opened).toMatchObject({ status: 'waiting', triage: { disposition: 'needs-review', rules: ['one-sided-weakness-or-numbness'] } });
    expect(opened.triage.guidance).toMatch(/911/);
  });

  it('emergency in words no rule lists: a chest that feels wrong with a cold sweat', async () => {
    const { opened } = await write('My chest feels weird and I am in a cold sweat');
    expect(opened).toMatchObject({ status: 'ended', triage: { disposition: 'emergency', rules: ['chest-pain'] } });
  });

  it('virtual-ok: an ordinary message, with a negated red flag', async () => {
    const { opened } = await write('Itchy rash on my arm, no fever');
    expect(opened).toMatchObject({ status: 'waiting', triage: { disposition: 'virtual-ok' } });
    expect(opened.triage.guidance).toBeNull();
  });
});
