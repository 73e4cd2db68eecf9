import { randomUUID } from 'node:crypto';
import { FhirConformance } from '@carebridge/fhir-http/testing';
import { type MonitoringTestApp, enrolPatient, minutesAgo, startMonitoringApp } from './monitoring-app.fixtures';

/** Issue 18: monitoring's FHIR endpoints driven by Medplum's client, every answer validated by Medplum's validator. */
describe('monitoring FHIR R4 conformance (MedplumClient)', () => {
  let t: MonitoringTestApp;
  let fhir: FhirConformance;
  beforeAll(async () => {
    t = await startMonitoringApp();
    fhir = new FhirConformance(await t.listen(), 'v1/fhir');
  });
  afterAll(() => t.close());

  it('searches and pages readings, reads Observation, Device and Patient, validates the vital-signs profiles claimed; errors are OperationOutcome', async () => {
    const enrolled = await enrolPatient(t);
    const readings = [
      { type: 'blood-pressure', measuredAt: minutesAgo(9), systolic: 128, diastolic: 82, unit: 'mmHg' },
      { type: 'heart-rate', measuredAt: minutesAgo(8), value: 71, unit: '/min' },
      { type: 'spo2', measuredAt: minutesAgo(7), value: 97, unit: '%' },
      { type: 'body-weight', measuredAt: minutesAgo(6), value: 81.2, unit: 'kg' },
      { type: 'body-temperature', measuredAt: minutesAgo(5), value: 36.9, unit: 'C' },
    ];
    await t.http().post(`/v1/devices/${enrolled.deviceId}/readings`).set('x-device-key', enrolled.apiKey).send({ readings }).expect(200);
    const provider = fhir.client(enrolled.careTeam[0]!.token);
    const patient = fhir.client(enrolled.patientToken);
    let all = await fhir.search(provider, 'Observation', { patient: `Patient/${enrolled.patientId}` });
    for (let i = 0; i < 50 && all.total !== readings.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      all = await fhir.search(provider, 'Observation', { patient: `Patient/${enrolled.patientId}` });
    }
    expect(all.total).toBe(readings.length);

    const statement = await fhir.capabilityStatement(fhir.client());
    expect((await fhir.searchAll(patient, 'Observation', { patient: enrolled.patientId }, 2)).pages).toBe(3);
    const heartRate = await fhir.search(provider, 'Observation', { patient: enrolled.patientId, code: 'http://loinc.org|8867-4' });
    expect(heartRate.total).toBe(1);
    await fhir.read(patient, 'Observation', String(heartRate.entry![0]!.resource.id));
    expect(await fhir.read(provider, 'Device', enrolled.deviceId)).toMatchObject({ patient: { reference: `Patient/${enrolled.patientId}` } });
    expect(await fhir.read(provider, 'Patient', enrolled.patientId)).toMatchObject({ generalPractitioner: enrolled.careTeam.map((m) => ({ reference: `Practitioner/${m.providerId}` })) });

    await fhir.expectOutcome(() => provider.search('Observation', {}), 400, 'invalid');
    await fhir.expectOutcome(() => provider.search('Observation', { patient: enrolled.patientId, code: 'not-a-loinc' }), 400, 'invalid');
    await fhir.expectOutcome(() => provider.search('Observation', { patient: enrolled.patientId, status: 'final' }, { headers: { Prefer: 'handling=strict' } }), 400, 'invalid');
    await fhir.expectOutcome(() => provider.readResource('Observation', randomUUID()), 404, 'not-found');
    await fhir.expectOutcome(() => provider.readResource('Device', enrolled.deviceId, { headers: { Accept: 'application/fhir+xml' } }), 406, 'not-supported');
    const stranger = fhir.client((await t.provider()).token);
    await fhir.expectOutcome(() => stranger.readResource('Patient', enrolled.patientId), 404, 'not-found');
    await fhir.expectOutcome(() => fhir.client().readResource('Device', enrolled.deviceId), 401, 'login');

    expect(fhir.compareWith(statement)).toEqual([]);
    expect([...fhir.profilesChecked].sort()).toEqual([...(statement.rest as { resource: { supportedProfile?: string[] }[] }[])[0]!.resource.flatMap((r) => r.supportedProfile ?? [])].sort());
    console.log(`monitoring FHIR: ${JSON.stringify({ validated: Object.fromEntries(fhir.validated), profiles: [...fhir.profilesChecked], requests: fhir.answers.length })}`);
  });
});
