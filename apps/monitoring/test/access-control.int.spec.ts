import { randomUUID } from 'node:crypto';
import { AccessRecorder } from '@carebridge/access-audit';
import { readAccessEvents } from '@carebridge/access-audit/testing';
import { type EnrolledPatient, type MonitoringTestApp, enrolPatient, startMonitoringApp } from './monitoring-app.fixtures';

/**
 * Issue 14, monitoring: any provider could read any device and the patient it is assigned to
 * (GET /v1/devices/{id}), and none of monitoring's 17 PHI reads was audited.
 */
describe('monitoring: care relationships and the access audit (issue 14)', () => {
  let t: MonitoringTestApp;
  let enrolled: EnrolledPatient;
  let stranger: { providerId: string; token: string };
  const emergency = { 'x-purpose-of-use': 'EMERGENCY', 'x-break-glass-reason': 'patient called from the ED, device readings needed' };
  const events = async () => {
    await t.app.get(AccessRecorder).flush();
    return readAccessEvents(t.db.pool, t.db.schema);
  };

  beforeAll(async () => {
    t = await startMonitoringApp();
    enrolled = await enrolPatient(t);
    stranger = await t.provider();
  });
  afterAll(() => t.close());

  it('answers 404 to a provider outside the care team reading a device, and 200 with the patient to the care team', async () => {
    const unrelated = await t.http().get(`/v1/devices/${enrolled.deviceId}`).set('authorization', `Bearer ${stranger.token}`);
    expect([unrelated.status, unrelated.body.code]).toEqual([404, 'ACCESS.NOT_FOUND']);
    expect(JSON.stringify(unrelated.body)).not.toContain(enrolled.patientId);
    const careTeam = await t.http().get(`/v1/devices/${enrolled.deviceId}`).set('authorization', `Bearer ${enrolled.careTeam[1]!.token}`);
    expect(careTeam.status).toBe(200);
    expect(careTeam.body.assignments).toEqual([expect.objectContaining({ patientId: enrolled.patientId })]);
  });

  it("answers the same 404 for another patient's readings as for an unknown patient", async () => {
    const theirs = await t.http().get(`/v1/patients/${enrolled.patientId}/readings`).set('authorization', `Bearer ${stranger.token}`);
    const unknown = await t.http().get(`/v1/patients/${randomUUID()}/readings`).set('authorization', `Bearer ${stranger.token}`);
    expect([theirs.status, theirs.body]).toEqual([unknown.status, { ...unknown.body, instance: theirs.body.instance, correlationId: theirs.body.correlationId }]);
    expect([theirs.status, theirs.body.code]).toEqual([404, 'ACCESS.NOT_FOUND']);
  });

  it('lets break-the-glass through and records it for review', async () => {
    const res = await t.http().get(`/v1/devices/${enrolled.deviceId}`).set('authorization', `Bearer ${stranger.token}`).set(emergency);
    expect(res.status).toBe(200);
    expect((await events()).at(-1)).toMatchObject({
      actor: { id: `user-${stranger.providerId}`, role: 'provider' },
      purpose: 'EMERGENCY',
      breakTheGlass: true,
      reason: emergency['x-break-glass-reason'],
      patientIds: [enrolled.patientId],
      operation: 'GET /v1/devices/{deviceId}',
    });
  });

  it('records every PHI read once, with actor, purpose and patient', async () => {
    const provider = enrolled.careTeam[0]!;
    const reads = [
      `/v1/patients/${enrolled.patientId}/care-plan`,
      `/v1/patients/${enrolled.patientId}/readings`,
      `/v1/patients/${enrolled.patientId}/alerts`,
      `/v1/patients/${enrolled.patientId}/adherence`,
      `/v1/patients/${enrolled.patientId}/rpm-periods`,
      `/v1/fhir/Observation?patient=Patient/${enrolled.patientId}`,
      `/v1/fhir/Device/${enrolled.deviceId}`,
      `/v1/devices/${enrolled.deviceId}`,
    ];
    const before = (await events()).length;
    for (const path of reads) {
      const res = await t.http().get(path).set('authorization', `Bearer ${provider.token}`).set('x-purpose-of-use', 'TREAT');
      expect([path, res.status]).toEqual([path, 200]);
    }
    const recorded = (await events()).slice(before);
    expect(recorded.map((e) => e.resource)).toEqual(reads.map((p) => p.split('?')[0]));
    for (const e of recorded) {
      expect(e).toMatchObject({ actor: { id: `user-${provider.providerId}`, role: 'provider' }, purpose: 'TREAT', outcome: 'granted', breakTheGlass: false });
      expect(e.patientIds).toEqual([enrolled.patientId]);
    }
  });

  it('records the live view once per subscription', async () => {
    const base = await t.listen();
    const before = (await events()).length;
    const controller = new AbortController();
    const res = await fetch(`${base}/v1/patients/${enrolled.patientId}/readings/live`, { headers: { authorization: `Bearer ${enrolled.patientToken}` }, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    const recorded = (await events()).slice(before);
    expect(recorded).toEqual([expect.objectContaining({ operation: 'GET /v1/patients/{patientId}/readings/live', purpose: 'PATIENT-REQUEST', patientIds: [enrolled.patientId] })]);
  });
});
