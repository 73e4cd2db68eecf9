import { type Decider, validThroughIn } from '@carebridge/shared-kernel';
import { videoProblems } from './device-check.rules';
import { CLINICAL_REFERENCE_VERSION, CRISIS_GUIDANCE, type TriageResult, rulesForDiagnoses, triage, triageRecord } from '@carebridge/clinical-reference';
import { MAX_ATTACHMENTS_PER_VISIT } from './attachment.rules';
import { vitalsProblems } from './vitals.rules';
import type { Licence, VisitEvent } from './visit.events';
import type {
  AdmitPatient,
  AssignProvider,
  CancelVisit,
  CheckIn,
  CompleteVisit,
  EscalateToEmergency,
  IssueRoomToken,
  JoinConsult,
  LeaveWaitingRoom,
  OpenVisit,
  PlaceOrder,
  PostConsultDiscussion,
  PostSecureMessage,
  RecordConnection,
  RecordDiagnosis,
  RecordRead,
  RecordVitals,
  RequestConsult,
  RescheduleVisit,
  ReviewSymptoms,
  ShareAttachment,
  SwitchModality,
  VisitCommand,
  WriteNote,
} from './visit.commands';
import {
  CheckInNotOpenError,
  ConsultNotFoundError,
  DeviceCheckRequiredError,
  InPersonExamRequiredError,
  ModalityNotAllowedError,
  NoRedFlagError,
  NotAttendingError,
  NotParticipantError,
  OutcomeIncompleteError,
  ProviderAlreadyAssignedError,
  ProviderNotLicensedError,
  TooManyAttachmentsError,
  UnknownAttachmentError,
  VideoOutageTooShortError,
  VisitNotFoundError,
  VisitStateConflictError,
  VitalsOutOfRangeError,
} from './visit.errors';
import { type Opened, type VisitRecord, type VisitState, type VisitStatus, evolve, participantsOf } from './visit.state';

export * from './visit.commands';
export * from './visit.errors';
export * from './visit.state';

// ---------------------------------------------------------------- decide

const dayMs = 86_400_000;

function opened(state: VisitState): Opened {
  if (state.status === 'none') throw new VisitNotFoundError('Visit not found');
  return state;
}

function requireStatus(state: VisitState, action: string, ...allowed: VisitStatus[]): Opened {
  const o = opened(state);
  if (!allowed.includes(o.status)) throw new VisitStateConflictError(o.status, action, allowed);
  return o;
}

function attending(o: Opened, providerId: string): void {
  if (o.record.visit.providerId !== providerId) throw new NotAttendingError('Only the attending provider of the visit may do this');
}

/** When video was lost: the earliest ongoing disconnect of the patient or the attending provider. */
export function videoLostSince(record: VisitRecord): string | undefined {
  const since = Object.entries(record.disconnected)
    .filter(([id, d]) => d.role === 'patient' || id === record.visit.providerId)
    .map(([, d]) => d.at)
    .sort();
  return since[0];
}

/** The licence for `state` that is valid at `now` (through its expiry day, as that state counts days). */
export function validLicence(licences: readonly Licence[], state: string, now: Date): Licence | undefined {
  return licences.find((l) => l.state === state && validThroughIn(state, l.expiresOn, now));
}

/** Ids and codes every outcome event carries, so consumers need nothing else. */
function outcomeFacts(r: VisitRecord, prescriptionIntents: number) {
  return {
    patientId: r.visit.patientId,
    ...(r.visit.providerId !== undefined && { providerId: r.visit.providerId }),
    ...(r.visit.appointmentId !== undefined && { appointmentId: r.visit.appointmentId }),
    modality: r.modality,
    diagnosisCodes: r.diagnoses.map((d) => d.code),
    prescriptionIntents,
  };
}

/** What the patient is told when the visit ends in an emergency referral (the visit's own words; crisis: the 988 Lifeline). */
export const EMERGENCY_INSTRUCTION = {
  en: 'Your symptoms need emergency care. Call 911 now or go to the nearest emergency room. Do not wait: this visit has ended so you can get help.',
  es: 'Sus síntomas necesitan atención de emergencia. Llame al 911 ahora o vaya a la sala de emergencias más cercana. No espere: esta visita terminó para que pueda obtener ayuda.',
} as const;

function instructionFor(result: TriageResult | undefined): string {
  if (result === undefined) return EMERGENCY_INSTRUCTION.en;
  return result.crisis ? CRISIS_GUIDANCE[result.language] : EMERGENCY_INSTRUCTION[result.language];
}

