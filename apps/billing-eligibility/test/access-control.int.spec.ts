import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AccessRecorder } from '@carebridge/access-audit';
import { readAccessEvents } from '@carebridge/access-audit/testing';
import { type DevTokenIssuer, errorCodeOf } from '@carebridge/platform';
import type { TestSchema } from '@carebridge/testing';
import { bookThroughScheduling, startBillingApp } from './billing-app.fixtures';

/**
 * Issue 14, billing-eligibility: any provider could read and PATCH any patient's coverages
 * (member id) and read the determinations, mental-health or substance-use purpose included; none
 * of the 10 PHI reads was audited.
 */
describe('billing-eligibility: care relationships and the access audit (issue 14)', () => {
  let db: TestSchema;
  let app: NestExpressApplication;
  let issuer: DevTokenIssuer;
  const patientId = randomUUID();
  const treating = randomUUID();
  const stranger = randomUUID();
  const tokens: Record<string, string> = {};
  let coverageId: string;
  const http = () => request(app.getHttpServer());
  const events = async () => {
    await app.get(AccessRecorder).flush();
    return readAccessEvents(db.pool, db.schema);
  };

  beforeAll(async () => {
    ({ db, app, issuer } = await startBillingApp('billing_access'));
    tokens.patient = await issuer.mint({ sub: patientId, role: 'patient', patientId });
    tokens.treating = await issuer.mint({ sub: treating, role: 'provider', providerId: treating });
    tokens.stranger = await issuer.mint({ sub: stranger, role: 'provider', providerId: stranger });
    tokens.ops = await issuer.mint({ sub: randomUUID(), role: 'ops' });
    const recorded = await http()
      .post(`/v1/patients/${patientId}/coverages`)
      .set('authorization', `Bearer ${tokens.patient}`)
      .set('idempotency-key', 'coverage-1')
      .send({ payerKind: 'medicare-part-b', payerId: 'CMS', memberId: '1EG4TE5MK72', effectiveFrom: '2026-01-01', order: 'primary' })
      .expect(201);
    coverageId = recorded.body.coverage.coverageId;
    await bookThroughScheduling(db, treating, patientId);
  });
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });

  it("answers 404 to a provider with no booking of the patient: coverages, member id, PATCH, determinations, FHIR Coverage", async () => {
    const auth = { authorization: `Bearer ${tokens.stranger}` };
    const reads = [
      await http().get(`/v1/patients/${patientId}/coverages`).set(auth),
      await http().get(`/patients/${patientId}/coverages`).set(auth),
      await http().get(`/v1/patients/${patientId}/eligibility-determinations`).set(auth),
      await http().get(`/fhir/R4/Coverage?patient=${patientId}`).set(auth),
      await http().patch(`/v1/patients/${patientId}/coverages/${coverageId}`).set(auth).send({ memberId: 'HIJACKED' }),
    ];
    // The FHIR read answers an OperationOutcome carrying the same code.
    expect(reads.map((r) => [r.status, errorCodeOf(r.body)])).toEqual(reads.map(() => [404, 'ACCESS.NOT_FOUND']));
    for (const r of reads) expect(JSON.stringify(r.body)).not.toContain('1EG4TE5MK72');
    const coverages = await http().get(`/v1/patients/${patientId}/coverages`).set('authorization', `Bearer ${tokens.patient}`).expect(200);
    expect(coverages.body.coverages[0].memberId).toBe('1EG4TE5MK72');
  });

  it('lets the treating provider of a booking read coverages and determinations, each read recorded once', async () => {
    const before = (await events()).length;
    const auth = { authorization: `Bearer ${tokens.treating}`, 'x-purpose-of-use': 'PAYMENT' };
    expect((await http().get(`/v1/patients/${patientId}/coverages`).set(auth)).status).toBe(200);
    const determinations = await http().get(`/v1/patients/${patientId}/eligibility-determinations`).set(auth);
    expect(determinations.status).toBe(200);
    expect(determinations.body.determinations).toHaveLength(1);
    const recorded = (await events()).slice(before);
    expect(recorded.map((e) => [e.operation, e.actor.id, e.purpose, e.patientIds, e.outcome])).toEqual([
      ['GET /v1/patients/{patientId}/coverages', treating, 'PAYMENT', [patientId], 'granted'],
      ['GET /v1/patients/{patientId}/eligibility-determinations', treating, 'PAYMENT', [patientId], 'granted'],
    ]);
  });

  it('records refused attempts too, and break-the-glass with its reason', async () => {
    const before = (await events()).length;
    await http().get(`/v1/patients/${patientId}/coverages`).set('authorization', `Bearer ${tokens.stranger}`).expect(404);
    await http()
      .get(`/v1/patients/${patientId}/coverages`)
      .set({ authorization: `Bearer ${tokens.stranger}`, 'x-purpose-of-use': 'EMERGENCY', 'x-break-glass-reason': 'admitted unconscious, coverage needed' })
      .expect(200);
    const recorded = (await events()).slice(before);
    expect(recorded.map((e) => [e.outcome, e.breakTheGlass, e.purpose])).toEqual([
      ['not-found', false, 'TREAT'],
      ['granted', true, 'EMERGENCY'],
    ]);
    const disclosures = await http().get('/v1/access/disclosures').set('authorization', `Bearer ${tokens.patient}`).expect(200);
    expect(disclosures.body.disclosures).toEqual(expect.arrayContaining([expect.objectContaining({ actor: { id: stranger, role: 'provider' }, breakTheGlass: true, reason: 'admitted unconscious, coverage needed' })]));
  });
});
