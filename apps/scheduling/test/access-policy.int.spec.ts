import { randomUUID } from 'node:crypto';
import { AccessRecorder } from '@carebridge/access-audit';
import { readAccessEvents, runPolicyMatrix, servedRoutes } from '@carebridge/access-audit/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SCHEDULING_ACCESS_POLICY } from '../src/scheduling.access-policy';
import { type SchedulingTestApp, bookAs, localDay, localInstant, registerProvider, startSchedulingApp } from './scheduling-app.fixtures';

/** Issue 14: the access policy of scheduling, generated from its OpenAPI document and checked against the running service. */
describe('scheduling access policy matrix (from the OpenAPI document)', () => {
  let t: SchedulingTestApp;
  afterAll(() => t.close());

  it('answers every operation, role, own and unrelated actor and break-the-glass as the table declares, each PHI call audited once', async () => {
    t = await startSchedulingApp();
    const provider = await registerProvider(t);
    const stranger = await registerProvider(t);
    const patient = await t.patient();
    const otherPatient = await t.patient();
    const appointmentId = await bookAs(t, patient, provider.providerId, localInstant(localDay(7), '09:00'));
    const day = localDay(9);
    const waitlisted = await t
      .http()
      .post('/v1/waitlist')
      .set('authorization', `Bearer ${patient.token}`)
      .set('idempotency-key', randomUUID())
      .send({ specialty: 'dermatology', modality: 'video', patientState: 'NY', from: day, to: day, timeZone: 'America/New_York' })
      .expect(201);
    const report = await runPolicyMatrix({
      server: t.app.getHttpServer(),
      policy: SCHEDULING_ACCESS_POLICY,
      own: {
        patient: { token: patient.token, id: `user-${patient.patientId}` },
        provider: { token: provider.token, id: `user-${provider.providerId}` },
        pharmacy: { token: await t.issuer.mint({ sub: 'pharmacy-1', role: 'pharmacy', pharmacyId: 'pharmacy-1' }), id: 'pharmacy-1' },
        payer: { token: await t.issuer.mint({ sub: 'payer-1', role: 'payer' }), id: 'payer-1' },
        ops: { token: await t.ops(), id: 'scheduler-1' },
      },
      unrelatedProvider: { token: stranger.token, id: `user-${stranger.providerId}` },
      unrelatedPatient: { token: otherPatient.token, id: `user-${otherPatient.patientId}` },
      patientId: patient.patientId,
      values: {
        patientId: patient.patientId,
        appointmentId,
        providerId: provider.providerId,
        'GET /fhir/R4/Appointment/{id} id': appointmentId,
        'GET /fhir/R4/Schedule/{id} id': provider.providerId,
        'GET /fhir/R4/Patient/{id} id': patient.patientId,
        'GET /fhir/R4/Practitioner/{id} id': provider.providerId,
        entryId: waitlisted.body.entryId,
      },
      routes: servedRoutes((t.app as NestExpressApplication).getHttpAdapter().getInstance()),
      accessEvents: async () => {
        await t.app.get(AccessRecorder).flush();
        return readAccessEvents(t.db.pool, t.db.schema);
      },
    });
    console.log(`scheduling policy matrix: ${JSON.stringify({ ...report, problems: report.problems.length })}`);
    expect(report.problems).toEqual([]);
  });
});