function escalation(r: VisitRecord, by: 'provider' | 'intake-rules', redFlags: readonly string[], at: string, result?: TriageResult): VisitEvent[] {
  const who = { patientId: r.visit.patientId, ...(r.visit.providerId !== undefined && { providerId: r.visit.providerId }) };
  const instruction = instructionFor(result);
  return [
    { type: 'EmergencyEscalated', data: { ...who, by, redFlags: [...redFlags], rulesSource: CLINICAL_REFERENCE_VERSION, instruction, at } },
    { type: 'VisitCompleted', data: { ...outcomeFacts(r, 0), disposition: 'emergency-referral', instructions: instruction, at } },
  ];
}

/**
 * Why the visit must end with an in-person follow-up (empty when it need not): the in-person rules
 * the reviewed symptoms or the patient's messages triggered, and diagnoses such as R10 abdominal pain.
 */
export function inPersonExamReasons(r: VisitRecord): string[] {
  const reviewed = r.symptoms === undefined ? undefined : (r.symptoms.triage ?? triageRecord(triage({ symptoms: r.symptoms.symptoms, texts: [] })));
  const fromTriage = [reviewed, ...r.messages.map((m) => m.triage)]
    .filter((t) => t?.disposition === 'in-person')
    .flatMap((t) => t!.rules);
  const fromDiagnoses = rulesForDiagnoses(r.diagnoses.map((d) => d.code))
    .filter((x) => x.disposition === 'in-person')
    .map((x) => x.code);
  return [...new Set([...fromTriage, ...fromDiagnoses])];
}

/** When the command is decided: its clock, as an instant and as ISO text. */
interface When {
  readonly at: string;
  readonly now: Date;
}

function openVisit(command: OpenVisit, state: VisitState, { at }: When): VisitEvent[] {
  // The booking event may arrive more than once: one visit per appointment.
  if (state.status !== 'none') return [];
  return [{ type: 'VisitOpened', data: { ...command.data, openedAt: at } }];
}

function rescheduleVisit(command: RescheduleVisit, state: VisitState, _when: When): VisitEvent[] {
  const o = opened(state);
  if (o.status !== 'scheduled') return []; // already under way or over: the old time no longer matters
  return [{ type: 'VisitRescheduled', data: command.data }];
}

function cancelVisit(command: CancelVisit, state: VisitState, { at }: When): VisitEvent[] {
  const o = opened(state);
  if (o.status !== 'scheduled' && o.status !== 'waiting') return [];
  return [{ type: 'VisitCancelled', data: { reasonCode: command.data.reasonCode, at } }];
}

function checkIn(command: CheckIn, state: VisitState, { at, now }: When): VisitEvent[] {
  const o = requireStatus(state, 'check-in', 'scheduled');
  const { visit } = o.record;
  if (visit.scheduledStart !== undefined && visit.scheduledEnd !== undefined) {
    const opensAt = Date.parse(visit.scheduledStart) - command.data.policy.checkInOpensMinutesBefore * 60_000;
    if (now.getTime() < opensAt) {
      throw new CheckInNotOpenError(`Check-in opens ${command.data.policy.checkInOpensMinutesBefore} minutes before ${visit.scheduledStart}`);
    }
    if (now.getTime() >= Date.parse(visit.scheduledEnd)) throw new CheckInNotOpenError(`The visit was due to end at ${visit.scheduledEnd}`);
    const lateLimit = command.data.policy.checkInClosesMinutesAfterStart;
    if (lateLimit !== undefined && now.getTime() > Date.parse(visit.scheduledStart) + lateLimit * 60_000) {
      throw new CheckInNotOpenError(
        `Check-in closed ${lateLimit} minutes after the start (${visit.scheduledStart}): the appointment is a no-show in scheduling, which offers to reschedule`,
      );
    }
  }
  const device = command.data.device;
  if (o.record.modality === 'video' && device === undefined) {
    throw new DeviceCheckRequiredError('A video visit needs the device check (camera, microphone, bandwidth) at check-in');
  }
  const checked = device ?? { camera: false, microphone: false, bandwidthKbps: 0 };
  return [
    {
      type: 'PatientCheckedIn',
      data: {
        patientId: visit.patientId,
        ...(visit.appointmentId !== undefined && { appointmentId: visit.appointmentId }),
        locationState: command.data.locationState,
        device: checked,
        videoProblems: o.record.modality === 'video' ? videoProblems(checked) : [],
        at,
      },
    },
  ];
}

function leaveWaitingRoom(command: LeaveWaitingRoom, state: VisitState, { at, now }: When): VisitEvent[] {
  const o = requireStatus(state, 'leaving the waiting room', 'waiting');
  const waitedSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(o.record.checkIn!.at)) / 1000));
  return [{ type: 'PatientLeftBeforeSeen', data: { waitedSeconds, at } }];
}

