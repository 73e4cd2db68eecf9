import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { FhirConformance } from '@carebridge/fhir-http/testing';
import { type TestService, cast, relate, startService } from './prescriptions-app.fixtures';

/** Issue 18: prescriptions' FHIR endpoints driven by Medplum's client, every answer validated by Medplum's validator (US Core MedicationRequest). */
describe('prescriptions FHIR R4 conformance (MedplumClient)', () => {
  let service: TestService;
  let fhir: FhirConformance;
  beforeAll(async () => {
    service = await startService();
    await service.app.listen(0, '127.0.0.1');
    fhir = new FhirConformance(`http://127.0.0.1:${(service.app.getHttpServer().address() as AddressInfo).port}`, 'v1/fhir');
  });
  afterAll(() => service.close());

  it('searches and pages MedicationRequests, reads them and the Patient; errors are OperationOutcome', async () => {
    const who = await cast(service.tokens);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await relate(service, who.ids.provider, who.ids.patient));
    const asProvider = fhir.client(who.provider);
    const asPatient = fhir.client(who.patient);

    const statement = await fhir.capabilityStatement(fhir.client());
    const mine = await fhir.searchAll(asPatient, 'MedicationRequest', { patient: `Patient/${who.ids.patient}` }, 2);
    expect(mine.pages).toBe(2);
    expect(mine.resources.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect((await fhir.search(asProvider, 'MedicationRequest', { patient: who.ids.patient })).total).toBe(3);
    expect(await fhir.read(asProvider, 'MedicationRequest', ids[0]!)).toMatchObject({ status: 'draft', intent: 'order', subject: { reference: `Patient/${who.ids.patient}` } });
    expect(await fhir.read(asProvider, 'Patient', who.ids.patient)).toEqual({ resourceType: 'Patient', id: who.ids.patient, active: true });

    await fhir.expectOutcome(() => asProvider.readResource('MedicationRequest', randomUUID()), 404, 'not-found');
    await fhir.expectOutcome(() => fhir.client(who.otherProvider).readResource('MedicationRequest', ids[0]!), 404, 'not-found');
    await fhir.expectOutcome(() => fhir.client(who.otherPatient).readResource('Patient', who.ids.patient), 404, 'not-found');
    await fhir.expectOutcome(() => asPatient.search('MedicationRequest', { patient: 'Practitioner/x' }), 400, 'invalid');
    await fhir.expectOutcome(() => asPatient.search('MedicationRequest', { status: 'active' }, { headers: { Prefer: 'handling=strict' } }), 400, 'invalid');
    await fhir.expectOutcome(() => asPatient.search('MedicationRequest', { _format: 'application/fhir+xml' }), 406, 'not-supported');
    await fhir.expectOutcome(() => fhir.client(who.ops).search('MedicationRequest', {}), 403, 'forbidden');

    expect(fhir.compareWith(statement)).toEqual([]);
    expect([...fhir.profilesChecked]).toEqual(['http://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequest']);
    console.log(`prescriptions FHIR: ${JSON.stringify({ validated: Object.fromEntries(fhir.validated), profiles: [...fhir.profilesChecked], requests: fhir.answers.length })}`);
  });
});
