import { randomUUID } from 'node:crypto';
import { type SchedulingTestApp, bookingBody, localDay, localInstant, postBooking, redirectionsOf, registerProvider, startSchedulingApp } from './scheduling-app.fixtures';
import { appointmentStreamId } from '../src/appointment/appointment.stream';

/**
 * Issue 15 through the booking API: what the patient wrote is triaged with the coded symptoms, and
 * every disposition is an answer (emergency, in person with alternatives, needs-review with the
 * review queue, virtual-ok).
 */
let t: SchedulingTestApp;
beforeAll(async () => {
  t = await startSchedulingApp();
});
afterAll(async () => {
  await t.close();
});

const day = localDay(6);

async function book(providerId: string, slotStart: string, overrides: Record<string, unknown>, patient?: { patientId: string; token: string }) {
  return postBooking(t, bookingBody(providerId, slotStart, overrides), patient);
}

describe('emergency', () => {
  it('"other" ticked and a heavy chest written: nothing booked, 911 guidance, the words that decided, the attempt recorded', async () => {
    const { providerId } = await registerProvider(t);
    const start = localInstant(day, '09:00');
    const { response, patient } = await book(providerId, start, {
      reason: 'not feeling right',
      intake: { symptoms: ['other'], description: 'feels like a heavy weight sitting on my chest since lunch' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      booked: false,
      triage: {
        disposition: 'emergency',
        crisis: false,
        redFlags: ['chest-pain'],
        matches: [{ rule: 'chest-pain', effect: 'emergency', status: 'affirmed', via: 'text', field: 'intake.description', phrase: 'heavy weight sitting on my chest' }],
      },
    });
    expect(response.body.triage.guidance).toMatch(/Call 911/);
    const events = await redirectionsOf(t, patient.patientId);
    expect(events.map((e) => e.type)).toEqual(['EmergencyRedirected']);
    expect(await t.store.readStream(`provider-day-${providerId}-${day}`)).toEqual([]);
    expect(events[0]!.data).toMatchObject({ patientId: patient.patientId, redFlags: ['chest-pain'], matches: [expect.objectContaining({ phrase: 'heavy weight sitting on my chest' })] });
    const mine = await t.http().get('/v1/appointments').set('authorization', `Bearer ${patient.token}`).expect(200);
    expect(mine.body.appointments).toEqual([]);
  });

  it('a crisis statement is an emergency naming 988 and 911 (never a review queue position)', async () => {
    const { providerId, token } = await registerProvider(t);
    const { response } = await book(providerId, localInstant(day, '09:30'), {
      reason: 'talk therapy follow-up',
      intake: { symptoms: ['mental-health'], description: 'I have been thinking about killing myself' },
    });
    expect(response.status).toBe(200);
    expect(response.body.triage).toMatchObject({ disposition: 'emergency', crisis: true, redFlags: ['suicidal-or-self-harm'] });
    expect(response.body.triage.guidance).toMatch(/988/);
    expect(response.body.triage.guidance).toMatch(/911/);
    const queue = await t.http().get('/v1/triage-reviews').set('authorization', `Bearer ${token}`).expect(200);
    expect(queue.body.reviews).toEqual([]);
  });
});

describe('emergency in words no rule lists (issue 15, second pass)', () => {
  it('a stiffening then jerking child, written as a parent would: an emergency by the concepts, not a listed phrase', async () => {
    const { providerId } = await registerProvider(t);
    const { response } = await book(providerId, localInstant(day, '10:00'), {
      reason: 'my son',
      intake: { symptoms: ['other'], description: 'he went all stiff then his legs were jerking and he would not answer me' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ booked: false, triage: { disposition: 'emergency', redFlags: ['seizure'] } });
  });
});

describe('in person', () => {
  it("a video visit for abdominal pain books nothing and offers the provider's in-person slots and a waitlist entry in the same answer", async () => {
    const { providerId } = await registerProvider(t);
    const patient = await t.patient();
    const asked = localInstant(day, '10:00');
    const { response } = await book(providerId, asked, { reason: 'my stomach hurts', intake: { symptoms: ['other'] } }, patient);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      booked: false,
      triage: { disposition: 'in-person', rules: ['abdominal-pain'], matches: [expect.objectContaining({ phrase: 'stomach hurts' })] },
      alternatives: {
        providerOffersInPerson: true,
        clinicAddress: { line1: '1 Main St', city: 'New York', state: 'NY', postalCode: '10001' },
        waitlist: { method: 'POST', path: '/v1/waitlist', body: { providerId, modality: 'in-person', patientState: 'NY' } },
      },
    });
    expect(response.body.triage.guidance).toMatch(/in-person/);
    const slots = response.body.alternatives.slots as { providerId: string; startUtc: string; modality: string }[];
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => s.providerId === providerId && s.modality === 'in-person')).toBe(true);
    const events = await redirectionsOf(t, patient.patientId);
    expect(events.map((e) => e.type)).toEqual(['InPersonRedirected']);
    expect(await t.store.readStream(`provider-day-${providerId}-${day}`)).toEqual([]);
    // Both offers work as given.
    const inPerson = await book(providerId, slots[0]!.startUtc, { modality: 'in-person', reason: 'my stomach hurts', intake: { symptoms: ['other'] } }, patient);
    expect(inPerson.response.status).toBe(201);
    expect(inPerson.response.body.triage).toMatchObject({ disposition: 'in-person', review: 'not-needed' });
    await t
      .http()
      .post('/v1/waitlist')
      .set('authorization', `Bearer ${patient.token}`)
      .set('idempotency-key', randomUUID())
      .send(response.body.alternatives.waitlist.body)
      .expect(201);
  });

  it("a provider who sees nobody in person: the clinic's in-person slots in the same specialty, and a waitlist entry by specialty", async () => {
    const specialty = `gastro-${randomUUID().slice(0, 8)}`;
    const { providerId } = await registerProvider(t, { specialties: [specialty], modalities: ['video'] });
    const colleague = await registerProvider(t, { specialties: [specialty], modalities: ['in-person'] });
    const { response } = await book(providerId, localInstant(day, '11:00'), { reason: 'cramping belly pain since last night', intake: { symptoms: ['other'] } });
    expect(response.status).toBe(200);
    expect(response.body.alternatives).toMatchObject({ providerOffersInPerson: false, waitlist: { body: { specialty, modality: 'in-person' } } });
    expect(response.body.alternatives.clinicAddress).toBeUndefined();
    const slots = response.body.alternatives.slots as { providerId: string }[];
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => s.providerId === colleague.providerId)).toBe(true);
  });
});