function assignProvider(command: AssignProvider, state: VisitState, { at }: When): VisitEvent[] {
  const o = requireStatus(state, 'assigning a provider', 'waiting');
  const current = o.record.visit.providerId;
  if (current === command.data.providerId) return [];
  if (current !== undefined) throw new ProviderAlreadyAssignedError('Another provider already took this patient');
  return [{ type: 'ProviderAssigned', data: { providerId: command.data.providerId, at } }];
}

function admitPatient(command: AdmitPatient, state: VisitState, { at, now }: When): VisitEvent[] {
  const o = requireStatus(state, 'admitting the patient', 'waiting');
  attending(o, command.data.providerId);
  // Where the patient confirmed they are at check-in; licensure follows the patient's location.
  const location = o.record.checkIn!.locationState;
  const licence = validLicence(command.data.licences, location, now);
  if (licence === undefined) {
    throw new ProviderNotLicensedError(`The provider holds no unexpired licence in ${location}, where the patient is`, { state: location });
  }
  const waitedSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(o.record.checkIn!.at)) / 1000));
  return [{ type: 'PatientAdmitted', data: { providerId: command.data.providerId, patientId: o.record.visit.patientId, locationState: location, licence, waitedSeconds, at } }];
}

function recordConnection(command: RecordConnection, state: VisitState, { at }: When): VisitEvent[] {
  const o = requireStatus(state, 'recording a connection change', 'in-progress');
  const down = o.record.disconnected[command.data.participantId] !== undefined;
  if (command.data.status === 'disconnected') {
    return down ? [] : [{ type: 'ParticipantDisconnected', data: { participantId: command.data.participantId, role: command.data.role, at } }];
  }
  return down ? [{ type: 'ParticipantReconnected', data: { participantId: command.data.participantId, role: command.data.role, at } }] : [];
}

function switchModality(command: SwitchModality, state: VisitState, { at, now }: When): VisitEvent[] {
  const o = requireStatus(state, 'switching modality', 'in-progress');
  const from = o.record.modality;
  const { to, reason } = command.data;
  if (from === to) return [];
  if (to === 'asynchronous' || from === 'asynchronous') {
    throw new ModalityNotAllowedError('An asynchronous visit stays asynchronous; a live visit switches between video and phone');
  }
  if (reason === 'no-video') {
    const since = videoLostSince(o.record);
    const after = command.data.policy.noVideoSwitchAfterSeconds;
    if (since === undefined) throw new VideoOutageTooShortError('Video has not been lost: nobody is disconnected');
    const lostFor = (now.getTime() - Date.parse(since)) / 1000;
    if (lostFor < after) {
      throw new VideoOutageTooShortError(`Video lost for ${Math.floor(lostFor)} s; the switch to phone is allowed after ${after} s`);
    }
  }
  return [{ type: 'ModalitySwitched', data: { from, to, reason, at } }];
}

function issueRoomToken(command: IssueRoomToken, state: VisitState, { now }: When): VisitEvent[] {
  const o = requireStatus(state, 'joining the video room', 'in-progress');
  if (o.record.modality !== 'video') throw new ModalityNotAllowedError(`The visit is a ${o.record.modality} visit now; there is no video room`);
  const p = participantsOf(o.record);
  const id = command.data.participantId;
  if (id !== p.patientId && id !== p.providerId && !p.consultants.includes(id)) {
    throw new NotParticipantError('Only the participants of the visit may join its room');
  }
  return [{ type: 'RoomTokenIssued', data: command.data }];
}

function reviewSymptoms(command: ReviewSymptoms, state: VisitState, { at }: When): VisitEvent[] {
  const o = requireStatus(state, 'reviewing symptoms', 'in-progress');
  attending(o, command.data.providerId);
  // The same reference as intake, over the codes and the provider's written history.
  const result = triage({ symptoms: command.data.symptoms, texts: [{ field: 'history', text: command.data.history }] });
  const reviewed: VisitEvent = { type: 'SymptomsReviewed', data: { symptoms: [...command.data.symptoms], history: command.data.history, triage: triageRecord(result) } };
  return result.disposition === 'emergency' ? [reviewed, ...escalation(o.record, 'intake-rules', result.rules, at, result)] : [reviewed];
}

