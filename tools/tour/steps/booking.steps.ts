/** The booking: triage, the appointment with intake and a photo, eligibility's answer, the reminder, the move. */
import { createHash } from 'node:crypto';
import { call, database, findEvent, token, WAIT_MS, waitFor } from '../tour-client';
import { excerpt, seconds, TourFailure } from '../tour-output';
import { type TourStep } from '../tour-runner';
import { monitorDisplayPng } from '../png';

export const triageRedirectsEmergency: TourStep = {
  title: 'Triage reads what the patient writes: a heavy chest typed under "other" books nothing and says call 911 (scheduling)',
  async run(state, note) {
    const redirected = await call('POST', '/scheduling/v1/appointments', {
      token: await token('patient', state.patientId),
      key: state.key('booking-emergency'),
      expect: [200],
      body: {
        providerId: state.plan.provider.providerId,
        slotStart: state.chosen.visit.startUtc,
        modality: 'video',
        patientState: state.plan.patientState,
        reason: 'not feeling right',
        intake: { symptoms: ['other'], description: 'feels like a heavy weight sitting on my chest since lunch' },
      },
    });
    const triage = redirected.body.triage as { disposition: string; redFlags: string[]; guidance: string; matches: { phrase: string }[] };
    if (redirected.body.booked !== false || triage.disposition !== 'emergency') throw new TourFailure(`expected an emergency answer, got ${excerpt(redirected.body)}`);
    note(`not booked: ${triage.disposition} (${triage.redFlags.join(', ')}) because of "${triage.matches[0]?.phrase}"`);
    note(triage.guidance);
  },
};

export const patientBooks: TourStep = {
  title: 'The patient books a video visit with intake (scheduling, triage)',
  async run(state, note) {
    const booked = await call('POST', '/scheduling/v1/appointments', {
      token: await token('patient', state.patientId),
      key: state.key('booking'),
      expect: [201],
      body: {
        providerId: state.plan.provider.providerId,
        slotStart: state.chosen.visit.startUtc,
        modality: 'video',
        patientState: state.plan.patientState,
        // What billing-eligibility needs to answer the booking by itself (AppointmentBooked).
        serviceCodes: ['99213'],
        visitPurpose: 'other',
        patientSetting: 'home',
        reason: 'High home blood pressure readings and morning headaches',
        intake: {
          symptoms: ['headache', 'chronic-condition-follow-up'],
          description: 'Home cuff has read around 150/95 for a week; dull morning headaches, no chest pain, no weakness.',
          questions: ['Should I start a medication?'],
        },
      },
    });
    note(`booked appointment ${booked.body.appointmentId}: ${excerpt(booked.body)}`);
    const read = booked.body.triage as { disposition: string; matches: { rule: string; status: string; phrase: string }[] };
    note(`triage: ${read.disposition}; read as not now: ${read.matches.map((m) => `"${m.phrase}" (${m.rule}, ${m.status})`).join(', ') || 'nothing'}`);
    state.appointment = booked.body as { appointmentId: string; start: string; end: string };
    state.ids.appointmentId = state.appointment.appointmentId;
  },
};

export const patientAttachesPhoto: TourStep = {
  title: 'The patient attaches a photo of their blood-pressure monitor (scheduling blob store)',
  async run(state, note) {
    const { appointmentId } = state.appointment;
    const png = monitorDisplayPng('152/96');
    const sha256 = createHash('sha256').update(png).digest('hex');
    const uploaded = await call('POST', `/scheduling/v1/appointments/${appointmentId}/attachments`, {
      token: await token('patient', state.patientId),
      raw: { bytes: png, contentType: 'image/png' },
    });
    if (uploaded.body.sha256 !== sha256 || uploaded.body.added !== true) throw new TourFailure(`unexpected answer ${excerpt(uploaded.body)}`);
    const back = await call('GET', `/scheduling/v1/appointments/${appointmentId}/attachments/${sha256}?purpose=treatment`, {
      token: state.plan.providerToken,
    });
    if (!back.raw.equals(png)) throw new TourFailure('the provider read back different bytes');
    note(`PNG ${png.length} bytes stored as sha256 ${sha256.slice(0, 16)}…; the provider reads the same bytes back (read recorded)`);
  },
};

