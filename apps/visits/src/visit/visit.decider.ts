import { type Command, type Decider, DomainError, assertNever, validThroughIn } from '@carebridge/shared-kernel';
import { videoProblems } from './device-check.rules';
import { CLINICAL_REFERENCE_VERSION, CRISIS_GUIDANCE, type TriageResult, rulesForDiagnoses, triage, triageRecord } from '@carebridge/clinical-reference';
import { MAX_ATTACHMENTS_PER_VISIT } from './attachment.rules';
import { vitalsProblems } from './vitals.rules';
import type {
  AttachmentShared,
  ConsultDiscussionPosted,
  ConsultRequested,
  DiagnosisRecorded,
  Disposition,
  EmergencyEscalated,
  FollowUpRequested,
  Licence,
  ModalitySwitched,
  NoteWritten,
  OrderPlaced,
  ParticipantRole,
  PatientAdmitted,
  PatientCheckedIn,
  PrescriptionIntended,
  PrescriptionIntent,
  RecordView,
  SecureMessagePosted,
  SoapNote,
  SymptomsReviewed,
  VisitCompleted,
  VisitEvent,
  VisitModality,
  VisitOpened,
  Vitals,
  VitalsRecorded,
} from './visit.events';

// ---------------------------------------------------------------- commands

export type OpenVisit = Command<'OpenVisit', Omit<VisitOpened['data'], 'openedAt'>>;
export type RescheduleVisit = Command<'RescheduleVisit', { scheduledStart: string; scheduledEnd: string }>;
export type CancelVisit = Command<'CancelVisit', { reasonCode: string }>;
export type CheckIn = Command<
  'CheckIn',
  {
    locationState: string;
    device?: { camera: boolean; microphone: boolean; bandwidthKbps: number };
    /**
     * `checkInClosesMinutesAfterStart`: the late-arrival limit, kept equal to scheduling's no-show
     * grace (NO_SHOW_GRACE_MINUTES) so a patient admitted here is never a no-show there.
     * Absent: until the visit's end (visits with no scheduling appointment).
     */
    policy: { checkInOpensMinutesBefore: number; checkInClosesMinutesAfterStart?: number };
  }
>;
export type LeaveWaitingRoom = Command<'LeaveWaitingRoom', Record<string, never>>;
export type AssignProvider = Command<'AssignProvider', { providerId: string }>;
/** `licences`: the provider's licences as the service knows them now (checked again here, not only at booking). */
export type AdmitPatient = Command<'AdmitPatient', { providerId: string; licences: readonly Licence[] }>;
export type RecordConnection = Command<'RecordConnection', { participantId: string; role: ParticipantRole; status: 'disconnected' | 'reconnected' }>;
export type SwitchModality = Command<
  'SwitchModality',
  { to: VisitModality; reason: 'no-video' | 'requested'; policy: { noVideoSwitchAfterSeconds: number } }
>;
export type IssueRoomToken = Command<'IssueRoomToken', { participantId: string; expiresAt: string }>;
export type ReviewSymptoms = Command<'ReviewSymptoms', { providerId: string; symptoms: readonly string[]; history: string }>;
export type RecordVitals = Command<'RecordVitals', { vitalsId: string; measuredAt: string; recordedBy: ParticipantRole; vitals: Vitals }>;
export type WriteNote = Command<'WriteNote', { providerId: string; note: SoapNote }>;
export type RecordDiagnosis = Command<'RecordDiagnosis', { providerId: string; code: string; display: string }>;
export type PlaceOrder = Command<'PlaceOrder', { providerId: string } & OrderPlaced['data']>;
export type ShareAttachment = Command<'ShareAttachment', Omit<AttachmentShared['data'], 'at'>>;
export type PostSecureMessage = Command<'PostSecureMessage', Omit<SecureMessagePosted['data'], 'at'>>;
export type RequestConsult = Command<'RequestConsult', ConsultRequested['data']>;
export type JoinConsult = Command<'JoinConsult', { consultId: string; providerId: string }>;
export type PostConsultDiscussion = Command<'PostConsultDiscussion', { consultId: string; authorId: string; text: string }>;
export type EscalateToEmergency = Command<'EscalateToEmergency', { providerId: string; redFlags: readonly string[] }>;
export type CompleteVisit = Command<
  'CompleteVisit',
  {
    providerId: string;
    disposition: Exclude<Disposition, 'emergency-referral'>;
    followUp?: { followUpId: string; reasonCode: string; withinDays: number };
    referral?: { specialty: string; reasonCode: string };
    prescriptions: readonly PrescriptionIntent[];
    instructions: string;
  }
