import { AccessRecorder } from '@carebridge/access-audit';
import { readAccessEvents, runPolicyMatrix, servedRoutes } from '@carebridge/access-audit/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { VISITS_ACCESS_POLICY } from '../src/visits.access-policy';
import { type VisitsTestApp, startVisitsApp, visitInProgress } from './visits-app.fixtures';

const token = (auth: string) => auth.replace(/^Bearer /, '');

/** Issue 14: the access policy of visits, generated from its OpenAPI document and checked against the running service. */
describe('visits access policy matrix (from the OpenAPI document)', () => {
  let t: VisitsTestApp;
  afterAll(() => t.close());

  it('answers every operation, role, own and unrelated actor and break-the-glass as the table declares, each PHI call audited once', async () => {
    t = await startVisitsApp();
    const { visitId, appointmentId, patient, provider } = await visitInProgress(t);
    const stranger = await t.provider();
    const otherPatient = await t.patient();
    const report = await runPolicyMatrix({
      server: t.app.getHttpServer(),
      policy: VISITS_ACCESS_POLICY,
      own: {
        patient: { token: token(patient.auth), id: `user-${patient.patientId}` },
        provider: { token: token(provider.auth), id: `user-${provider.providerId}` },
        pharmacy: { token: await t.issuer.mint({ sub: 'pharmacy-1', role: 'pharmacy', pharmacyId: 'pharmacy-1' }), id: 'pharmacy-1' },
        payer: { token: await t.issuer.mint({ sub: 'payer-1', role: 'payer' }), id: 'payer-1' },
        ops: { token: token(await t.ops()), id: 'credentialing-1' },
      },
      unrelatedProvider: { token: token(stranger.auth), id: `user-${stranger.providerId}` },
      unrelatedPatient: { token: token(otherPatient.auth), id: `user-${otherPatient.patientId}` },
      patientId: patient.patientId,
      values: { patientId: patient.patientId, visitId, appointmentId, providerId: provider.providerId, id: visitId, encounter: `Encounter/${visitId}`, 'GET /fhir/R4/Patient/{id} id': patient.patientId, 'GET /fhir/R4/Practitioner/{id} id': provider.providerId },
      routes: servedRoutes((t.app as NestExpressApplication).getHttpAdapter().getInstance()),
      accessEvents: async () => {
        await t.app.get(AccessRecorder).flush();
        return readAccessEvents(t.db.pool, t.db.schema);
      },
    });
    console.log(`visits policy matrix: ${JSON.stringify({ ...report, problems: report.problems.length })}`);
    expect(report.problems).toEqual([]);
  });
});
