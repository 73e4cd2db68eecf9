import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { FhirConformance } from '@carebridge/fhir-http/testing';
import { type VisitsTestApp, startVisitsApp, visitInProgress } from './visits-app.fixtures';

const token = (auth: string) => auth.replace(/^Bearer /, '');

/** Issue 18: visits' FHIR endpoints driven by Medplum's client, every answer validated by Medplum's validator. */
describe('visits FHIR R4 conformance (MedplumClient)', () => {
  let t: VisitsTestApp;
  let fhir: FhirConformance;
  beforeAll(async () => {
    t = await startVisitsApp();
    await t.app.listen(0, '127.0.0.1');
    fhir = new FhirConformance(`http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`, 'fhir/R4');
  });
  afterAll(() => t.close());

  it('reads the Encounter without ?purpose=, pages its vital signs, validates them against the profiles they claim; errors are OperationOutcome', async () => {
    const { visitId, patient, provider } = await visitInProgress(t);
    const vitals = (body: object) =>
      t.http().post(`/v1/visits/${visitId}/vitals`).set('authorization', patient.auth).set('idempotency-key', randomUUID()).send({ measuredAt: new Date().toISOString(), ...body }).expect(201);
    await vitals({ temperature: { value: 37.2, unit: 'Cel' }, bloodPressure: { systolic: 122, diastolic: 78, unit: 'mm[Hg]' }, heartRate: { value: 72, unit: '/min' } });
    await vitals({ spo2: { value: 97, unit: '%' }, weight: { value: 70.5, unit: 'kg' } });
    const asPatient = fhir.client(token(patient.auth));
    const asProvider = fhir.client(token(provider.auth));

    const statement = await fhir.capabilityStatement(fhir.client());
    // A standard client sends no purpose: the provider's read is recorded as treatment, the patient's as patient access.
    expect(await fhir.read(asProvider, 'Encounter', visitId)).toMatchObject({ resourceType: 'Encounter', id: visitId, class: { code: 'VR' } });
    await fhir.read(asPatient, 'Encounter', visitId);
    const reads = (await t.http().get(`/v1/visits/${visitId}/access-log`).set('authorization', patient.auth).expect(200)).body.reads as { view: string; purpose: string }[];
    expect(reads.filter((r) => r.view === 'fhir-encounter').map((r) => r.purpose)).toEqual(['treatment', 'patient-access']);

    const observations = await fhir.searchAll(asProvider, 'Observation', { encounter: `Encounter/${visitId}`, category: 'vital-signs' }, 2);
    expect(observations.pages).toBe(3);
    expect(observations.resources).toHaveLength(5);
    expect(await fhir.read(asProvider, 'Patient', patient.patientId)).toEqual({ resourceType: 'Patient', id: patient.patientId, active: true });
    expect(await fhir.read(asPatient, 'Practitioner', provider.providerId)).toMatchObject({ qualification: [{ code: { text: 'Licensed to practise in NY' } }] });

    await fhir.expectOutcome(() => asPatient.search('Observation', {}), 400, 'invalid');
    await fhir.expectOutcome(() => asPatient.search('Observation', { encounter: visitId, unknown: '1' }, { headers: { Prefer: 'handling=strict' } }), 400, 'invalid');
    await fhir.expectOutcome(() => asPatient.readResource('Encounter', visitId, { headers: { 'X-Purpose-Of-Use': 'GOSSIP' } }), 400, 'invalid');
    await fhir.expectOutcome(() => asPatient.readResource('Encounter', visitId, { headers: { Accept: 'application/fhir+xml' } }), 406, 'not-supported');
    await fhir.expectOutcome(() => asPatient.readResource('Encounter', randomUUID()), 404, 'not-found');
    await fhir.expectOutcome(() => asPatient.readResource('Practitioner', randomUUID()), 404, 'not-found');
    const stranger = await t.patient();
    await fhir.expectOutcome(() => fhir.client(token(stranger.auth)).readResource('Encounter', visitId), 403, 'forbidden');
    await fhir.expectOutcome(() => fhir.client(token(stranger.auth)).readResource('Patient', patient.patientId), 404, 'not-found');
    const ops = fhir.client(token(await t.ops()));
    await fhir.expectOutcome(() => ops.readResource('Encounter', visitId), 403, 'forbidden');
    await fhir.expectOutcome(() => fhir.client().search('Observation', { encounter: visitId }), 401, 'login');

    expect(fhir.compareWith(statement)).toEqual([]);
    expect([...fhir.profilesChecked].sort()).toEqual([...(statement.rest as { resource: { supportedProfile?: string[] }[] }[])[0]!.resource.flatMap((r) => r.supportedProfile ?? [])].sort());
    console.log(`visits FHIR: ${JSON.stringify({ validated: Object.fromEntries(fhir.validated), profiles: [...fhir.profilesChecked], requests: fhir.answers.length })}`);
  });
});