>;
export type RecordRead = Command<'RecordRead', { view: RecordView; readerId: string; readerRole: string; purpose: string }>;

export type VisitCommand =
  | OpenVisit
  | RescheduleVisit
  | CancelVisit
  | CheckIn
  | LeaveWaitingRoom
  | AssignProvider
  | AdmitPatient
  | RecordConnection
  | SwitchModality
  | IssueRoomToken
  | ReviewSymptoms
  | RecordVitals
  | WriteNote
  | RecordDiagnosis
  | PlaceOrder
  | ShareAttachment
  | PostSecureMessage
  | RequestConsult
  | JoinConsult
  | PostConsultDiscussion
  | EscalateToEmergency
  | CompleteVisit
  | RecordRead;

// ---------------------------------------------------------------- state

export interface Consult extends Readonly<ConsultRequested['data']> {
  readonly joined: readonly string[];
  readonly discussion: readonly ConsultDiscussionPosted['data'][];
}

/** Everything the visit has recorded: the same record whatever the modality. */
export interface VisitRecord {
  readonly visit: VisitOpened['data'];
  readonly modality: VisitModality;
  readonly checkIn?: PatientCheckedIn['data'];
  readonly admitted?: PatientAdmitted['data'];
  /** Participants whose connection dropped, with when, until they reconnect. */
  readonly disconnected: Readonly<Record<string, { readonly role: ParticipantRole; readonly at: string }>>;
  readonly connectionLog: readonly { readonly participantId: string; readonly status: 'disconnected' | 'reconnected'; readonly at: string }[];
  readonly modalityChanges: readonly ModalitySwitched['data'][];
  readonly symptoms?: SymptomsReviewed['data'];
  readonly vitals: readonly VitalsRecorded['data'][];
  readonly note?: NoteWritten['data'];
  readonly diagnoses: readonly DiagnosisRecorded['data'][];
  readonly orders: readonly OrderPlaced['data'][];
  readonly attachments: readonly AttachmentShared['data'][];
  readonly messages: readonly SecureMessagePosted['data'][];
  readonly consults: readonly Consult[];
  readonly emergency?: EmergencyEscalated['data'];
  readonly followUp?: FollowUpRequested['data'];
  readonly prescriptions: readonly PrescriptionIntended['data'][];
  readonly outcome?: VisitCompleted['data'];
  readonly leftAt?: string;
  readonly cancelled?: { readonly reasonCode: string; readonly at: string };
}

export type VisitStatus = 'scheduled' | 'waiting' | 'in-progress' | 'ended' | 'left-before-seen' | 'cancelled';

export type VisitState =
  | { readonly status: 'none' }
  | { readonly status: 'scheduled'; readonly record: VisitRecord }
  | { readonly status: 'waiting'; readonly record: VisitRecord }
  | { readonly status: 'in-progress'; readonly record: VisitRecord }
  | { readonly status: 'ended'; readonly record: VisitRecord }
  | { readonly status: 'left-before-seen'; readonly record: VisitRecord }
  | { readonly status: 'cancelled'; readonly record: VisitRecord };

type Opened = Exclude<VisitState, { status: 'none' }>;

// ---------------------------------------------------------------- errors