describe('needs review', () => {
  it('words the rules cannot place book the visit flagged; the provider finds it in the review queue, reads why, and reviews it', async () => {
    const { providerId, token } = await registerProvider(t);
    const other = await registerProvider(t);
    const { response, patient } = await book(providerId, localInstant(day, '10:30'), { reason: 'it hurts all the time', intake: { symptoms: ['other'] } });
    expect(response.status).toBe(201);
    const appointmentId = response.body.appointmentId as string;
    expect(response.body).toMatchObject({ booked: true, triage: { disposition: 'needs-review', review: 'pending', rules: ['unplaced-symptom'] } });
    expect(response.body.triage.guidance).toMatch(/911/);

    const queue = await t.http().get('/v1/triage-reviews').set('authorization', `Bearer ${token}`).expect(200);
    expect(queue.body.reviews).toEqual([expect.objectContaining({ appointmentId, patientId: patient.patientId, rules: ['unplaced-symptom'] })]);
    const othersQueue = await t.http().get('/v1/triage-reviews').set('authorization', `Bearer ${other.token}`).expect(200);
    expect(othersQueue.body.reviews).toEqual([]);
    // The appointment shows the disposition; the words are intake, read with a recorded purpose.
    const appointment = await t.http().get(`/v1/appointments/${appointmentId}`).set('authorization', `Bearer ${token}`).expect(200);
    expect(appointment.body.triage).toEqual({ disposition: 'needs-review', rules: ['unplaced-symptom'], rulesVersion: expect.any(String) });
    const intake = await t.http().get(queue.body.reviews[0].intake).set('authorization', `Bearer ${token}`).expect(200);
    expect(intake.body.triage.matches).toEqual([expect.objectContaining({ rule: 'unplaced-symptom', phrase: 'hurts', field: 'reason' })]);

    await t.http().post(`/v1/appointments/${appointmentId}/triage-review`).set('authorization', `Bearer ${other.token}`).send({ decision: 'virtual-ok' }).expect(404); // no appointment of this patient (issue 14)
    await t.http().post(`/v1/appointments/${appointmentId}/triage-review`).set('authorization', `Bearer ${patient.token}`).send({ decision: 'virtual-ok' }).expect(403);
    const reviewed = await t
      .http()
      .post(`/v1/appointments/${appointmentId}/triage-review`)
      .set('authorization', `Bearer ${token}`)
      .send({ decision: 'virtual-ok', note: 'Called the patient: chronic knee pain, fine for video' })
      .expect(200);
    expect(reviewed.body).toMatchObject({ status: 'booked', triageReview: { decision: 'virtual-ok', reviewedBy: `user-${providerId}` } });
    const after = await t.http().get('/v1/triage-reviews').set('authorization', `Bearer ${token}`).expect(200);
    expect(after.body.reviews).toEqual([]);
    const events = await t.store.readStream(appointmentStreamId(appointmentId));
    expect(events.filter((e) => e.type === 'TriageReviewed').map((e) => e.data)).toEqual([
      { appointmentId, providerId, patientId: patient.patientId, decision: 'virtual-ok', note: 'Called the patient: chronic knee pain, fine for video' },
    ]);
  });

  it('a red-flag body system that no rule places with confidence (a racing heart) is booked flagged under that rule, never silently virtual-ok', async () => {
    const { providerId, token } = await registerProvider(t);
    const { response } = await book(providerId, localInstant(day, '11:00'), { reason: 'my heart is racing and pounding since this morning', intake: { symptoms: ['other'] } });
    expect(response.status).toBe(201);
    const appointmentId = response.body.appointmentId as string;
    expect(response.body).toMatchObject({ booked: true, triage: { disposition: 'needs-review', review: 'pending', rules: ['chest-pain'] } });
    expect(response.body.triage.guidance).toMatch(/911/);
    const queue = await t.http().get('/v1/triage-reviews').set('authorization', `Bearer ${token}`).expect(200);
    expect(queue.body.reviews).toEqual([expect.objectContaining({ appointmentId, rules: ['chest-pain'] })]);
  });

  it('a review that sends the patient in person cancels the video visit; an intake that needed no review cannot be reviewed', async () => {
    const { providerId, token } = await registerProvider(t);
    const flagged = await book(providerId, localInstant(day, '11:00'), { reason: 'I am in so much pain', intake: { symptoms: ['other'] } });
    const reviewed = await t.http().post(`/v1/appointments/${flagged.response.body.appointmentId}/triage-review`).set('authorization', `Bearer ${token}`).send({ decision: 'in-person' }).expect(200);
    expect(reviewed.body).toMatchObject({ status: 'cancelled', triageReview: { decision: 'in-person' } });
    const plain = await book(providerId, localInstant(day, '11:30'), { reason: 'dry cough for a week', intake: { symptoms: ['cough'] } });
    const refused = await t.http().post(`/v1/appointments/${plain.response.body.appointmentId}/triage-review`).set('authorization', `Bearer ${token}`).send({ decision: 'virtual-ok' }).expect(409);
    expect(refused.body.code).toBe('TRIAGE.REVIEW_NOT_NEEDED');
  });
});

describe('virtual-ok', () => {
  it('negated and past red-flag words book the video visit and keep what was read', async () => {
    const { providerId } = await registerProvider(t);
    const { response } = await book(providerId, localInstant(day, '09:00'), {
      reason: 'never had chest pain, it is a sore throat',
      intake: { symptoms: ['sore-throat'], description: 'had a seizure as a child, fine since' },
    });
    expect(response.status).toBe(201);
    expect(response.body.triage).toMatchObject({ disposition: 'virtual-ok', review: 'not-needed', guidance: null });
    expect(response.body.triage.matches.map((m: { rule: string; status: string; field: string }) => [m.rule, m.status, m.field])).toEqual(
      expect.arrayContaining([
        ['chest-pain', 'negated', 'reason'],
        ['seizure', 'historical', 'intake.description'],
      ]),
    );
  });

  it('the new telemedicine codes book without "other"', async () => {
    const { providerId } = await registerProvider(t);
    const { response } = await book(providerId, localInstant(day, '09:30'), { reason: 'results', intake: { symptoms: ['test-results', 'allergies', 'minor-back-pain', 'sprain-or-strain'] } });
    expect(response.status).toBe(201);
    expect(response.body.triage.disposition).toBe('virtual-ok');
  });
});