function recordVitals(command: RecordVitals, state: VisitState, _when: When): VisitEvent[] {
  const o = requireStatus(state, 'recording vitals', 'waiting', 'in-progress');
  const problems = vitalsProblems(command.data.vitals);
  if (problems.length > 0) throw new VitalsOutOfRangeError(problems.map((p) => p.message).join('; '), { problems });
  if (o.record.vitals.some((v) => v.vitalsId === command.data.vitalsId)) return [];
  return [{ type: 'VitalsRecorded', data: { ...command.data, patientId: o.record.visit.patientId } }];
}

function writeNote(command: WriteNote, state: VisitState, _when: When): VisitEvent[] {
  const o = requireStatus(state, 'writing the note', 'in-progress');
  attending(o, command.data.providerId);
  return [{ type: 'NoteWritten', data: { note: command.data.note, authorId: command.data.providerId } }];
}

function recordDiagnosis(command: RecordDiagnosis, state: VisitState, _when: When): VisitEvent[] {
  const o = requireStatus(state, 'recording a diagnosis', 'in-progress');
  attending(o, command.data.providerId);
  if (o.record.diagnoses.some((d) => d.code === command.data.code)) return [];
  return [{ type: 'DiagnosisRecorded', data: { code: command.data.code, display: command.data.display } }];
}

function placeOrder(command: PlaceOrder, state: VisitState, _when: When): VisitEvent[] {
  const o = requireStatus(state, 'placing an order', 'in-progress');
  const { providerId, ...order } = command.data;
  attending(o, providerId);
  if (o.record.orders.some((existing) => existing.orderId === order.orderId)) return [];
  return [{ type: 'OrderPlaced', data: order }];
}

function shareAttachment(command: ShareAttachment, state: VisitState, { at }: When): VisitEvent[] {
  const o = requireStatus(state, 'sharing a file', 'waiting', 'in-progress');
  if (o.record.attachments.some((a) => a.sha256 === command.data.sha256)) return [];
  if (o.record.attachments.length >= MAX_ATTACHMENTS_PER_VISIT) {
    throw new TooManyAttachmentsError(`A visit holds at most ${MAX_ATTACHMENTS_PER_VISIT} files`);
  }
  return [{ type: 'AttachmentShared', data: { ...command.data, at } }];
}

function postSecureMessage(command: PostSecureMessage, state: VisitState, { at, now }: When): VisitEvent[] {
  const o = requireStatus(state, 'posting a message', 'waiting', 'in-progress');
  const unknown = command.data.attachments.filter((sha) => !o.record.attachments.some((a) => a.sha256 === sha));
  if (unknown.length > 0) throw new UnknownAttachmentError(`Share the files first: ${unknown.join(', ')}`);
  // In an asynchronous visit nobody reads the patient's message now: the reference does.
  if (command.data.author.role !== 'patient' || o.record.modality !== 'asynchronous') return [{ type: 'SecureMessagePosted', data: { ...command.data, at } }];
  const result = triage({ texts: [{ field: 'message', text: command.data.text }] });
  const posted: VisitEvent = { type: 'SecureMessagePosted', data: { ...command.data, at, triage: triageRecord(result) } };
  return result.disposition === 'emergency' ? [posted, ...escalation(o.record, 'intake-rules', result.rules, at, result)] : [posted];
}

function requestConsult(command: RequestConsult, state: VisitState, _when: When): VisitEvent[] {
  const o = requireStatus(state, 'requesting a consult', 'in-progress');
  attending(o, command.data.requestedBy);
  if (o.record.consults.some((c) => c.consultId === command.data.consultId)) return [];
  return [{ type: 'ConsultRequested', data: { ...command.data, invitees: command.data.invitees.filter((id) => id !== command.data.requestedBy) } }];
}

function joinConsult(command: JoinConsult, state: VisitState, { at }: When): VisitEvent[] {
  const o = requireStatus(state, 'joining a consult', 'in-progress');
  const consult = o.record.consults.find((c) => c.consultId === command.data.consultId);
  if (consult === undefined) throw new ConsultNotFoundError(`Consult ${command.data.consultId} not found`);
  if (!consult.invitees.includes(command.data.providerId)) throw new NotParticipantError('Only an invited provider may join the consult');
  if (consult.joined.includes(command.data.providerId)) return [];
  return [{ type: 'ConsultantJoined', data: { ...command.data, patientId: o.record.visit.patientId, at } }];
}

function postConsultDiscussion(command: PostConsultDiscussion, state: VisitState, { at }: When): VisitEvent[] {
  const o = requireStatus(state, 'discussing the consult', 'in-progress');
  const consult = o.record.consults.find((c) => c.consultId === command.data.consultId);
  if (consult === undefined) throw new ConsultNotFoundError(`Consult ${command.data.consultId} not found`);
  if (command.data.authorId !== o.record.visit.providerId && !consult.joined.includes(command.data.authorId)) {
    throw new NotParticipantError('Only the attending provider and the consultants who joined discuss the consult');
  }
  return [{ type: 'ConsultDiscussionPosted', data: { ...command.data, at } }];
}

