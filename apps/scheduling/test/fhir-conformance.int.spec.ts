import type { AddressInfo } from 'node:net';
import { FhirConformance } from '@carebridge/fhir-http/testing';
import { bookAs, localDay, localInstant, registerProvider, startSchedulingApp, type SchedulingTestApp } from './scheduling-app.fixtures';

/** Issue 18: scheduling's FHIR endpoints driven by Medplum's client, every answer validated by Medplum's validator. */
describe('scheduling FHIR R4 conformance (MedplumClient)', () => {
  let t: SchedulingTestApp;
  let fhir: FhirConformance;
  beforeAll(async () => {
    t = await startSchedulingApp();
    await t.app.listen(0, '127.0.0.1');
    fhir = new FhirConformance(`http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`, 'fhir/R4');
  });
  afterAll(() => t.close());

  it('reads, searches and pages every resource; errors are OperationOutcome; the CapabilityStatement lists exactly what was exercised', async () => {
    const provider = await registerProvider(t);
    const patient = await t.patient();
    const appointments: string[] = [];
    for (const days of [12, 13, 14]) appointments.push(await bookAs(t, patient, provider.providerId, localInstant(localDay(days), '09:30')));
    const asPatient = fhir.client(patient.token);
    const asProvider = fhir.client(provider.token);
    const anonymous = fhir.client();

    const statement = await fhir.capabilityStatement(anonymous);

    // Appointment: search by each parameter, paged two at a time; read.
    const byPatient = await fhir.searchAll(asPatient, 'Appointment', { patient: `Patient/${patient.patientId}`, date: [`ge${localDay(11)}`, `lt${localDay(20)}`] }, 2);
    expect(byPatient).toMatchObject({ pages: 2 });
    expect(byPatient.resources.map((r) => r.id).sort()).toEqual([...appointments].sort());
    const byPractitioner = await fhir.search(asProvider, 'Appointment', { practitioner: provider.providerId });
    expect(byPractitioner.total).toBe(3);
    await fhir.read(asPatient, 'Appointment', appointments[0]!);

    // Schedule, Slot (search paged, read by the id a search gave), Patient, Practitioner.
    await fhir.read(asPatient, 'Schedule', provider.providerId);
    const slots = await fhir.searchAll(asPatient, 'Slot', { schedule: `Schedule/${provider.providerId}`, start: [`ge${localDay(12)}`, `lt${localDay(13)}`] }, 4);
    expect(slots).toMatchObject({ pages: 2 });
    expect(slots.resources.filter((s) => s.status === 'busy')).toHaveLength(1);
    const slot = await fhir.read(asPatient, 'Slot', String(slots.resources[0]!.id));
    expect(slot).toEqual(slots.resources[0]);
    expect(await fhir.read(asProvider, 'Patient', patient.patientId)).toMatchObject({ resourceType: 'Patient', id: patient.patientId });
    expect(await fhir.read(asPatient, 'Practitioner', provider.providerId)).toMatchObject({ qualification: [{ code: { text: 'Licensed to practise in NY' } }, { code: { text: 'Licensed to practise in NJ' } }] });

    // Lenient by default: an unknown parameter is ignored and left out of the self link; strict refuses it.
    const lenient = await fhir.search(asPatient, 'Appointment', { patient: patient.patientId, 'unknown-param': 'x' });
    expect(lenient.link!.find((l) => l.relation === 'self')!.url).not.toContain('unknown-param');
    await fhir.expectOutcome(() => asPatient.search('Appointment', { 'unknown-param': 'x' }, { headers: { Prefer: 'handling=strict' } }), 400, 'invalid');

    // Error paths.
    await fhir.expectOutcome(() => asPatient.readResource('Appointment', '00000000-0000-4000-8000-000000000000'), 404, 'not-found');
    await fhir.expectOutcome(() => asPatient.readResource('Practitioner', '00000000-0000-4000-8000-000000000000'), 404, 'not-found');
    await fhir.expectOutcome(() => asPatient.readResource('Slot', `${provider.providerId}.1`), 404, 'not-found');
    await fhir.expectOutcome(() => asPatient.search('Appointment', { date: 'yesterday' }), 400, 'invalid');
    await fhir.expectOutcome(() => asPatient.search('Slot', {}), 400, 'invalid');
    await fhir.expectOutcome(() => asPatient.search('Appointment', { _count: '-1' }), 400, 'invalid');
    await fhir.expectOutcome(() => asPatient.readResource('Schedule', provider.providerId, { headers: { Accept: 'application/fhir+xml' } }), 406, 'not-supported');
    await fhir.expectOutcome(() => asPatient.search('Appointment', { _format: 'xml' }), 406, 'not-supported');
    await fhir.expectOutcome(() => anonymous.readResource('Schedule', provider.providerId), 401, 'login');
    const stranger = fhir.client((await t.patient()).token);
    await fhir.expectOutcome(() => stranger.readResource('Patient', patient.patientId), 404, 'not-found');
    await fhir.expectOutcome(() => stranger.search('Appointment', { patient: patient.patientId }), 404, 'not-found');

    expect(fhir.compareWith(statement)).toEqual([]);
    console.log(`scheduling FHIR: ${JSON.stringify({ validated: Object.fromEntries(fhir.validated), profiles: [...fhir.profilesChecked], requests: fhir.answers.length })}`);
  });
});