export class VisitNotFoundError extends DomainError {
  readonly code = 'VISIT.NOT_FOUND';
  override readonly kind = 'not-found';
}
/** A transition the visit's current state does not allow; the message names that state. */
export class VisitStateConflictError extends DomainError {
  readonly code = 'VISIT.WRONG_STATE';
  override readonly kind = 'conflict';
  constructor(current: VisitStatus, action: string, allowed: readonly VisitStatus[]) {
    super(`The visit is ${current}: ${action} needs it ${allowed.join(' or ')}`, { currentState: current });
  }
}
export class NotParticipantError extends DomainError {
  readonly code = 'VISIT.NOT_A_PARTICIPANT';
  override readonly kind = 'forbidden';
}
export class NotAttendingError extends DomainError {
  readonly code = 'VISIT.NOT_ATTENDING';
  override readonly kind = 'forbidden';
}
export class CheckInNotOpenError extends DomainError {
  readonly code = 'VISIT.CHECK_IN_NOT_OPEN';
}
export class DeviceCheckRequiredError extends DomainError {
  readonly code = 'VISIT.DEVICE_CHECK_REQUIRED';
}
export class ProviderNotLicensedError extends DomainError {
  readonly code = 'VISIT.PROVIDER_NOT_LICENSED';
}
export class VitalsOutOfRangeError extends DomainError {
  readonly code = 'VITALS.OUT_OF_RANGE';
}
export class VideoOutageTooShortError extends DomainError {
  readonly code = 'VISIT.VIDEO_NOT_LOST_LONG_ENOUGH';
}
export class ModalityNotAllowedError extends DomainError {
  readonly code = 'VISIT.MODALITY_NOT_ALLOWED';
}
export class InPersonExamRequiredError extends DomainError {
  readonly code = 'VISIT.IN_PERSON_EXAM_REQUIRED';
}
export class OutcomeIncompleteError extends DomainError {
  readonly code = 'VISIT.OUTCOME_INCOMPLETE';
}
export class TooManyAttachmentsError extends DomainError {
  readonly code = 'ATTACHMENT.TOO_MANY';
}
export class UnknownAttachmentError extends DomainError {
  readonly code = 'ATTACHMENT.UNKNOWN';
}
export class ConsultNotFoundError extends DomainError {
  readonly code = 'CONSULT.NOT_FOUND';
  override readonly kind = 'not-found';
}
export class ProviderAlreadyAssignedError extends DomainError {
  readonly code = 'VISIT.PROVIDER_ALREADY_ASSIGNED';
  override readonly kind = 'conflict';
}
export class NoRedFlagError extends DomainError {
  readonly code = 'VISIT.NO_RED_FLAG';
}

// ---------------------------------------------------------------- who may see and do what

/** The patient, the attending provider and the consultants who joined. */
export function participantsOf(record: VisitRecord): { patientId: string; providerId?: string; consultants: string[] } {
  return {
    patientId: record.visit.patientId,
    ...(record.visit.providerId !== undefined && { providerId: record.visit.providerId }),
    consultants: [...new Set(record.consults.flatMap((c) => c.joined))],
  };
}

export function isParticipant(record: VisitRecord, actor: { patientId?: string; providerId?: string }): boolean {
  const p = participantsOf(record);
  if (actor.patientId !== undefined && actor.patientId === p.patientId) return true;
  if (actor.providerId === undefined) return false;
  return actor.providerId === p.providerId || p.consultants.includes(actor.providerId);
}

/** Invited to a consult but not joined yet: may see the record to decide, as consulting providers do. */
export function isInvitedConsultant(record: VisitRecord, providerId: string | undefined): boolean {
  return providerId !== undefined && record.consults.some((c) => c.invitees.includes(providerId));
}

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

