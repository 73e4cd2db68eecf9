/** The commands of a visit (`visit.decider.ts` decides them). */
import type { Command } from '@carebridge/shared-kernel';
import type {
  AttachmentShared,
  ConsultRequested,
  Disposition,
  Licence,
  OrderPlaced,
  ParticipantRole,
  PrescriptionIntent,
  RecordView,
  SecureMessagePosted,
  SoapNote,
  VisitModality,
  VisitOpened,
  Vitals,
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
