import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AccessRecorder } from '@carebridge/access-audit';
import { readAccessEvents, runPolicyMatrix, servedRoutes } from '@carebridge/access-audit/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { TestSchema } from '@carebridge/testing';
import { BILLING_ACCESS_POLICY } from '../src/billing-eligibility.access-policy';
import { bookThroughScheduling, startBillingApp } from './billing-app.fixtures';

/** Issue 14: the access policy of billing-eligibility, generated from its OpenAPI document and checked against the running service. */
describe('billing-eligibility access policy matrix (from the OpenAPI document)', () => {
  let db: TestSchema;
  let app: NestExpressApplication;
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });

  it('answers every operation, role, own and unrelated actor and break-the-glass as the table declares, each PHI call audited once', async () => {
    let issuer;
    ({ db, app, issuer } = await startBillingApp('billing_policy'));
    const [patientId, treating, stranger, opsId, otherPatientId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const patient = await issuer.mint({ sub: patientId, role: 'patient', patientId });
    const recorded = await request(app.getHttpServer())
      .post(`/v1/patients/${patientId}/coverages`)
      .set({ authorization: `Bearer ${patient}`, 'idempotency-key': 'coverage' })
      .send({ payerKind: 'medicare-part-b', payerId: 'CMS', memberId: '1EG4TE5MK72', effectiveFrom: '2026-01-01', order: 'primary' })
      .expect(201);
    await bookThroughScheduling(db, treating, patientId);
    const report = await runPolicyMatrix({
      server: app.getHttpServer(),
      policy: BILLING_ACCESS_POLICY,
      own: {
        patient: { token: patient, id: patientId },
        provider: { token: await issuer.mint({ sub: treating, role: 'provider', providerId: treating }), id: treating },
        pharmacy: { token: await issuer.mint({ sub: 'pharmacy-1', role: 'pharmacy', pharmacyId: 'pharmacy-1' }), id: 'pharmacy-1' },
        payer: { token: await issuer.mint({ sub: 'CMS', role: 'payer' }), id: 'CMS' },
        ops: { token: await issuer.mint({ sub: opsId, role: 'ops' }), id: opsId },
      },
      unrelatedProvider: { token: await issuer.mint({ sub: stranger, role: 'provider', providerId: stranger }), id: stranger },
      unrelatedPatient: { token: await issuer.mint({ sub: otherPatientId, role: 'patient', patientId: otherPatientId }), id: otherPatientId },
      patientId,
      values: { patientId, coverageId: recorded.body.coverage.coverageId },
      routes: servedRoutes(app.getHttpAdapter().getInstance()),
      accessEvents: async () => {
        await app.get(AccessRecorder).flush();
        return readAccessEvents(db.pool, db.schema);
      },
    });
    console.log(`billing-eligibility policy matrix: ${JSON.stringify({ ...report, problems: report.problems.length })}`);
    expect(report.problems).toEqual([]);
  });
});
