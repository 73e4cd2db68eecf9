import { randomUUID } from 'node:crypto';
import { PostgresEventStore, quoteIdent, verifyAuditTrail } from '@carebridge/event-store';
import { accessEvents, amoxicillinDraft, cast, client, pharmacyListing, randomNcpdpId, relate, startService, type Cast, type TestService, SIGN_PARTIES } from './prescriptions-app.fixtures';

/**
 * Issue 14, prescriptions: a provider with no care relationship to the patient could add an
 * allergy, read the medication profile and learn another prescriber's active prescriptions from
 * the duplicate-therapy check. Every read is now an AccessRecorded event in the hash chain.
 */
describe('prescriptions: care relationships and the access audit (issue 14)', () => {
  let service: TestService;
  let who: Cast;
  let http: ReturnType<typeof client>;
  let ncpdpId: string;
  const emergency = { 'x-purpose-of-use': 'EMERGENCY', 'x-break-glass-reason': 'unconscious patient in the ED, allergy history needed' };

  beforeAll(async () => {
    service = await startService();
    who = await cast(service.tokens);
    http = client(service.app);
    ncpdpId = randomNcpdpId();
    expect((await http.post('/v1/pharmacies', who.ops, pharmacyListing(randomUUID(), ncpdpId))).status).toBe(201);
  });
  afterAll(() => service.close());

  it('answers 404 to an unrelated provider adding an allergy or reading the medication profile', async () => {
    const patient = randomUUID();
    const added = await http.post(`/v1/patients/${patient}/allergies`, who.otherProvider, { rxcui: '723', display: 'amoxicillin', criticality: 'high' });
    expect([added.status, added.body.code]).toEqual([404, 'ACCESS.NOT_FOUND']);
    const read = await http.get(`/v1/patients/${patient}/medication-profile`, who.otherProvider);
    expect([read.status, read.body.code]).toEqual([404, 'ACCESS.NOT_FOUND']);
  });

  it('gives no care relationship for a draft that merely names a visit (review finding: any visitId opened the record)', async () => {
    const patient = randomUUID();
    const drafted = await http.post('/v1/prescriptions', who.otherProvider, { ...amoxicillinDraft(patient), visitId: randomUUID() });
    expect(drafted.status).toBe(201);
    const read = await http.get(`/v1/patients/${patient}/medication-profile`, who.otherProvider);
    expect([read.status, read.body.code]).toEqual([404, 'ACCESS.NOT_FOUND']);
  });

  it('lets the provider of record add an allergy and read the profile', async () => {
    const patient = randomUUID();
    await relate(service, who.ids.provider, patient);
    expect((await http.post(`/v1/patients/${patient}/allergies`, who.provider, { rxcui: '723', display: 'amoxicillin', criticality: 'low' })).status).toBe(201);
    const read = await http.get(`/v1/patients/${patient}/medication-profile`, who.provider);
    expect(read.status).toBe(200);
    expect(read.body.allergies).toEqual([expect.objectContaining({ rxcui: '723' })]);
  });

  it("does not tell an unrelated provider another prescriber's active prescriptions through the check", async () => {
    const patient = randomUUID();
    await relate(service, who.ids.provider, patient);
    const first = amoxicillinDraft(patient);
    expect((await http.post('/v1/prescriptions', who.provider, first)).status).toBe(201);
    expect((await http.post(`/v1/prescriptions/${first.prescriptionId}/check`, who.provider)).status).toBe(200);
    expect((await http.post(`/v1/prescriptions/${first.prescriptionId}/sign`, who.provider, { ...SIGN_PARTIES, pharmacyNcpdpId: ncpdpId })).body.status).toBe('transmitted');

    const probe = amoxicillinDraft(patient);
    expect((await http.post('/v1/prescriptions', who.otherProvider, probe)).status).toBe(201);
    const checked = await http.post(`/v1/prescriptions/${probe.prescriptionId}/check`, who.otherProvider);
    expect([checked.status, checked.body.code]).toEqual([404, 'ACCESS.NOT_FOUND']);
    expect(JSON.stringify(checked.body)).not.toContain(first.prescriptionId);
  });

  it('answers a provider who is not the prescriber of record the same 404 as an unknown id on every write route (finding 4)', async () => {
    const patient = randomUUID();
    await relate(service, who.ids.provider, patient);
    // A care relationship with the patient, but not the prescriber of these prescriptions.
    await relate(service, who.ids.otherProvider, patient);
    const drafted = amoxicillinDraft(patient);
    expect((await http.post('/v1/prescriptions', who.provider, drafted)).status).toBe(201);
    const transmitted = amoxicillinDraft(patient);
    expect((await http.post('/v1/prescriptions', who.provider, transmitted)).status).toBe(201);
    expect((await http.post(`/v1/prescriptions/${transmitted.prescriptionId}/check`, who.provider)).status).toBe(200);
    expect((await http.post(`/v1/prescriptions/${transmitted.prescriptionId}/sign`, who.provider, { ...SIGN_PARTIES, pharmacyNcpdpId: ncpdpId })).body.status).toBe('transmitted');
    const { prescriptionId: _id, patientId: _patient, ...revision } = drafted;

    const probe = async (id: string) => {
      const answers = [
        await http.put(`/v1/prescriptions/${id}`, who.otherProvider, revision),
        await http.post(`/v1/prescriptions/${id}/check`, who.otherProvider),
        await http.post(`/v1/prescriptions/${id}/sign`, who.otherProvider, { ...SIGN_PARTIES, pharmacyNcpdpId: ncpdpId }),
        await http.post(`/v1/prescriptions/${id}/cancel`, who.otherProvider, { reason: 'probing' }),
        await http.post(`/v1/prescriptions/${id}/renewal-requests/${randomUUID()}/response`, who.otherProvider, { decision: 'denied', reason: 'probing' }),
        await http.post(`/v1/prescriptions/${id}/change-requests/${randomUUID()}/response`, who.otherProvider, { decision: 'denied', reason: 'probing' }),
      ];
      return answers.map((a) => [a.status, a.body.code]);
    };
    const unknown = await probe(randomUUID());
    expect(unknown).toEqual(Array.from({ length: 6 }, () => [404, 'ACCESS.NOT_FOUND']));
    expect(await probe(drafted.prescriptionId)).toEqual(unknown);
    expect(await probe(transmitted.prescriptionId)).toEqual(unknown);
    // Nothing happened to them.
    expect((await http.get(`/v1/prescriptions/${drafted.prescriptionId}`, who.provider)).body.status).toBe('drafted');
    expect((await http.get(`/v1/prescriptions/${transmitted.prescriptionId}`, who.provider)).body.status).toBe('transmitted');
  });

  it("answers another patient's renewal request and an unrouted pharmacy's message the same 404 as an unknown id; a payer the same answer for both", async () => {
    const prescriptionId = await relate(service, who.ids.provider, who.ids.patient);
    const payer = await service.tokens.mint({ sub: randomUUID(), role: 'payer' });
    const message = () => ({ kind: 'RxRenewalRequest', messageId: randomUUID(), note: null });
    const probe = async (id: string) => [
      await http.post(`/v1/prescriptions/${id}/renewal-requests`, who.otherPatient, { note: 'probing' }),
      await http.post(`/v1/prescriptions/${id}/pharmacy-messages`, who.otherPharmacy, message()),
      await http.post(`/v1/prescriptions/${id}/cancel`, payer, { reason: 'probing' }),
      await http.post(`/v1/prescriptions/${id}/pharmacy-messages`, payer, message()),
    ].map((a) => [a.status, a.body.code]);
    const unknown = await probe(randomUUID());
    expect(unknown.slice(0, 2)).toEqual([
      [404, 'ACCESS.NOT_FOUND'],
      [404, 'ACCESS.NOT_FOUND'],
    ]);
    // A payer has no prescription route: refused by role before any id is looked at.
    expect(unknown.slice(2)).toEqual([
      [403, 'AUTH.ROLE_FORBIDDEN'],
      [403, 'AUTH.ROLE_FORBIDDEN'],
    ]);
    expect(await probe(prescriptionId)).toEqual(unknown);
  });

  it('names the patient by the patient_id claim, never sub: a token whose two differ reads and renews patient_id\'s prescriptions (finding 4)', async () => {
    const patient = randomUUID();
    await relate(service, who.ids.provider, patient);
    const rx = amoxicillinDraft(patient);
    expect((await http.post('/v1/prescriptions', who.provider, rx)).status).toBe(201);
    expect((await http.post(`/v1/prescriptions/${rx.prescriptionId}/check`, who.provider)).status).toBe(200);
    expect((await http.post(`/v1/prescriptions/${rx.prescriptionId}/sign`, who.provider, { ...SIGN_PARTIES, pharmacyNcpdpId: ncpdpId })).body.status).toBe('transmitted');
    const account = await service.tokens.mint({ sub: randomUUID(), role: 'patient', patientId: patient });
    const list = await http.get('/v1/prescriptions', account);
    expect(list.body.items.map((p: { prescriptionId: string }) => p.prescriptionId)).toContain(rx.prescriptionId);
    expect((await http.get(`/v1/prescriptions/${rx.prescriptionId}`, account)).status).toBe(200);
    expect((await http.get(`/v1/fhir/MedicationRequest/${rx.prescriptionId}`, account)).status).toBe(200);
    expect((await http.post(`/v1/prescriptions/${rx.prescriptionId}/renewal-requests`, account, { note: null })).status).toBe(201);
    expect((await http.post(`/v1/patients/${patient}/allergies`, account, { rxcui: '7980', display: 'penicillin G', criticality: 'low' })).status).toBe(201);
    expect((await http.get(`/v1/patients/${patient}/medication-profile`, account)).body.allergies).toEqual([expect.objectContaining({ rxcui: '7980' })]);
    // `sub` naming the patient does not make the token theirs.
    const subOnly = await service.tokens.mint({ sub: patient, role: 'patient', patientId: randomUUID() });
    const read = await http.get(`/v1/prescriptions/${rx.prescriptionId}`, subOnly);
    expect(read.status).toBe(404);
    expect((await http.get('/v1/prescriptions', subOnly)).body.items).toEqual([]);
  });

  it('lets break-the-glass through, recorded with its reason and listed for review', async () => {
    const patient = randomUUID();
    const read = await http.get(`/v1/patients/${patient}/medication-profile`, who.otherProvider).set(emergency);
    expect(read.status).toBe(200);
    const events = await accessEvents(service);
    expect(events.at(-1)).toMatchObject({
      actor: { id: who.ids.otherProvider, role: 'provider' },
      purpose: 'EMERGENCY',
      patientIds: [patient],
      operation: 'GET /v1/patients/{patientId}/medication-profile',
      outcome: 'granted',
      breakTheGlass: true,
      reason: emergency['x-break-glass-reason'],
    });
    const review = await http.get('/v1/access/break-glass', who.ops);
    expect(review.body.accesses).toEqual(expect.arrayContaining([expect.objectContaining({ patientIds: [patient], reason: emergency['x-break-glass-reason'] })]));
    const noReason = await http.get(`/v1/patients/${patient}/medication-profile`, who.otherProvider).set({ 'x-purpose-of-use': 'EMERGENCY' });
    expect([noReason.status, noReason.body.code]).toEqual([400, 'ACCESS.BREAK_GLASS_REASON_REQUIRED']);
  });

  it('records every read as an AccessRecorded event (no read_audit table rows), and the patient reads their disclosures', async () => {
    const prescriptionId = await relate(service, who.ids.provider, who.ids.patient);
    const before = (await accessEvents(service)).length;
    expect((await http.get(`/v1/prescriptions/${prescriptionId}`, who.provider)).status).toBe(200);
    expect((await http.get(`/v1/fhir/MedicationRequest/${prescriptionId}`, who.patient)).status).toBe(200);
    expect((await http.get('/v1/prescriptions', who.patient)).status).toBe(200);
    const events = (await accessEvents(service)).slice(before);
    expect(events.map((e) => [e.operation, e.actor.role, e.purpose, e.patientIds])).toEqual([
      ['GET /v1/prescriptions/{prescriptionId}', 'provider', 'TREAT', [who.ids.patient]],
      ['GET /v1/fhir/MedicationRequest/{id}', 'patient', 'PATIENT-REQUEST', [who.ids.patient]],
      ['GET /v1/prescriptions', 'patient', 'PATIENT-REQUEST', [who.ids.patient]],
    ]);
    const { rows } = await service.db.pool.query(`SELECT count(*)::int AS n FROM ${quoteIdent(service.db.schema)}.read_audit`);
    expect(rows[0].n).toBe(0);
    const mine = await http.get('/v1/access/disclosures', who.patient);
    expect(mine.status).toBe(200);
    expect(mine.body.disclosures).toEqual(
      expect.arrayContaining([expect.objectContaining({ actor: { id: who.ids.provider, role: 'provider' }, operation: 'GET /v1/prescriptions/{prescriptionId}', purpose: 'TREAT' })]),
    );
  });

  it('keeps access events in the hash chain: audit:verify passes, then finds a tampered access event', async () => {
    await http.get(`/v1/patients/${who.ids.patient}/medication-profile`, who.patient);
    await accessEvents(service);
    const store = new PostgresEventStore(service.db.pool, service.db.schema);
    const clean = await verifyAuditTrail(store);
    expect(clean.ok).toBe(true);
    const table = `${quoteIdent(service.db.schema)}.events`;
    await service.db.pool.query(`ALTER TABLE ${table} DISABLE TRIGGER events_immutable`);
    await service.db.pool.query(
      `UPDATE ${table} SET data = jsonb_set(data, '{actor,id}', '"someone-else"')
        WHERE global_position = (SELECT min(global_position) FROM ${table} WHERE event_type = 'AccessRecorded')`,
    );
    await service.db.pool.query(`ALTER TABLE ${table} ENABLE TRIGGER events_immutable`);
    const tampered = await verifyAuditTrail(store);
    expect(tampered.ok).toBe(false);
    expect(tampered.findings).toEqual([expect.objectContaining({ streamId: expect.stringMatching(/^access-prescriptions-\d{4}-\d{2}-\d{2}$/), problem: 'content-changed' })]);
  });
});
