import { AccessRecorder } from '@carebridge/access-audit';
import { readAccessEvents, runPolicyMatrix, servedRoutes } from '@carebridge/access-audit/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { eventually } from '@carebridge/testing';
import { MONITORING_ACCESS_POLICY } from '../src/monitoring.access-policy';
import { type MonitoringTestApp, enrolPatient, minutesAgo, startMonitoringApp } from './monitoring-app.fixtures';

/** Issue 14: the access policy of monitoring, generated from its OpenAPI document and checked against the running service. */
describe('monitoring access policy matrix (from the OpenAPI document)', () => {
  let t: MonitoringTestApp;
  afterAll(() => t.close());

  it('answers every operation, role, own and unrelated actor and break-the-glass as the table declares, each PHI call audited once', async () => {
    t = await startMonitoringApp();
    const enrolled = await enrolPatient(t, { conditions: ['hypertension'] });
    await t.http().post(`/v1/devices/${enrolled.deviceId}/readings`).set('x-device-key', enrolled.apiKey).send({ readings: [{ type: 'heart-rate', measuredAt: minutesAgo(5), value: 72 }] }).expect(200);
    // A crisis reading raises an alert: the alert routes act on a real one (an unknown alert id is 404 ACCESS.NOT_FOUND to everyone).
    await t.http().post(`/v1/devices/${enrolled.deviceId}/readings`).set('x-device-key', enrolled.apiKey).send({ readings: [{ type: 'blood-pressure', measuredAt: minutesAgo(4), systolic: 185, diastolic: 110, unit: 'mmHg' }] }).expect(200);
    const own = enrolled.careTeam[0]!;
    const alertId = await eventually(async () => {
      const alerts = await t.http().get(`/v1/patients/${enrolled.patientId}/alerts`).set('authorization', `Bearer ${own.token}`).expect(200);
      return (alerts.body.alerts as { alertId: string }[] | undefined)?.[0]?.alertId;
    });
    let observations = await t.http().get('/v1/fhir/Observation').query({ patient: enrolled.patientId }).set('authorization', `Bearer ${own.token}`);
    for (let i = 0; i < 50 && !(observations.body.entry?.length > 0); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      observations = await t.http().get('/v1/fhir/Observation').query({ patient: enrolled.patientId }).set('authorization', `Bearer ${own.token}`);
    }
    const stranger = await t.provider();
    const otherPatient = await t.patient();
    const pharmacy = await t.issuer.mint({ sub: 'pharmacy-1', role: 'pharmacy', pharmacyId: 'pharmacy-1' });
    const payer = await t.issuer.mint({ sub: 'payer-1', role: 'payer' });
    const report = await runPolicyMatrix({
      server: t.app.getHttpServer(),
      policy: MONITORING_ACCESS_POLICY,
      own: {
        patient: { token: enrolled.patientToken, id: `user-${enrolled.patientId}` },
        provider: { token: own.token, id: `user-${own.providerId}` },
        pharmacy: { token: pharmacy, id: 'pharmacy-1' },
        payer: { token: payer, id: 'payer-1' },
        ops: { token: await t.ops(), id: 'gateway-1' },
      },
      unrelatedProvider: { token: stranger.token, id: `user-${stranger.providerId}` },
      unrelatedPatient: { token: otherPatient.token, id: `user-${otherPatient.patientId}` },
      patientId: enrolled.patientId,
      values: { patientId: enrolled.patientId, deviceId: enrolled.deviceId, id: observations.body.entry[0].resource.id, 'GET /v1/fhir/Device/{id} id': enrolled.deviceId, 'GET /v1/fhir/Patient/{id} id': enrolled.patientId, ruleId: 'bp-systolic-high', alertId },
      routes: servedRoutes((t.app as NestExpressApplication).getHttpAdapter().getInstance()),
      accessEvents: async () => {
        await t.app.get(AccessRecorder).flush();
        return readAccessEvents(t.db.pool, t.db.schema);
      },
    });
    console.log(`monitoring policy matrix: ${JSON.stringify({ ...report, problems: report.problems.length })}`);
    expect(report.problems).toEqual([]);
  });
});
