import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { quoteIdent } from '@carebridge/event-store';
import { ONE_TIME_CODES } from '../src/http/prescriptions.tokens';
import type { OneTimeCodes } from '../src/prescriber-otp/one-time-codes.adapter';
import { fromBase32, totp } from '../src/prescriber-otp/totp.crypto';
import { verifyWithPublishedKeys } from '../src/prescription/record-signer.crypto';
import { amoxicillinDraft, APPROVER_DEA, cast, client, grantEpcs, oxycodoneDraft, pharmacyListing, randomNcpdpId, relate, startService, VALID_DEA, type Cast, type TestService, SIGN_PARTIES } from './prescriptions-app.fixtures';

/**
 * EPCS (21 CFR 1311): identity proofing, the two-person access grant, DEA registration, TOTP;
 * the record signature (1311.120(b)); TOTP secrets at rest; the controlled-substance table.
 */
describe('EPCS credential, record signature and secrets at rest (real PostgreSQL)', () => {
  let service: TestService;
  let http: ReturnType<typeof client>;
  let who: Cast;
  let ncpdpId: string;
  let secret: Buffer;
  let events: string;

  const today = () => new Date().toISOString().slice(0, 10);
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const credentialPath = (providerId: string) => `/v1/prescribers/${providerId}`;
  const draftAndCheck = async (body: Record<string, unknown>) => {
    const drafted = await http.post('/v1/prescriptions', who.provider, body);
    expect(drafted.status).toBe(201);
    await relate(service, who.ids.provider, body.patientId as string);
    expect((await http.post(`/v1/prescriptions/${body.prescriptionId}/check`, who.provider)).status).toBe(200);
  };
  /** Signs a fresh oxycodone prescription with a current code (a new one each time: codes are single-use per step). */
  const signOxycodone = async (code: string | null = null, encounter?: Record<string, unknown>) => {
    const draft = { ...oxycodoneDraft(randomUUID()), ...(encounter !== undefined && { encounter }) };
    await draftAndCheck(draft);
    const res = await http.post(`/v1/prescriptions/${draft.prescriptionId}/sign`, who.provider, { ...SIGN_PARTIES,
      pharmacyNcpdpId: ncpdpId,
      ...(code !== null && { oneTimeCode: code }),
    });
    return { res, prescriptionId: draft.prescriptionId };
  };
  // A refused signing never reaches the code check (the credential is checked first in the
  // decider, but the adapter verifies the code before): each attempt gets the current code, and
  // only the successful one consumes its time step.
  const nextCode = () => totp(secret, new Date());

  beforeAll(async () => {
    service = await startService();
    http = client(service.app);
    who = await cast(service.tokens);
    ncpdpId = randomNcpdpId();
    events = `${quoteIdent(service.db.schema)}.events`;
    expect((await http.post('/v1/pharmacies', who.ops, pharmacyListing(who.ids.pharmacy, ncpdpId))).status).toBe(201);
    const enrolled = await http.post('/v1/prescribers/me/one-time-code', who.provider);
    secret = fromBase32(enrolled.body.secret);
  });

  afterAll(async () => {
    await service.close();
  });

  describe('recording the credential', () => {
    it('refuses identity proofing below IAL2 (422) and recording by a provider (403)', async () => {
      const body = { credentialServiceProvider: 'Example CSP', assuranceLevel: 'IAL1', proofedOn: today(), reference: 'r-1' };
      const low = await http.put(`${credentialPath(who.ids.provider)}/identity-proofing`, who.ops, body);
      expect([low.status, low.body.code]).toEqual([422, 'CREDENTIAL.ASSURANCE_TOO_LOW']);
      const byProvider = await http.put(`${credentialPath(who.ids.provider)}/identity-proofing`, who.provider, { ...body, assuranceLevel: 'IAL2' });
      expect(byProvider.status).toBe(403);
    });

    it('refuses an approval before identity proofing (422)', async () => {
      const res = await http.post(`${credentialPath(who.ids.provider)}/epcs-access/approvals`, who.ops);
      expect([res.status, res.body.code]).toEqual([422, 'CREDENTIAL.NOT_IDENTITY_PROOFED']);
    });

    it('answers 400 for a DEA number with a wrong check digit', async () => {
      const res = await http.put(`${credentialPath(who.ids.provider)}/dea-registrations/AB1234567`, who.ops, { schedules: ['II'], state: 'IL', expiresOn: inDays(365) });
      expect([res.status, res.body.errors?.[0]?.field]).toEqual([400, 'deaNumber']);
    });
  });

  describe('signing a schedule II prescription', () => {
    it('is refused with no credential, naming identity proofing (403)', async () => {
      const { res } = await signOxycodone(nextCode());
      expect([res.status, res.body.code]).toEqual([403, 'PRESCRIPTION.EPCS_IDENTITY_NOT_PROOFED']);
    });

    it('is refused after identity proofing until two people grant access (403)', async () => {
      const proofed = await http.put(`${credentialPath(who.ids.provider)}/identity-proofing`, who.ops, {
        credentialServiceProvider: 'Example CSP',
        assuranceLevel: 'IAL2',
        proofedOn: today(),
        reference: 'csp-proof-42',
      });
      expect(proofed.status).toBe(200);
      const { res } = await signOxycodone(nextCode());
      expect([res.status, res.body.code]).toEqual([403, 'PRESCRIPTION.EPCS_ACCESS_NOT_GRANTED']);
    });

    it('grants access only on two approvals by different individuals, one a DEA registrant, neither the prescriber', async () => {
      const approvals = `${credentialPath(who.ids.provider)}/epcs-access/approvals`;
      const self = await http.post(approvals, who.provider);
      expect(self.status).toBe(403);
      // The other provider is not yet a registrant here: they cannot approve.
      expect((await http.post(approvals, who.otherProvider)).body.code).toBe('CREDENTIAL.NOT_AUTHORISED');
      const first = await http.post(approvals, who.ops);
      expect([first.status, first.body.epcsAccess]).toEqual([201, 'pending']);
      const again = await http.post(approvals, who.ops);
      expect([again.status, again.body.code]).toEqual([409, 'CREDENTIAL.SAME_APPROVER']);
      const otherOps = await service.tokens.mint({ sub: randomUUID(), role: 'ops' });
      const noRegistrant = await http.post(approvals, otherOps);
      expect([noRegistrant.status, noRegistrant.body.code]).toEqual([403, 'CREDENTIAL.REGISTRANT_APPROVAL_REQUIRED']);
      expect(
        (await http.put(`${credentialPath(who.ids.otherProvider)}/dea-registrations/${APPROVER_DEA}`, who.ops, { schedules: ['II', 'III'], state: 'IL', expiresOn: inDays(365) })).status,
      ).toBe(200);
      const second = await http.post(approvals, who.otherProvider);
      expect([second.status, second.body.epcsAccess]).toEqual([201, 'granted']);
      const credential = await http.get(`${credentialPath(who.ids.provider)}/credential`, who.provider);
      expect(credential.body.epcsAccess).toMatchObject({
        status: 'granted',
        approvals: [
          { approverRole: 'ops', approverDeaNumber: null },
          { approverId: who.ids.otherProvider, approverRole: 'provider', approverDeaNumber: APPROVER_DEA },
        ],
      });
      expect((await http.get(`${credentialPath(who.ids.provider)}/credential`, who.otherProvider)).status).toBe(403);
    });

    it('is refused without a DEA registration of the number on the prescription (403)', async () => {
      const { res } = await signOxycodone(nextCode());
      expect([res.status, res.body.code]).toEqual([403, 'PRESCRIPTION.DEA_REGISTRATION_NOT_FOUND']);
    });

    it('is refused when the registration does not cover schedule II (403)', async () => {
      await http.put(`${credentialPath(who.ids.provider)}/dea-registrations/${VALID_DEA}`, who.ops, { schedules: ['III', 'IV', 'V'], state: 'IL', expiresOn: inDays(365) });
      const { res } = await signOxycodone(nextCode());
      expect([res.status, res.body.code]).toEqual([403, 'PRESCRIPTION.DEA_SCHEDULE_NOT_AUTHORISED']);
    });

    it('is refused when the registration expired (403)', async () => {
      // Two UTC days back: the day before yesterday in UTC is over in Illinois too (a registration is
      // valid through its expiry day as its state counts days, and Illinois is behind UTC).
      await http.put(`${credentialPath(who.ids.provider)}/dea-registrations/${VALID_DEA}`, who.ops, { schedules: ['II', 'III', 'IV', 'V'], state: 'IL', expiresOn: inDays(-2) });
      const { res } = await signOxycodone(nextCode());
      expect([res.status, res.body.code]).toEqual([403, 'PRESCRIPTION.DEA_REGISTRATION_EXPIRED']);
    });

    it('is refused without the second factor once the credential is complete (403)', async () => {
      await http.put(`${credentialPath(who.ids.provider)}/dea-registrations/${VALID_DEA}`, who.ops, { schedules: ['II', 'III', 'IV', 'V'], state: 'IL', expiresOn: inDays(365) });
      const { res } = await signOxycodone(null);
      expect([res.status, res.body.code]).toEqual([403, 'PRESCRIPTION.SECOND_FACTOR_REQUIRED']);
    });

    it('is refused by video when the patient is in another state than the registration, or nobody recorded where (403)', async () => {
      const elsewhere = await signOxycodone(nextCode(), { modality: 'audio-video', patientLocationState: 'WI' });
      expect([elsewhere.res.status, elsewhere.res.body.code]).toEqual([403, 'PRESCRIPTION.DEA_REGISTRATION_STATE_MISMATCH']);
      expect(elsewhere.res.body.detail).toContain('the patient is in WI');
      const unknown = await signOxycodone(nextCode(), { modality: 'audio-video' });
      expect([unknown.res.status, unknown.res.body.code]).toEqual([403, 'PRESCRIPTION.PATIENT_LOCATION_UNKNOWN']);
    });

    it('refuses a draft whose patient location is not a US state, DC or territory (400 naming the field)', async () => {
      const res = await http.post('/v1/prescriptions', who.provider, { ...oxycodoneDraft(randomUUID()), encounter: { modality: 'audio-video', patientLocationState: 'ZZ' } });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['encounter.patientLocationState']);
    });

    it('signs with the complete credential and the code, recording the EPCS facts and the record signature', async () => {
      const { res, prescriptionId } = await signOxycodone(nextCode());
      expect(res.body.status).toBe('transmitted');
      const { rows } = await service.db.pool.query(`SELECT data FROM ${events} WHERE stream_id = $1 AND event_type = 'PrescriptionSigned'`, [`prescription-${prescriptionId}`]);
      expect(rows[0].data.controlledSubstance.epcs).toMatchObject({
        identityProofing: { credentialServiceProvider: 'Example CSP', assuranceLevel: 'IAL2', reference: 'csp-proof-42' },
        accessApprovedBy: [expect.any(String), who.ids.otherProvider],
        deaRegistration: { deaNumber: VALID_DEA, state: 'IL' },
      });
      expect(rows[0].data.recordSignature).toMatchObject({ format: 'carebridge.newrx+jcs.v1', algorithm: 'ES256' });
    });

    it('is refused again once one individual revokes the access (403)', async () => {
      const revoked = await http.post(`${credentialPath(who.ids.provider)}/epcs-access/revocation`, who.ops, { reason: 'credential reported lost' });
      expect([revoked.status, revoked.body.epcsAccess]).toEqual([200, 'none']);
      const { res } = await signOxycodone(totp(secret, new Date(Date.now() + 30_000)));
      expect([res.status, res.body.code]).toEqual([403, 'PRESCRIPTION.EPCS_ACCESS_NOT_GRANTED']);
    });

    it('leaves prescriptions that are not controlled unaffected (another prescriber, no credential)', async () => {
      const draft = { ...amoxicillinDraft(randomUUID()) };
      expect((await http.post('/v1/prescriptions', who.otherProvider, draft)).status).toBe(201);
      await relate(service, who.ids.otherProvider, draft.patientId);
      expect((await http.post(`/v1/prescriptions/${draft.prescriptionId}/check`, who.otherProvider)).status).toBe(200);
      const signed = await http.post(`/v1/prescriptions/${draft.prescriptionId}/sign`, who.otherProvider, { ...SIGN_PARTIES, pharmacyNcpdpId: ncpdpId });
      expect(signed.body.status).toBe('transmitted');
    });
  });

  describe('the authenticator bound to the grant', () => {
    it('refuses signing with a device enrolled after access was granted, until two people approve again (403)', async () => {
      const other = await cast(service.tokens);
      const first = fromBase32((await http.post('/v1/prescribers/me/one-time-code', other.provider)).body.secret);
      await grantEpcs(http, other);
      expect(first.length).toBe(20);
      const reenrolled = fromBase32((await http.post('/v1/prescribers/me/one-time-code', other.provider)).body.secret);
      const draft = oxycodoneDraft(randomUUID());
      expect((await http.post('/v1/prescriptions', other.provider, draft)).status).toBe(201);
      await relate(service, other.ids.provider, draft.patientId);
      expect((await http.post(`/v1/prescriptions/${draft.prescriptionId}/check`, other.provider)).status).toBe(200);
      const res = await http.post(`/v1/prescriptions/${draft.prescriptionId}/sign`, other.provider, { ...SIGN_PARTIES, pharmacyNcpdpId: ncpdpId, oneTimeCode: totp(reenrolled, new Date()) });
      expect([res.status, res.body.code]).toEqual([403, 'PRESCRIPTION.EPCS_TOKEN_ENROLLED_AFTER_GRANT']);
    });
  });

  describe('record signature', () => {
    let prescriptionId: string;
    let patient: string;

    beforeAll(async () => {
      patient = randomUUID();
      const draft = amoxicillinDraft(patient);
      prescriptionId = draft.prescriptionId;
      await draftAndCheck(draft);
      expect((await http.post(`/v1/prescriptions/${prescriptionId}/sign`, who.provider, { ...SIGN_PARTIES, pharmacyNcpdpId: ncpdpId })).body.status).toBe('transmitted');
    });

    it('serves the recorded signature to the prescriber, and verifies it against the public JWKS key id', async () => {
      const res = await http.get(`/v1/prescriptions/${prescriptionId}/signature`, who.provider);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ prescriptionId, signedBy: who.ids.provider, algorithm: 'ES256', digest: { algorithm: 'SHA-256', value: expect.stringMatching(/^[0-9a-f]{64}$/) } });
      const keys = await client(service.app).get('/v1/prescription-signing-keys', '').unset('authorization');
      expect(keys.body.keys.map((k: { kid: string }) => k.kid)).toContain(res.body.keyId);
      const verification = await http.get(`/v1/prescriptions/${prescriptionId}/signature/verification`, who.provider);
      expect(verification.body).toMatchObject({ valid: true, recordedDigest: res.body.digest.value, recomputedDigest: res.body.digest.value });
    });

    it("lets the pharmacy verify the signature on its own, with only the published keys", async () => {
      const res = await http.get(`/v1/prescriptions/${prescriptionId}/signature`, who.pharmacy);
      expect(res.status).toBe(200);
      const jwks = (await client(service.app).get('/v1/prescription-signing-keys', '').unset('authorization')).body;
      const { signedContent, ...record } = res.body;
      expect(JSON.parse(signedContent)).toMatchObject({ format: 'carebridge.newrx+jcs.v1', newRx: { prescriptionId }, signedBy: who.ids.provider });
      expect(verifyWithPublishedKeys(signedContent, record, jwks)).toMatchObject({ valid: true, digest: record.digest.value });
      // One changed byte, or a key that is not the signer's, and it does not verify.
      const tampered = signedContent.replace(/"daysSupply":\d+/, '"daysSupply":99');
      expect(tampered).not.toBe(signedContent);
      expect(verifyWithPublishedKeys(tampered, record, jwks)).toMatchObject({ valid: false, reason: 'digest-mismatch' });
      const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
      expect(verifyWithPublishedKeys(signedContent, record, { keys: [{ ...stranger, kid: record.keyId }] })).toMatchObject({ valid: false, reason: 'unknown-key' });
    });

    it('hides the signature from another provider (404)', async () => {
      expect((await http.get(`/v1/prescriptions/${prescriptionId}/signature`, who.otherProvider)).status).toBe(404);
    });

    it('fails verification when the stored NewRx was changed behind the application\u2019s back', async () => {
      // A database administrator disabling the immutability trigger to edit the record.
      const client_ = await service.db.pool.connect();
      try {
        await client_.query(`ALTER TABLE ${events} DISABLE TRIGGER events_immutable`);
        await client_.query(
          `UPDATE ${events} SET data = jsonb_set(data, '{newRx,quantity,value}', '300') WHERE stream_id = $1 AND event_type = 'PrescriptionTransmitted'`,
          [`prescription-${prescriptionId}`],
        );
        await client_.query(`ALTER TABLE ${events} ENABLE TRIGGER events_immutable`);
      } finally {
        client_.release();
      }
      const verification = await http.get(`/v1/prescriptions/${prescriptionId}/signature/verification`, who.provider);
      expect(verification.body).toMatchObject({ valid: false, reason: 'digest-mismatch' });
      expect(verification.body.recomputedDigest).not.toBe(verification.body.recordedDigest);
    });
  });

  describe('TOTP secrets at rest', () => {
    const otpTable = () => `${quoteIdent(service.db.schema)}.prescriber_otp`;
    const codes = () => service.app.get<symbol, OneTimeCodes>(ONE_TIME_CODES);

    it('stores an enrolled secret sealed (AES-256-GCM), never the secret itself', async () => {
      const provider = randomUUID();
      const token = await service.tokens.mint({ sub: provider, role: 'provider', providerId: provider });
      const enrolled = await http.post('/v1/prescribers/me/one-time-code', token);
      const plain = fromBase32(enrolled.body.secret);
      const { rows } = await service.db.pool.query(`SELECT secret, secret_format, key_id FROM ${otpTable()} WHERE provider_id = $1`, [provider]);
      expect(rows[0].secret_format).toBe('aes-256-gcm');
      expect(rows[0].key_id).toMatch(/^[0-9a-f]{16}$/);
      expect((rows[0].secret as Buffer).includes(plain)).toBe(false);
      expect(await codes().verify(provider, totp(plain, new Date()), new Date())).toMatchObject({ ok: true });
    });

    it('still reads a secret stored in clear before encryption, and seals it on use', async () => {
      const provider = randomUUID();
      const plain = randomBytes(20);
      await service.db.pool.query(`INSERT INTO ${otpTable()} (provider_id, secret, secret_format) VALUES ($1, $2, 'plain')`, [provider, plain]);
      expect(await codes().verify(provider, totp(plain, new Date()), new Date())).toMatchObject({ ok: true });
      const { rows } = await service.db.pool.query(`SELECT secret, secret_format FROM ${otpTable()} WHERE provider_id = $1`, [provider]);
      expect(rows[0].secret_format).toBe('aes-256-gcm');
      expect((rows[0].secret as Buffer).equals(plain)).toBe(false);
    });

    it('seals every plaintext secret in one sweep (what the service runs at boot)', async () => {
      const provider = randomUUID();
      const plain = randomBytes(20);
      await service.db.pool.query(`INSERT INTO ${otpTable()} (provider_id, secret, secret_format) VALUES ($1, $2, 'plain')`, [provider, plain]);
      expect(await codes().sealPlaintextSecrets()).toBeGreaterThanOrEqual(1);
      const { rows } = await service.db.pool.query(`SELECT secret_format FROM ${otpTable()} WHERE secret_format = 'plain'`);
      expect(rows).toEqual([]);
      expect(await codes().verify(provider, totp(plain, new Date()), new Date())).toMatchObject({ ok: true });
    });

    it('reports a secret sealed under another key as unreadable', async () => {
      const provider = randomUUID();
      await service.db.pool.query(`INSERT INTO ${otpTable()} (provider_id, secret, secret_format, key_id) VALUES ($1, $2, 'aes-256-gcm', 'other')`, [provider, randomBytes(48)]);
      expect(await codes().verify(provider, '123456', new Date())).toEqual({ ok: false, reason: 'secret-unreadable' });
    });
  });

  describe('controlled-substance table', () => {
    it('treats an oxycodone draft without a schedule as schedule II (a DEA number is then required)', async () => {
      const body = oxycodoneDraft(randomUUID());
      const withoutSchedule = { ...body, medication: { ...body.medication, deaSchedule: null } };
      const noDea = await http.post('/v1/prescriptions', who.provider, { ...withoutSchedule, prescriptionId: randomUUID(), prescriber: { npi: body.prescriber.npi } });
      expect([noDea.status, noDea.body.code]).toEqual([422, 'PRESCRIPTION.INCOMPLETE_NEWRX']);
      expect(noDea.body.detail).toContain('prescriber.deaNumber');
      expect((await http.post('/v1/prescriptions', who.provider, withoutSchedule)).status).toBe(201);
      const view = await http.get(`/v1/prescriptions/${body.prescriptionId}`, who.provider);
      expect(view.body.rx.medication.deaSchedule).toBe('II');
      expect(view.body.rx.controlledSubstanceTable).toMatchObject({ matchedRxcui: '1049621', tableSchedule: 'II', loweredReason: null });
    });

    it('refuses a lower schedule without a reason (422) and records it with one', async () => {
      const body = oxycodoneDraft(randomUUID());
      const lowered = { ...body, medication: { ...body.medication, deaSchedule: 'IV' } };
      const refused = await http.post('/v1/prescriptions', who.provider, lowered);
      expect([refused.status, refused.body.code]).toEqual([422, 'PRESCRIPTION.SCHEDULE_BELOW_TABLE']);
      const accepted = await http.post('/v1/prescriptions', who.provider, { ...lowered, deaScheduleLoweredReason: 'state-exempt product, verified with the pharmacist' });
      expect(accepted.status).toBe(201);
      const view = await http.get(`/v1/prescriptions/${body.prescriptionId}`, who.provider);
      expect(view.body.rx.controlledSubstanceTable.loweredReason).toBe('state-exempt product, verified with the pharmacist');
    });
  });
});
