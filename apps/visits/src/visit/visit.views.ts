import type { VisitRecord } from './visit.decider';
import type { OpenedVisit } from './visit.access';

/** The visit record as the API shows it; the provider-to-provider consult discussion is for providers only. */
export function recordView(visit: OpenedVisit, readerRole: string) {
  const r = visit.record;
  return {
    visitId: r.visit.visitId,
    status: visit.status,
    kind: r.visit.kind,
    modality: r.modality,
    patientId: r.visit.patientId,
    providerId: r.visit.providerId ?? null,
    appointmentId: r.visit.appointmentId ?? null,
    scheduled: r.visit.scheduledStart ? { start: r.visit.scheduledStart, end: r.visit.scheduledEnd } : null,
    checkIn: r.checkIn ?? null,
    admitted: r.admitted ? { providerId: r.admitted.providerId, at: r.admitted.at, locationState: r.admitted.locationState, licenceState: r.admitted.licence.state } : null,
    connection: { log: r.connectionLog, disconnected: Object.keys(r.disconnected) },
    modalityChanges: r.modalityChanges,
    symptoms: r.symptoms ?? null,
    vitals: r.vitals,
    note: r.note?.note ?? null,
    diagnoses: r.diagnoses,
    orders: r.orders,
    attachments: r.attachments,
    messages: r.messages,
    consults: r.consults.map((c) => ({ ...c, discussion: readerRole === 'provider' ? c.discussion : undefined })),
    emergency: r.emergency ?? null,
    outcome: r.outcome ?? null,
    followUp: r.followUp ?? null,
    prescriptions: r.prescriptions,
  };
}

/** The after-visit summary for the patient: what was found, what to do, what happens next. */
export function afterVisitSummary(visit: OpenedVisit) {
  const r: VisitRecord = visit.record;
  return {
    visitId: r.visit.visitId,
    status: visit.status,
    providerId: r.visit.providerId ?? null,
    modality: r.modality,
    date: r.admitted?.at ?? r.visit.openedAt,
    disposition: r.outcome?.disposition ?? null,
    instructions: r.outcome?.instructions ?? null,
    emergencyInstruction: r.emergency?.instruction ?? null,
    diagnoses: r.diagnoses.map((d) => ({ code: d.code, display: d.display })),
    vitals: r.vitals.map((v) => ({ measuredAt: v.measuredAt, ...v.vitals })),
    prescriptions: r.prescriptions.map((p) => ({ name: p.name, sig: p.sig, quantity: p.quantity, refills: p.refills })),
    followUp: r.followUp ? { followUpId: r.followUp.followUpId, reasonCode: r.followUp.reasonCode, dueBy: r.followUp.dueBy } : null,
    referral: r.outcome?.referral ?? null,
    orders: r.orders.map((o) => ({ category: o.category, code: o.code, display: o.display })),
  };
}