export function decide(command: VisitCommand, state: VisitState): VisitEvent[] {
  const at = command.metadata.now.toISOString();
  const now = command.metadata.now;
  switch (command.type) {
    case 'OpenVisit':
      // The booking event may arrive more than once: one visit per appointment.
      if (state.status !== 'none') return [];
      return [{ type: 'VisitOpened', data: { ...command.data, openedAt: at } }];

    case 'RescheduleVisit': {
      const o = opened(state);
      if (o.status !== 'scheduled') return []; // already under way or over: the old time no longer matters
      return [{ type: 'VisitRescheduled', data: command.data }];
    }

    case 'CancelVisit': {
      const o = opened(state);
      if (o.status !== 'scheduled' && o.status !== 'waiting') return [];
      return [{ type: 'VisitCancelled', data: { reasonCode: command.data.reasonCode, at } }];
    }

    case 'CheckIn': {
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

    case 'LeaveWaitingRoom': {
      const o = requireStatus(state, 'leaving the waiting room', 'waiting');
      const waitedSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(o.record.checkIn!.at)) / 1000));
      return [{ type: 'PatientLeftBeforeSeen', data: { waitedSeconds, at } }];
    }

    case 'AssignProvider': {
      const o = requireStatus(state, 'assigning a provider', 'waiting');
      const current = o.record.visit.providerId;
      if (current === command.data.providerId) return [];
      if (current !== undefined) throw new ProviderAlreadyAssignedError('Another provider already took this patient');
      return [{ type: 'ProviderAssigned', data: { providerId: command.data.providerId, at } }];
    }

    case 'AdmitPatient': {
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

    case 'RecordConnection': {
      const o = requireStatus(state, 'recording a connection change', 'in-progress');
      const down = o.record.disconnected[command.data.participantId] !== undefined;
      if (command.data.status === 'disconnected') {
        return down ? [] : [{ type: 'ParticipantDisconnected', data: { participantId: command.data.participantId, role: command.data.role, at } }];
      }
      return down ? [{ type: 'ParticipantReconnected', data: { participantId: command.data.participantId, role: command.data.role, at } }] : [];
    }

    case 'SwitchModality': {
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

    case 'IssueRoomToken': {
      const o = requireStatus(state, 'joining the video room', 'in-progress');
      if (o.record.modality !== 'video') throw new ModalityNotAllowedError(`The visit is a ${o.record.modality} visit now; there is no video room`);
      const p = participantsOf(o.record);
      const id = command.data.participantId;
      if (id !== p.patientId && id !== p.providerId && !p.consultants.includes(id)) {
        throw new NotParticipantError('Only the participants of the visit may join its room');
      }
      return [{ type: 'RoomTokenIssued', data: command.data }];
    }

    case 'ReviewSymptoms': {
      const o = requireStatus(state, 'reviewing symptoms', 'in-progress');
      attending(o, command.data.providerId);
      // The same reference as intake, over the codes and the provider's written history.
      const result = triage({ symptoms: command.data.symptoms, texts: [{ field: 'history', text: command.data.history }] });
      const reviewed: VisitEvent = { type: 'SymptomsReviewed', data: { symptoms: [...command.data.symptoms], history: command.data.history, triage: triageRecord(result) } };
      return result.disposition === 'emergency' ? [reviewed, ...escalation(o.record, 'intake-rules', result.rules, at, result)] : [reviewed];
    }

    case 'RecordVitals': {
      const o = requireStatus(state, 'recording vitals', 'waiting', 'in-progress');
      const problems = vitalsProblems(command.data.vitals);
      if (problems.length > 0) throw new VitalsOutOfRangeError(problems.map((p) => p.message).join('; '), { problems });
      if (o.record.vitals.some((v) => v.vitalsId === command.data.vitalsId)) return [];
      return [{ type: 'VitalsRecorded', data: { ...command.data, patientId: o.record.visit.patientId } }];
    }

    case 'WriteNote': {
      const o = requireStatus(state, 'writing the note', 'in-progress');
      attending(o, command.data.providerId);
      return [{ type: 'NoteWritten', data: { note: command.data.note, authorId: command.data.providerId } }];
    }

    case 'RecordDiagnosis': {
      const o = requireStatus(state, 'recording a diagnosis', 'in-progress');
      attending(o, command.data.providerId);
      if (o.record.diagnoses.some((d) => d.code === command.data.code)) return [];
      return [{ type: 'DiagnosisRecorded', data: { code: command.data.code, display: command.data.display } }];
    }

    case 'PlaceOrder': {
      const o = requireStatus(state, 'placing an order', 'in-progress');
      const { providerId, ...order } = command.data;
      attending(o, providerId);
      if (o.record.orders.some((existing) => existing.orderId === order.orderId)) return [];
      return [{ type: 'OrderPlaced', data: order }];
    }

    case 'ShareAttachment': {
      const o = requireStatus(state, 'sharing a file', 'waiting', 'in-progress');
      if (o.record.attachments.some((a) => a.sha256 === command.data.sha256)) return [];
      if (o.record.attachments.length >= MAX_ATTACHMENTS_PER_VISIT) {
        throw new TooManyAttachmentsError(`A visit holds at most ${MAX_ATTACHMENTS_PER_VISIT} files`);
      }
      return [{ type: 'AttachmentShared', data: { ...command.data, at } }];
    }

    case 'PostSecureMessage': {
      const o = requireStatus(state, 'posting a message', 'waiting', 'in-progress');
      const unknown = command.data.attachments.filter((sha) => !o.record.attachments.some((a) => a.sha256 === sha));
      if (unknown.length > 0) throw new UnknownAttachmentError(`Share the files first: ${unknown.join(', ')}`);
      // In an asynchronous visit nobody reads the patient's message now: the reference does.
      if (command.data.author.role !== 'patient' || o.record.modality !== 'asynchronous') return [{ type: 'SecureMessagePosted', data: { ...command.data, at } }];
      const result = triage({ texts: [{ field: 'message', text: command.data.text }] });
      const posted: VisitEvent = { type: 'SecureMessagePosted', data: { ...command.data, at, triage: triageRecord(result) } };
      return result.disposition === 'emergency' ? [posted, ...escalation(o.record, 'intake-rules', result.rules, at, result)] : [posted];
    }

    case 'RequestConsult': {
      const o = requireStatus(state, 'requesting a consult', 'in-progress');
      attending(o, command.data.requestedBy);
      if (o.record.consults.some((c) => c.consultId === command.data.consultId)) return [];
      return [{ type: 'ConsultRequested', data: { ...command.data, invitees: command.data.invitees.filter((id) => id !== command.data.requestedBy) } }];
    }

    case 'JoinConsult': {
      const o = requireStatus(state, 'joining a consult', 'in-progress');
      const consult = o.record.consults.find((c) => c.consultId === command.data.consultId);
      if (consult === undefined) throw new ConsultNotFoundError(`Consult ${command.data.consultId} not found`);
      if (!consult.invitees.includes(command.data.providerId)) throw new NotParticipantError('Only an invited provider may join the consult');
      if (consult.joined.includes(command.data.providerId)) return [];
      return [{ type: 'ConsultantJoined', data: { ...command.data, patientId: o.record.visit.patientId, at } }];
    }

    case 'PostConsultDiscussion': {
      const o = requireStatus(state, 'discussing the consult', 'in-progress');
      const consult = o.record.consults.find((c) => c.consultId === command.data.consultId);
      if (consult === undefined) throw new ConsultNotFoundError(`Consult ${command.data.consultId} not found`);
      if (command.data.authorId !== o.record.visit.providerId && !consult.joined.includes(command.data.authorId)) {
        throw new NotParticipantError('Only the attending provider and the consultants who joined discuss the consult');
      }
      return [{ type: 'ConsultDiscussionPosted', data: { ...command.data, at } }];
    }

    case 'EscalateToEmergency': {
      const o = requireStatus(state, 'escalating to emergency care', 'waiting', 'in-progress');
      attending(o, command.data.providerId);
      if (command.data.redFlags.length === 0) throw new NoRedFlagError('Name at least one red flag');
      return escalation(o.record, 'provider', command.data.redFlags, at);
    }

    case 'CompleteVisit': {
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

    case 'RecordRead':
      opened(state);
      return [{ type: 'VisitRecordRead', data: command.data }];

    default: {
      const exhaustive: never = command;
      return assertNever(exhaustive, 'visit command');
    }
  }
}

// ---------------------------------------------------------------- evolve

function emptyRecord(visit: VisitOpened['data']): VisitRecord {
  return {
    visit,
    modality: visit.modality,
    disconnected: {},
    connectionLog: [],
    modalityChanges: [],
    vitals: [],
    diagnoses: [],
    orders: [],
    attachments: [],
    messages: [],
    consults: [],
    prescriptions: [],
  };
}

export function evolve(state: VisitState, event: VisitEvent): VisitState {
  if (event.type === 'VisitOpened') return { status: 'scheduled', record: emptyRecord(event.data) };
  if (state.status === 'none') return state;
  const r = state.record;
  const keep = (record: VisitRecord): VisitState => ({ ...state, record });
  switch (event.type) {
    case 'VisitRescheduled':
      return keep({ ...r, visit: { ...r.visit, ...event.data } });
    case 'VisitCancelled':
      return { status: 'cancelled', record: { ...r, cancelled: event.data } };
    case 'PatientCheckedIn':
      return { status: 'waiting', record: { ...r, checkIn: event.data } };
    case 'PatientLeftBeforeSeen':
      return { status: 'left-before-seen', record: { ...r, leftAt: event.data.at } };
    case 'ProviderAssigned':
      return keep({ ...r, visit: { ...r.visit, providerId: event.data.providerId } });
    case 'PatientAdmitted':
      return { status: 'in-progress', record: { ...r, admitted: event.data } };
    case 'ParticipantDisconnected':
      return keep({
        ...r,
        disconnected: { ...r.disconnected, [event.data.participantId]: { role: event.data.role, at: event.data.at } },
        connectionLog: [...r.connectionLog, { participantId: event.data.participantId, status: 'disconnected', at: event.data.at }],
      });
    case 'ParticipantReconnected': {
      const { [event.data.participantId]: _gone, ...rest } = r.disconnected;
      return keep({
        ...r,
        disconnected: rest,
        connectionLog: [...r.connectionLog, { participantId: event.data.participantId, status: 'reconnected', at: event.data.at }],
      });
    }
    case 'ModalitySwitched':
      return keep({ ...r, modality: event.data.to, modalityChanges: [...r.modalityChanges, event.data] });
    case 'SymptomsReviewed':
      return keep({ ...r, symptoms: event.data });
    case 'VitalsRecorded':
      return keep({ ...r, vitals: [...r.vitals, event.data] });
    case 'NoteWritten':
      return keep({ ...r, note: event.data });
    case 'DiagnosisRecorded':
      return keep({ ...r, diagnoses: [...r.diagnoses, event.data] });
    case 'OrderPlaced':
      return keep({ ...r, orders: [...r.orders, event.data] });
    case 'AttachmentShared':
      return keep({ ...r, attachments: [...r.attachments, event.data] });
    case 'SecureMessagePosted':
      return keep({ ...r, messages: [...r.messages, event.data] });
    case 'ConsultRequested':
      return keep({ ...r, consults: [...r.consults, { ...event.data, joined: [], discussion: [] }] });
    case 'ConsultantJoined':
      return keep({
        ...r,
        consults: r.consults.map((c) => (c.consultId === event.data.consultId ? { ...c, joined: [...c.joined, event.data.providerId] } : c)),
      });
    case 'ConsultDiscussionPosted':
      return keep({
        ...r,
        consults: r.consults.map((c) => (c.consultId === event.data.consultId ? { ...c, discussion: [...c.discussion, event.data] } : c)),
      });
    case 'EmergencyEscalated':
      return keep({ ...r, emergency: event.data });
    case 'FollowUpRequested':
      return keep({ ...r, followUp: event.data });
    case 'PrescriptionIntended':
      return keep({ ...r, prescriptions: [...r.prescriptions, event.data] });
    case 'VisitCompleted':
      return { status: 'ended', record: { ...r, outcome: event.data } };
    case 'RoomTokenIssued':
    case 'VisitRecordRead':
      return state; // audit trail only
    default: {
      const exhaustive: never = event;
      return assertNever(exhaustive, 'visit event');
    }
  }
}

export const visitDecider: Decider<VisitCommand, VisitEvent, VisitState> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};
