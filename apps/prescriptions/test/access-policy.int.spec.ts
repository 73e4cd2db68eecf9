import { randomUUID } from 'node:crypto';
import { AccessRecorder } from '@carebridge/access-audit';
import { readAccessEvents, runPolicyMatrix, servedRoutes } from '@carebridge/access-audit/testing';
import { PRESCRIPTIONS_ACCESS_POLICY } from '../src/http/prescriptions.access-policy';
import { cast, client, pharmacyListing, randomNcpdpId, relate, startService, type TestService } from './prescriptions-app.fixtures';

/** Issue 14: the access policy of prescriptions, generated from its OpenAPI document and checked against the running service. */
describe('prescriptions access policy matrix (from the OpenAPI document)', () => {
  let service: TestService;
  afterAll(() => service.close());

  it('answers every operation, role, own and unrelated actor and break-the-glass as the table declares, each PHI call audited once', async () => {
    service = await startService();
    const who = await cast(service.tokens);
    const [payerId, pharmacySub, opsSub] = [randomUUID(), randomUUID(), randomUUID()];
    const ncpdpId = randomNcpdpId();
    expect((await client(service.app).post('/v1/pharmacies', who.ops, pharmacyListing(who.ids.pharmacy, ncpdpId))).status).toBe(201);
    const prescriptionId = await relate(service, who.ids.provider, who.ids.patient);
    const report = await runPolicyMatrix({
      server: service.app.getHttpServer(),
      policy: PRESCRIPTIONS_ACCESS_POLICY,
      own: {
        patient: { token: who.patient, id: who.ids.patient },
        provider: { token: who.provider, id: who.ids.provider },
        pharmacy: { token: await service.tokens.mint({ sub: pharmacySub, role: 'pharmacy', pharmacyId: who.ids.pharmacy }), id: pharmacySub },
        payer: { token: await service.tokens.mint({ sub: payerId, role: 'payer' }), id: payerId },
        ops: { token: await service.tokens.mint({ sub: opsSub, role: 'ops' }), id: opsSub },
      },
      unrelatedProvider: { token: who.otherProvider, id: who.ids.otherProvider },
      unrelatedPatient: { token: who.otherPatient, id: who.ids.otherPatient },
      patientId: who.ids.patient,
      values: { patientId: who.ids.patient, prescriptionId, providerId: who.ids.provider, ncpdpId, 'GET /v1/fhir/MedicationRequest/{id} id': prescriptionId, 'GET /v1/fhir/Patient/{id} id': who.ids.patient },
      routes: servedRoutes(service.app.getHttpAdapter().getInstance()),
      accessEvents: async () => {
        await service.app.get(AccessRecorder).flush();
        return readAccessEvents(service.db.pool, service.db.schema);
      },
    });
    console.log(`prescriptions policy matrix: ${JSON.stringify({ ...report, problems: report.problems.length })}`);
    expect(report.problems).toEqual([]);
  });
});