export const eligibilityAnswersBooking: TourStep = {
  title: 'Eligibility answers the booking by itself: is this video visit covered, and why (scheduling → billing-eligibility → scheduling)',
  async run(state, note) {
    const { appointmentId } = state.appointment;
    const patientToken = await token('patient', state.patientId);
    // No request: billing-eligibility consumed AppointmentBooked (codes, setting, licences) and answered.
    const answered = await waitFor('billing-eligibility to answer the booking (AppointmentBooked on the bus)', async () => {
      const list = await call('GET', `/billing-eligibility/v1/patients/${state.patientId}/eligibility-determinations`, { token: patientToken });
      return (list.body.determinations as { determinationId: string; request: { appointmentId?: string }; determination: any }[]).find(
        (d) => d.request.appointmentId === appointmentId,
      );
    });
    const d = answered.value.determination;
    note(`answered ${seconds(answered.waitedMs)} after the booking, unasked`);
    note(`${d.outcome} — coverage ${d.coverage ? `${d.coverage.payerKind} (${d.coverage.payerId ?? 'no payer id'})` : 'none in force'}; place of service ${d.placeOfService ?? '-'}, modifiers ${JSON.stringify(d.modifiers)}`);
    for (const reason of d.reasons ?? []) note(`why: [${reason.effect}] ${reason.code}: ${reason.message} (${reason.ruleId} v${reason.ruleVersion})`);
    if (d.outcome !== 'covered' && d.outcome !== 'covered-with-conditions') throw new TourFailure(`expected a covered visit, got ${d.outcome}`);
    state.ids.determinationId = answered.value.determinationId;
    const seen = await waitFor('scheduling to record the answer on the appointment (EligibilityDetermined on the bus)', async () => {
      const row = await call('GET', `/scheduling/v1/appointments/${appointmentId}`, { token: patientToken });
      return row.body.coverage ?? undefined;
    });
    note(`scheduling shows coverage ${excerpt(seen.value)} on the appointment after ${seconds(seen.waitedMs)} more (EligibilityDetermined → scheduling)`);
  },
};

export const reminderFires: TourStep = {
  title: 'A reminder fires, 60 minutes before the visit (scheduling jobs)',
  async run(state, note) {
    const { appointmentId, start } = state.appointment;
    const due = Date.parse(start) - 60 * 60_000;
    note(`due at ${new Date(due).toISOString()} (in ${seconds(Math.max(0, due - Date.now()))}); waiting for AppointmentReminderSent in scheduling's event store`);
    const sent = await waitFor(
      'the 60-minute reminder job (AppointmentReminderSent)',
      () => findEvent('scheduling', 'AppointmentReminderSent', 'appointmentId', appointmentId),
      Math.max(0, due - Date.now()) + WAIT_MS,
    ).catch(async (error: Error) => {
      throw new TourFailure(`${error.message}; the reminder job: ${(await reminderJobs(appointmentId)) || 'none was scheduled'}`);
    });
    const e = sent.value;
    note(`reminder recorded ${seconds(e.recorded_at.getTime() - due)} after it was due, by ${e.metadata.actor?.role}:${e.metadata.actor?.id}: ${excerpt(e.data)}`);
    note(`waited ${seconds(sent.waitedMs)}; no SMTP server or SMS API is configured here, so the log adapter wrote it instead of sending it`);
  },
};

/** Where the reminder job is (BullMQ's PostgreSQL backend keeps it in schema bullmq, embedded profile). */
function reminderJobs(appointmentId: string): Promise<string> {
  return database()
    .query<{ id: string; state: string; due: Date }>(
      `SELECT id, state::text AS state, to_timestamp(process_at_ms / 1000.0) AS due FROM bullmq.job WHERE id LIKE $1 ORDER BY added_at_ms`,
      [`reminder_${appointmentId}_%`],
    )
    .then((r) => r.rows.map((j) => `${j.id} ${j.state}, due ${j.due.toISOString()}`).join('; '))
    .catch(() => 'not visible (no bullmq schema: jobs on Redis?)');
}

export const patientReschedules: TourStep = {
  title: 'Reminded, the patient moves the visit to the earlier free slot (scheduling → visits)',
  async run(state, note) {
    const { appointmentId } = state.appointment;
    const patientToken = await token('patient', state.patientId);
    const opened = await waitFor('visits to open the visit of the booking (AppointmentBooked on the bus)', async () => {
      const answer = await call('GET', `/visits/v1/appointments/${appointmentId}/visit`, { token: patientToken, expect: [200, 404] });
      return answer.status === 200 ? (answer.body as { visitId: string; status: string }) : undefined;
    });
    state.visitId = opened.value.visitId;
    state.ids.visitId = opened.value.visitId;
    note(`visit ${opened.value.visitId} ${opened.value.status} (opened by visits from AppointmentBooked, seen after ${seconds(opened.waitedMs)})`);
    const moved = await call('POST', `/scheduling/v1/appointments/${appointmentId}/reschedule`, {
      token: patientToken,
      key: state.key('reschedule'),
      body: { slotStart: state.chosen.early.startUtc, reasonCode: 'patient-request' },
    });
    note(`scheduling: ${excerpt({ start: moved.body.start, status: moved.body.status, reasonCode: moved.body.reasonCode })}`);
    const followed = await waitFor('visits to move the visit (AppointmentRescheduled → VisitRescheduled)', async () => {
      const { rows } = await database().query<{ data: { scheduledStart: string } }>(
        `SELECT data FROM visits.events WHERE stream_id = $1 AND event_type = 'VisitRescheduled' ORDER BY global_position DESC LIMIT 1`,
        [`visit-${opened.value.visitId}`],
      );
      return rows[0] && Date.parse(rows[0].data.scheduledStart) === Date.parse(state.chosen.early.startUtc) ? rows[0].data : undefined;
    });
    note(`visits: VisitRescheduled to ${followed.value.scheduledStart} after ${seconds(followed.waitedMs)}`);
  },
};
