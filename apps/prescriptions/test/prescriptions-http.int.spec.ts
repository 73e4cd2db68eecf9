import { randomUUID } from 'node:crypto';
import { quoteIdent } from '@carebridge/event-store';
import { fromBase32, totp } from '../src/prescriber-otp/totp.crypto';
import { amoxicillinDraft, cast, client, grantEpcs, oxycodoneDraft, pharmacyListing, randomNcpdpId, relate, accessEvents, startService, type Cast, type TestService, SIGN_PARTIES } from './prescriptions-app.fixtures';

describe('prescriptions HTTP API (real PostgreSQL)', () => {
  let service: TestService;
  let http: ReturnType<typeof client>;
  let who: Cast;
  let ncpdpId: string;

  beforeAll(async () => {
    service = await startService();
    http = client(service.app);
    who = await cast(service.tokens);
    ncpdpId = randomNcpdpId();
    expect((await http.post('/v1/pharmacies', who.ops, pharmacyListing(who.ids.pharmacy, ncpdpId))).status).toBe(201);
    expect((await http.put(`/v1/patients/${who.ids.patient}/preferred-pharmacy`, who.patient, { ncpdpId })).status).toBe(200);
  });

  afterAll(async () => {
    await service.close();
  });

  const draftAndCheck = async (body: Record<string, unknown>) => {
    expect((await http.post('/v1/prescriptions', who.provider, body)).status).toBe(201);
    await relate(service, who.ids.provider, body.patientId as string);
    const checked = await http.post(`/v1/prescriptions/${body.prescriptionId}/check`, who.provider);
    expect(checked.status).toBe(200);
    return checked.body as { findings: { findingId: string; severity: string; kind: string }[] };
  };

  it("refuses a patient changing another patient's preferred pharmacy or allergies (404: as if unknown, issue 14)", async () => {
    const pharmacy = await http.put(`/v1/patients/${who.ids.patient}/preferred-pharmacy`, who.otherPatient, { ncpdpId });
    expect([pharmacy.status, pharmacy.body.code]).toEqual([404, 'ACCESS.NOT_FOUND']);
    const allergy = await http.post(`/v1/patients/${who.ids.patient}/allergies`, who.otherPatient, {
      rxcui: '723',
      display: 'amoxicillin',
      criticality: 'high',
    });
    expect([allergy.status, allergy.body.code]).toEqual([404, 'ACCESS.NOT_FOUND']);
  });

  it('GET /v1/rules/horizon lists the DEA flexibilities ending 2026-12-31 first, with the Ryan Haight baseline after them', async () => {
    const res = await http.get('/v1/rules/horizon?on=2026-12-07', who.ops);
    expect(res.status).toBe(200);
    expect(res.body.endingWithoutSuccessor[0]).toMatchObject({ ruleSetId: 'dea-hhs-telemedicine-flexibilities-through-2026', endsOn: '2026-12-31', daysLeft: 24 });
    expect(res.body.endingWithoutSuccessor[0].then).toMatch(/ryan-haight-baseline-from-2027/);
    expect(res.body.ruleSets).toContainEqual(expect.objectContaining({ ruleSetId: 'dea-special-registration-proposed', status: 'proposed' }));
    expect((await http.get('/v1/rules/horizon?on=2026-13-01', who.ops)).status).toBe(400);
  });

  it('serves its OpenAPI document without a token', async () => {
    const res = await client(service.app).get('/v1/openapi.json', '').unset('authorization');
    expect([res.status, res.body.openapi]).toEqual([200, '3.1.0']);
  });

  describe('pharmacy directory', () => {
    it('finds a listed pharmacy by state and city', async () => {
      const found = await http.get('/v1/pharmacies?state=IL&city=springfield', who.patient);
      expect(found.status).toBe(200);
      expect(found.body.items.map((p: { ncpdpId: string }) => p.ncpdpId)).toContain(ncpdpId);
    });

    it('refuses a listing by a pharmacy user', async () => {
      const res = await http.post('/v1/pharmacies', who.pharmacy, pharmacyListing(randomUUID(), randomNcpdpId()));
      expect(res.status).toBe(403);
    });

    it('refuses the same NCPDP id twice', async () => {
      const res = await http.post('/v1/pharmacies', who.ops, pharmacyListing(randomUUID(), ncpdpId));
      expect([res.status, res.body.code]).toEqual([409, 'PHARMACY.ALREADY_LISTED']);
    });

    it('refuses to send a prescription to a pharmacy that stopped accepting e-prescriptions', async () => {
      const other = randomNcpdpId();
      const { pharmacyId: _p, ncpdpId: _n, npi: _i, ...details } = pharmacyListing(randomUUID(), other);
      await http.post('/v1/pharmacies', who.ops, pharmacyListing(randomUUID(), other));
      expect((await http.put(`/v1/pharmacies/${other}`, who.ops, { ...details, acceptsEPrescribing: false })).status).toBe(200);
      expect((await http.get(`/v1/pharmacies/${other}`, who.provider)).body.acceptsEPrescribing).toBe(false);
      const draft = amoxicillinDraft(randomUUID());
      await draftAndCheck(draft);
      const res = await http.post(`/v1/prescriptions/${draft.prescriptionId}/sign`, who.provider, { ...SIGN_PARTIES, pharmacyNcpdpId: other });
      expect([res.status, res.body.code]).toEqual([422, 'PRESCRIPTION.PHARMACY_NOT_E_PRESCRIBING']);
    });

    it("records the patient's preferred pharmacy", async () => {
      const res = await http.get(`/v1/patients/${who.ids.patient}/medication-profile`, who.patient);
      expect(res.body.preferredPharmacy).toEqual({ pharmacyId: who.ids.pharmacy, ncpdpId });
    });
  });

  describe('bad input', () => {
    it('answers 400 problem+json naming a malformed field', async () => {
      const res = await http.post('/v1/prescriptions', who.provider, { ...amoxicillinDraft(who.ids.patient), patientId: 'not-a-uuid' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['patientId']);
    });

    it('answers 400 without an Idempotency-Key', async () => {
      const res = await http.post('/v1/prescriptions', who.provider, amoxicillinDraft(who.ids.patient), null);
      expect([res.status, res.body.errors?.[0]?.field]).toEqual([400, 'Idempotency-Key']);
    });

    it('answers 422 naming each missing NewRx element', async () => {
      const { sig: _sig, quantity: _q, ...body } = amoxicillinDraft(who.ids.patient);
      const res = await http.post('/v1/prescriptions', who.provider, { ...body, medication: { ...body.medication, strength: '' } });
      expect([res.status, res.body.code]).toEqual([422, 'PRESCRIPTION.INCOMPLETE_NEWRX']);
      for (const field of ['medication.strength', 'sig', 'quantity.value', 'quantity.unit']) expect(res.body.detail).toContain(field);
    });

    it('answers 422 for a controlled medication without a DEA number', async () => {
      const body = oxycodoneDraft(who.ids.patient);
      const res = await http.post('/v1/prescriptions', who.provider, { ...body, prescriber: { npi: body.prescriber.npi } });
      expect([res.status, res.body.code]).toEqual([422, 'PRESCRIPTION.INCOMPLETE_NEWRX']);
      expect(res.body.detail).toContain('prescriber.deaNumber');
    });

    it('answers 403 when a patient tries to draft', async () => {
      expect((await http.post('/v1/prescriptions', who.patient, amoxicillinDraft(who.ids.patient))).status).toBe(403);
    });

    it('answers 409 when signing before the checks', async () => {
      const body = amoxicillinDraft(who.ids.patient);
      await relate(service, who.ids.provider, who.ids.patient);
      await http.post('/v1/prescriptions', who.provider, body);
      const res = await http.post(`/v1/prescriptions/${body.prescriptionId}/sign`, who.provider, SIGN_PARTIES);
      expect([res.status, res.body.code]).toEqual([409, 'PRESCRIPTION.NOT_CHECKED']);
    });

    it('answers 400 naming the SCRIPT parties a sign request lacks or gets wrong', async () => {
      const body = amoxicillinDraft(who.ids.patient);
      await relate(service, who.ids.provider, who.ids.patient);
      await http.post('/v1/prescriptions', who.provider, body);
      const missing = await http.post(`/v1/prescriptions/${body.prescriptionId}/sign`, who.provider, {});
      expect(missing.status).toBe(400);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['patient', 'prescriber']));
      const wrong = await http.post(`/v1/prescriptions/${body.prescriptionId}/sign`, who.provider, {
        ...SIGN_PARTIES,
        patient: { ...SIGN_PARTIES.patient, dateOfBirth: '1980-13-40' },
        prescriber: { ...SIGN_PARTIES.prescriber, phone: '555' },
      });
      expect([wrong.status, ...wrong.body.errors.map((e: { field: string }) => e.field).sort()]).toEqual([400, 'patient.dateOfBirth', 'prescriber.phone']);
    });
  });

  describe('a prescription from draft to fill', () => {
    const body = () => amoxicillinDraft(who.ids.patient);
    let id: string;

    beforeAll(async () => {
      const draft = body();
      id = draft.prescriptionId;
      expect((await draftAndCheck(draft)).findings).toEqual([]);
      const signed = await http.post(`/v1/prescriptions/${id}/sign`, who.provider, SIGN_PARTIES);
      expect(signed.body).toEqual({ prescriptionId: id, status: 'transmitted', pharmacyNcpdpId: ncpdpId });
    });

    it('appends nothing when a command is repeated with the same Idempotency-Key', async () => {
      const draft = body();
      const key = randomUUID();
      await http.post('/v1/prescriptions', who.provider, draft, key);
      const again = await http.post('/v1/prescriptions', who.provider, draft, key);
      expect(again.status).toBe(201);
      const { rows } = await service.db.pool.query(`SELECT count(*)::int AS n FROM ${quoteIdent(service.db.schema)}.events WHERE stream_id = $1`, [
        `prescription-${draft.prescriptionId}`,
      ]);
      expect(rows[0].n).toBe(1);
    });

    it('lets another provider neither sign nor read it', async () => {
      expect((await http.get(`/v1/prescriptions/${id}`, who.otherProvider)).status).toBe(404);
      const res = await http.post(`/v1/prescriptions/${id}/cancel`, who.otherProvider, { reason: 'x' });
      // Issue 14: the same 404 as an unknown id, not a 403 that confirms it exists.
      expect([res.status, res.body.code]).toEqual([404, 'ACCESS.NOT_FOUND']);
    });

    it('shows the patient their prescription and hides it from another patient', async () => {
      expect((await http.get(`/v1/prescriptions/${id}`, who.patient)).body.status).toBe('transmitted');
      expect((await http.get(`/v1/prescriptions/${id}`, who.otherPatient)).status).toBe(404);
    });

    it('shows the pharmacy it was routed to, and no other pharmacy', async () => {
      expect((await http.get(`/v1/prescriptions?`, who.pharmacy)).body.items.map((p: { prescriptionId: string }) => p.prescriptionId)).toContain(id);
      expect((await http.get(`/v1/prescriptions/${id}`, who.otherPharmacy)).status).toBe(404);
      const res = await http.post(`/v1/prescriptions/${id}/pharmacy-messages`, who.otherPharmacy, { kind: 'Status', messageId: 'x' });
      expect(res.status).toBe(404);
    });

    it('records a fill reported by the pharmacy, visible to the patient', async () => {
      const fill = await http.post(`/v1/prescriptions/${id}/pharmacy-messages`, who.pharmacy, {
        kind: 'RxFill',
        messageId: `fill-${id}`,
        fillStatus: 'dispensed',
        quantityDispensed: 30,
      });
      expect(fill.body.status).toBe('dispensed');
      const seen = await http.get(`/v1/prescriptions/${id}`, who.patient);
      expect(seen.body.fills).toEqual([expect.objectContaining({ fillStatus: 'dispensed', quantityDispensed: 30 })]);
    });

    it('refuses to cancel a dispensed prescription', async () => {
      const res = await http.post(`/v1/prescriptions/${id}/cancel`, who.provider, { reason: 'changed my mind' });
      expect([res.status, res.body.code]).toEqual([409, 'PRESCRIPTION.ALREADY_DISPENSED']);
    });

    it('approves one renewal request and denies another', async () => {
      const first = await http.post(`/v1/prescriptions/${id}/renewal-requests`, who.patient, { note: 'running low' });
      expect(first.status).toBe(201);
      const approved = await http.post(`/v1/prescriptions/${id}/renewal-requests/${first.body.renewalRequestId}/response`, who.provider, {
        decision: 'approved',
        refillsAuthorized: 1,
      });
      expect(approved.status).toBe(200);
      const second = await http.post(`/v1/prescriptions/${id}/renewal-requests`, who.patient, {});
      const denied = await http.post(`/v1/prescriptions/${id}/renewal-requests/${second.body.renewalRequestId}/response`, who.provider, {
        decision: 'denied',
        reason: 'please book a follow-up visit',
      });
      expect(denied.status).toBe(200);
      const view = await http.get(`/v1/prescriptions/${id}`, who.patient);
      expect(view.body.renewals.map((r: { decision: string }) => r.decision)).toEqual(['approved', 'denied']);
    });

    it("refuses a renewal request for another patient's prescription", async () => {
      const res = await http.post(`/v1/prescriptions/${id}/renewal-requests`, who.otherPatient, {});
      // Issue 14: the same 404 as an unknown id, not a 403 that confirms it exists.
      expect([res.status, res.body.code]).toEqual([404, 'ACCESS.NOT_FOUND']);
    });

    it('serves a FHIR R4 MedicationRequest', async () => {
      const res = await http.get(`/v1/fhir/MedicationRequest/${id}`, who.patient);
      expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
      expect(res.body).toMatchObject({
        resourceType: 'MedicationRequest',
        status: 'completed',
        intent: 'order',
        medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '308191' }] },
        subject: { reference: `Patient/${who.ids.patient}` },
      });
    });

    it('audits every read as an access event in the hash chain (libs/access-audit)', async () => {
      const reads = (await accessEvents(service)).filter((e) => e.operation.startsWith('GET ') && e.resource.endsWith(`/${id}`));
      expect(reads.length).toBeGreaterThan(0);
      expect(new Set(reads.map((e) => e.actor.role))).toContain('patient');
      for (const read of reads) expect(read.patientIds).toEqual([who.ids.patient]);
    });
  });

  describe('clinical checks', () => {
    it('stops signing on a high-criticality allergy', async () => {
      const patient = randomUUID();
      await relate(service, who.ids.provider, patient);
      await http.post(`/v1/patients/${patient}/allergies`, who.provider, { rxcui: '723', display: 'amoxicillin', criticality: 'high' });
      const draft = amoxicillinDraft(patient);
      const { findings } = await draftAndCheck(draft);
      expect(findings).toEqual([expect.objectContaining({ kind: 'allergy', severity: 'hard-stop' })]);
      const res = await http.post(`/v1/prescriptions/${draft.prescriptionId}/sign`, who.provider, { ...SIGN_PARTIES,
        pharmacyNcpdpId: ncpdpId,
        overrides: [{ findingId: 'allergy:723', reason: 'tolerated before' }],
      });
      expect([res.status, res.body.code]).toEqual([422, 'PRESCRIPTION.HARD_STOP']);
    });

    it('flags duplicate therapy and signs only with a recorded override reason', async () => {
      const patient = randomUUID();
      const first = amoxicillinDraft(patient);
      await draftAndCheck(first);
      await http.post(`/v1/prescriptions/${first.prescriptionId}/sign`, who.provider, { ...SIGN_PARTIES, pharmacyNcpdpId: ncpdpId });
      const second = amoxicillinDraft(patient);
      const { findings } = await draftAndCheck(second);
      expect(findings).toEqual([expect.objectContaining({ kind: 'duplicate-therapy', severity: 'overridable', findingId: `duplicate:${first.prescriptionId}` })]);
      const unexplained = await http.post(`/v1/prescriptions/${second.prescriptionId}/sign`, who.provider, { ...SIGN_PARTIES, pharmacyNcpdpId: ncpdpId });
      expect([unexplained.status, unexplained.body.code]).toEqual([422, 'PRESCRIPTION.OVERRIDE_REASON_REQUIRED']);
      const overridden = await http.post(`/v1/prescriptions/${second.prescriptionId}/sign`, who.provider, { ...SIGN_PARTIES,
        pharmacyNcpdpId: ncpdpId,
        overrides: [{ findingId: `duplicate:${first.prescriptionId}`, reason: 'second course after relapse' }],
      });
      expect(overridden.body.status).toBe('transmitted');
      const view = await http.get(`/v1/prescriptions/${second.prescriptionId}`, who.provider);
      expect(view.body.overrides).toEqual([{ findingId: `duplicate:${first.prescriptionId}`, reason: 'second course after relapse' }]);
    });
  });

  describe('controlled substances', () => {
    let secret: Buffer;

    beforeAll(async () => {
      const enrolled = await http.post('/v1/prescribers/me/one-time-code', who.provider);
      expect(enrolled.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
      secret = fromBase32(enrolled.body.secret);
      await grantEpcs(http, who);
    });

    it('refuses to sign without the second factor (403)', async () => {
      const draft = oxycodoneDraft(randomUUID());
      await draftAndCheck(draft);
      const res = await http.post(`/v1/prescriptions/${draft.prescriptionId}/sign`, who.provider, { ...SIGN_PARTIES, pharmacyNcpdpId: ncpdpId });
      expect([res.status, res.body.code]).toEqual([403, 'PRESCRIPTION.SECOND_FACTOR_REQUIRED']);
    });

    it('refuses a wrong one-time code (403)', async () => {
      const draft = oxycodoneDraft(randomUUID());
      await draftAndCheck(draft);
      const wrong = totp(secret, new Date(Date.now() - 10 * 60_000));
      const res = await http.post(`/v1/prescriptions/${draft.prescriptionId}/sign`, who.provider, { ...SIGN_PARTIES, pharmacyNcpdpId: ncpdpId, oneTimeCode: wrong });
      expect([res.status, res.body.code]).toEqual([403, 'PRESCRIPTION.ONE_TIME_CODE_REJECTED']);
    });

    it('signs with a valid one-time code, records it for the DEA audit, and refuses the same code again', async () => {
      const draft = oxycodoneDraft(randomUUID());
      await draftAndCheck(draft);
      const code = totp(secret, new Date());
      const res = await http.post(`/v1/prescriptions/${draft.prescriptionId}/sign`, who.provider, { ...SIGN_PARTIES, pharmacyNcpdpId: ncpdpId, oneTimeCode: code });
      expect(res.body.status).toBe('transmitted');
      const { rows } = await service.db.pool.query(
        `SELECT data FROM ${quoteIdent(service.db.schema)}.events WHERE stream_id = $1 AND event_type = 'PrescriptionSigned'`,
        [`prescription-${draft.prescriptionId}`],
      );
      expect(rows[0].data.controlledSubstance).toMatchObject({ deaSchedule: 'II', deaNumber: 'AB1234563', secondFactor: { method: 'totp' } });

      const another = oxycodoneDraft(randomUUID());
      await draftAndCheck(another);
      const replay = await http.post(`/v1/prescriptions/${another.prescriptionId}/sign`, who.provider, { ...SIGN_PARTIES, pharmacyNcpdpId: ncpdpId, oneTimeCode: code });
      expect([replay.status, replay.body.code]).toEqual([403, 'PRESCRIPTION.ONE_TIME_CODE_REJECTED']);
    });
  });

  describe('pharmacy requests answered by the prescriber', () => {
    let id: string;
    // A patient of their own: the shared patient's earlier amoxicillin would be a duplicate-therapy finding.
    const patient = randomUUID();

    beforeAll(async () => {
      const draft = amoxicillinDraft(patient);
      id = draft.prescriptionId;
      await draftAndCheck(draft);
      expect((await http.post(`/v1/prescriptions/${id}/sign`, who.provider, { ...SIGN_PARTIES, pharmacyNcpdpId: ncpdpId })).body.status).toBe('transmitted');
    });

    it('records an RxChangeRequest and the RxChangeResponse', async () => {
      const requested = await http.post(`/v1/prescriptions/${id}/pharmacy-messages`, who.pharmacy, {
        kind: 'RxChangeRequest',
        messageId: `chg-${id}`,
        changeType: 'generic-substitution',
        detail: 'brand out of stock',
      });
      expect(requested.status).toBe(202);
      const answered = await http.post(`/v1/prescriptions/${id}/change-requests/chg-${id}/response`, who.provider, { decision: 'approved' });
      expect(answered.status).toBe(200);
      const view = await http.get(`/v1/prescriptions/${id}`, who.pharmacy);
      expect(view.body.changeRequests).toEqual([{ changeRequestId: `chg-${id}`, changeType: 'generic-substitution', decision: 'approved' }]);
    });

    it('approves a pharmacy RxRenewalRequest with changes, linking the new prescription', async () => {
      await http.post(`/v1/prescriptions/${id}/pharmacy-messages`, who.pharmacy, { kind: 'RxRenewalRequest', messageId: `ren-${id}` });
      const replacement = { ...amoxicillinDraft(patient), renewalOf: id, quantity: { value: 21, unit: 'capsule' }, daysSupply: 7 };
      expect((await http.post('/v1/prescriptions', who.provider, replacement)).status).toBe(201);
      const answered = await http.post(`/v1/prescriptions/${id}/renewal-requests/ren-${id}/response`, who.provider, {
        decision: 'approved-with-changes',
        replacementPrescriptionId: replacement.prescriptionId,
      });
      expect(answered.status).toBe(200);
      const view = await http.get(`/v1/prescriptions/${id}`, who.provider);
      expect(view.body.renewals).toEqual([
        { renewalRequestId: `ren-${id}`, requestedBy: 'pharmacy', decision: 'approved-with-changes', reason: null, refillsAuthorized: 0 },
      ]);
      const fhir = await http.get(`/v1/fhir/MedicationRequest/${replacement.prescriptionId}`, who.provider);
      expect(fhir.body.priorPrescription).toEqual({ reference: `MedicationRequest/${id}` });
    });

    it('refuses a replacement for another patient', async () => {
      await http.post(`/v1/prescriptions/${id}/pharmacy-messages`, who.pharmacy, { kind: 'RxRenewalRequest', messageId: `ren2-${id}` });
      const unrelated = { ...amoxicillinDraft(randomUUID()), renewalOf: id };
      await http.post('/v1/prescriptions', who.provider, unrelated);
      const res = await http.post(`/v1/prescriptions/${id}/renewal-requests/ren2-${id}/response`, who.provider, {
        decision: 'approved-with-changes',
        replacementPrescriptionId: unrelated.prescriptionId,
      });
      expect([res.status, res.body.code]).toEqual([422, 'PRESCRIPTION.REPLACEMENT_INVALID']);
    });
  });
});