function escalateToEmergency(command: EscalateToEmergency, state: VisitState, { at }: When): VisitEvent[] {
  const o = requireStatus(state, 'escalating to emergency care', 'waiting', 'in-progress');
  attending(o, command.data.providerId);
  if (command.data.redFlags.length === 0) throw new NoRedFlagError('Name at least one red flag');
  return escalation(o.record, 'provider', command.data.redFlags, at);
}

function completeVisit(command: CompleteVisit, state: VisitState, { at, now }: When): VisitEvent[] {
  const o = requireStatus(state, 'completing the visit', 'in-progress');
  const d = command.data;
  attending(o, d.providerId);
  const mustSee = inPersonExamReasons(o.record);
  if (mustSee.length > 0 && d.disposition !== 'in-person-follow-up') {
    throw new InPersonExamRequiredError(`An in-person examination is required (${mustSee.join(', ')}): complete with an in-person follow-up`);
  }
  if (d.disposition === 'in-person-follow-up' && d.followUp === undefined) {
    throw new OutcomeIncompleteError('An in-person follow-up needs followUp (reasonCode, withinDays)');
  }
  if (d.disposition === 'specialist-referral' && d.referral === undefined) {
    throw new OutcomeIncompleteError('A specialist referral needs referral (specialty, reasonCode)');
  }
  const r = o.record;
  const patientLocationState = r.checkIn?.locationState ?? r.visit.patientState;
  const events: VisitEvent[] = d.prescriptions.map((p) => ({
    type: 'PrescriptionIntended',
    data: { ...p, prescriberId: d.providerId, patientId: r.visit.patientId, modality: r.modality, ...(patientLocationState !== undefined && { patientLocationState }) },
  }));
  if (d.disposition === 'in-person-follow-up') {
    const f = d.followUp!;
    events.push({
      type: 'FollowUpRequested',
      data: {
        followUpId: f.followUpId,
        patientId: r.visit.patientId,
        providerId: d.providerId,
        reasonCode: f.reasonCode,
        patientState: o.record.checkIn?.locationState ?? o.record.visit.patientState!,
        dueBy: new Date(now.getTime() + f.withinDays * dayMs).toISOString(),
      },
    });
  }
  events.push({
    type: 'VisitCompleted',
    data: {
      ...outcomeFacts(r, d.prescriptions.length),
      disposition: d.disposition,
      ...(d.disposition === 'specialist-referral' && { referral: d.referral! }),
      instructions: d.instructions,
      at,
    },
  });
  return events;
}

function recordRead(command: RecordRead, state: VisitState, _when: When): VisitEvent[] {
  opened(state);
  return [{ type: 'VisitRecordRead', data: command.data }];
}

type Handlers = { readonly [K in VisitCommand['type']]: (command: Extract<VisitCommand, { type: K }>, state: VisitState, when: When) => VisitEvent[] };

/** One function per command. */
const handlers: Handlers = {
  OpenVisit: openVisit,
  RescheduleVisit: rescheduleVisit,
  CancelVisit: cancelVisit,
  CheckIn: checkIn,
  LeaveWaitingRoom: leaveWaitingRoom,
  AssignProvider: assignProvider,
  AdmitPatient: admitPatient,
  RecordConnection: recordConnection,
  SwitchModality: switchModality,
  IssueRoomToken: issueRoomToken,
  ReviewSymptoms: reviewSymptoms,
  RecordVitals: recordVitals,
  WriteNote: writeNote,
  RecordDiagnosis: recordDiagnosis,
  PlaceOrder: placeOrder,
  ShareAttachment: shareAttachment,
  PostSecureMessage: postSecureMessage,
  RequestConsult: requestConsult,
  JoinConsult: joinConsult,
  PostConsultDiscussion: postConsultDiscussion,
  EscalateToEmergency: escalateToEmergency,
  CompleteVisit: completeVisit,
  RecordRead: recordRead,
};

export function decide(command: VisitCommand, state: VisitState): VisitEvent[] {
  const handle = handlers[command.type] as (command: VisitCommand, state: VisitState, when: When) => VisitEvent[];
  return handle(command, state, { at: command.metadata.now.toISOString(), now: command.metadata.now });
}

export const visitDecider: Decider<VisitCommand, VisitEvent, VisitState> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};
