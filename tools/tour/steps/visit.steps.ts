/** The visit: check-in, the waiting room, the provider's findings, completion with an intent and a follow-up. */
import { call, database, token, waitFor } from '../tour-client';
import { excerpt, TourFailure } from '../tour-output';
import { type TourStep } from '../tour-runner';

export const patientChecksIn: TourStep = {
  title: 'The patient checks in (scheduling front desk, then the visits waiting room with a device check)',
  async run(state, note) {
    const patientToken = await token('patient', state.patientId);
    const desk = await call('POST', `/scheduling/v1/appointments/${state.appointment.appointmentId}/check-in`, { token: patientToken, key: state.key('check-in') });
    note(`scheduling: appointment ${desk.body.status}, ${desk.body.minutesLate} min late`);
    const room = await call('POST', state.visitRoute('/check-in'), {
      token: patientToken,
      body: { locationState: state.plan.patientState, device: { camera: true, microphone: true, bandwidthKbps: 2400 } },
    });
    note(`visits: ${excerpt(room.body)}`);
  },
};

export const providerAdmits: TourStep = {
  title: 'The provider sees the waiting room and admits the patient (licence checked again)',
  async run(state, note) {
    const { providerToken } = state.plan;
    const room = await call('GET', '/visits/v1/waiting-room', { token: providerToken });
    const waiting = (room.body.patients as { visitId: string; waitingSeconds: number }[]).find((p) => p.visitId === state.visitId);
    if (!waiting) throw new TourFailure(`the patient is not in the waiting room: ${excerpt(room.body)}`);
    note(`waiting room: ${room.body.patients.length} patient(s), ours for ${waiting.waitingSeconds} s`);
    const admitted = await call('POST', state.visitRoute('/admit'), { token: providerToken });
    note(`admitted: ${excerpt(admitted.body)}`);
  },
};

export const providerRecordsFindings: TourStep = {
  title: 'The provider records vitals, symptoms, a note and the diagnosis (visits)',
  async run(state, note) {
    const { providerToken } = state.plan;
    const vitals = await call('POST', state.visitRoute('/vitals'), {
      token: providerToken,
      key: state.key('vitals'),
      expect: [201],
      body: {
        measuredAt: new Date().toISOString(),
        bloodPressure: { systolic: 152, diastolic: 96, unit: 'mm[Hg]' },
        heartRate: { value: 78, unit: '/min' },
        weight: { value: 88.4, unit: 'kg' },
      },
    });
    note(`vitals ${vitals.body.vitalsId}: BP 152/96 mm[Hg], HR 78 /min, 88.4 kg`);
    await call('PUT', state.visitRoute('/symptoms'), { token: providerToken, body: { symptoms: ['headache'], history: 'A week of home readings around 150/95.' } });
    await call('PUT', state.visitRoute('/note'), {
      token: providerToken,
      body: {
        subjective: 'Morning headaches, home BP ~150/95 for a week.',
        objective: 'BP 152/96, HR 78 on video with home cuff.',
        assessment: 'Stage 2 hypertension, new.',
        plan: 'Start lisinopril 10 mg daily; remote BP monitoring; recheck in 4 weeks.',
      },
    });
    const dx = await call('POST', state.visitRoute('/diagnoses'), { token: providerToken, body: { code: 'I10', display: 'Essential (primary) hypertension' } });
    note(`diagnoses ${excerpt(dx.body.diagnoses)}`);
  },
};

export const providerCompletesVisit: TourStep = {
  title: 'The provider completes the visit with a prescription intent and an in-person follow-up (visits → scheduling)',
  async run(state, note) {
    const { providerToken } = state.plan;
    const done = await call('POST', state.visitRoute('/complete'), {
      token: providerToken,
      body: {
        disposition: 'in-person-follow-up',
        followUp: { reasonCode: 'blood-pressure-recheck', withinDays: 14 },
        prescriptions: [
          { rxnormCode: '314076', name: 'Lisinopril 10 MG Oral Tablet', sig: 'Take 1 tablet by mouth once daily', quantity: { value: 30, unit: 'tablet' }, daysSupply: 30, refills: 2 },
        ],
        instructions: 'Take lisinopril every morning; measure your blood pressure twice a day with the cuff; call 911 for chest pain, weakness or a severe headache.',
      },
    });
    note(`visit ${done.body.status}, ${done.body.disposition}; after-visit summary lists ${excerpt(done.body.prescriptions?.map((p: { name: string }) => p.name))}`);
    const followUpId: string | undefined = done.body.followUp?.followUpId;
    if (!followUpId) throw new TourFailure(`no follow-up in ${excerpt(done.body)}`);
    // FollowUpRequested: visits' relay -> bus -> scheduling's consumer -> a waitlist entry for an in-person visit.
    const patientToken = await token('patient', state.patientId);
    const entry = await waitFor(`scheduling's waitlist entry for follow-up ${followUpId}`, async () => {
      const found = await call('GET', `/scheduling/v1/waitlist/${followUpId}`, { token: patientToken, expect: [200, 404] });
      return found.status === 200 ? found.body : undefined;
    });
    note(`scheduling: in-person follow-up on the waiting list after ${(entry.waitedMs / 1000).toFixed(1)} s: ${excerpt(entry.value, 160)}`);
    const { rows } = await database().query<{ data: { intentId?: string } }>(
      `SELECT data FROM visits.events WHERE stream_id = $1 AND event_type = 'PrescriptionIntended'`,
      [`visit-${state.visitId}`],
    );
    const intentId = rows[0]?.data.intentId;
    if (!intentId) throw new TourFailure('no PrescriptionIntended on the visit\u2019s stream');
    note(`intent ${intentId} recorded on the visit's stream`);
    // PrescriptionIntended: visits' relay -> bus -> prescriptions' consumer drafts it for the prescriber.
    const draft = await waitFor(`the prescriptions service's draft from intent ${intentId}`, async () => {
      const found = await call('GET', `/prescriptions/v1/prescriptions/${intentId}`, { token: providerToken, expect: [200, 404] });
      return found.status === 200 ? found.body : undefined;
    });
    note(`prescriptions drafted it from the intent after ${(draft.waitedMs / 1000).toFixed(1)} s: ${excerpt(draft.value, 160)}`);
    state.prescriptionId = intentId;
    state.ids.prescriptionId = intentId;
  },
};
