/** Remote monitoring (skipped where the platform has no monitoring service): enrolment, a crisis reading, the alert. */
import { call, token, waitFor } from '../tour-client';
import { excerpt, seconds, TourFailure } from '../tour-output';
import { type TourGroup, type TourStep } from '../tour-runner';

const NO_MONITORING = 'the monitoring service is not part of this platform';

const providerEnrolsPatient: TourStep = {
  title: 'The provider enrols the patient in remote monitoring and a cuff is assigned (monitoring)',
  async run(state, note) {
    const { patientId, deviceId } = state;
    const { provider, providerToken } = state.plan;
    await call('POST', `/monitoring/v1/patients/${patientId}/enrolment`, {
      token: providerToken,
      key: state.key('rpm-enrolment'),
      body: { conditions: ['hypertension'], careTeam: [provider.providerId], billingPractitionerId: provider.providerId, established: true, escalateAfterSeconds: 900 },
    });
    await call('POST', `/monitoring/v1/patients/${patientId}/consent`, { token: await token('patient', patientId), key: state.key('rpm-consent') });
    await call('POST', '/monitoring/v1/devices', {
      token: providerToken,
      key: state.key('device'),
      body: { deviceId, serial: `BPM-TOUR-${state.runKey}`, kind: 'blood-pressure-monitor', manufacturer: 'Omron', model: 'BP7450' },
    });
    const assigned = await call('POST', `/monitoring/v1/devices/${deviceId}/assignments`, {
      token: providerToken,
      key: state.key('device-assignment'),
      body: { patientId, from: new Date(Date.now() - 60 * 60_000).toISOString() },
    });
    state.deviceKey = assigned.body.apiKey;
    if (!state.deviceKey) throw new TourFailure(`no device key in ${excerpt(assigned.body)}`);
    const plan = await call('GET', `/monitoring/v1/patients/${patientId}/care-plan`, { token: providerToken });
    note(`enrolled (hypertension), consented; cuff ${deviceId} assigned, its API key shown once`);
    note(`care-plan rules: ${(plan.body.rules as { ruleId: string }[]).map((r) => r.ruleId).join(', ')}`);
  },
};

export const remoteMonitoringEnrolment: TourGroup = {
  skipTitle: 'The provider enrols the patient in remote monitoring (monitoring)',
  skipWhy: (state) => (state.services.has('monitoring') ? undefined : NO_MONITORING),
  steps: [providerEnrolsPatient],
};

type OpenAlert = { alertId: string; ruleId: string; status: string; level: number; assigneeId: string };

const cuffPostsCrisisReading: TourStep = {
  title: 'At home, the cuff posts a crisis reading with its device key (monitoring)',
  async run(state, note) {
    const posted = await call('POST', `/monitoring/v1/devices/${state.deviceId}/readings`, {
      headers: { 'x-device-key': state.deviceKey! },
      body: { readings: [{ type: 'blood-pressure', measuredAt: new Date(Date.now() - 30_000).toISOString(), systolic: 184, diastolic: 112, unit: 'mmHg' }] },
    });
    note(`reading ${excerpt(posted.body.results[0])}`);
    const raised = await waitFor('an open alert for the patient (raised with the readings)', async () => {
      const alerts = await call('GET', `/monitoring/v1/patients/${state.patientId}/alerts?status=open`, { token: state.plan.providerToken });
      return (alerts.body.alerts as OpenAlert[])[0];
    });
    note(`alert raised after ${seconds(raised.waitedMs)}: ${excerpt(raised.value, 300)}`);
    state.alertId = raised.value.alertId;
    state.ids.alertId = raised.value.alertId;
  },
};

const providerAcknowledgesAlert: TourStep = {
  title: 'The provider acknowledges the alert (monitoring)',
  async run(state, note) {
    const acked = await call('POST', `/monitoring/v1/alerts/${state.alertId}/acknowledge`, { token: state.plan.providerToken, key: state.key('ack') });
    if (acked.body.status !== 'acknowledged') throw new TourFailure(`unexpected answer ${excerpt(acked.body)}`);
    note(`alert ${acked.body.status} by ${state.plan.provider.name}: ${excerpt(acked.body, 260)}`);
  },
};

export const crisisReadingAndAlert: TourGroup = {
  skipTitle: 'A cuff posts a crisis reading; an alert is raised and acknowledged (monitoring)',
  skipWhy: (state) => (state.services.has('monitoring') && state.deviceKey ? undefined : NO_MONITORING),
  steps: [cuffPostsCrisisReading, providerAcknowledgesAlert],
};
