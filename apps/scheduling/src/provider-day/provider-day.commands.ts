import type { Command } from '@carebridge/shared-kernel';
import type { Modality, ProviderLicence } from '../provider/provider.events';
import type { AttendancePolicy } from './attendance.rules';
import type {
  AppointmentBooked,
  CoverageOutcome,
  Intake,
  Interval,
  PatientSetting,
  TriageReviewDecision,
  VisitPurpose,
} from './provider-day.events';

/**
 * What the day's decider needs to know about the provider, read from the provider stream by the
 * caller: the slots their availability offers on this day (computed in their time zone) and
 * what they may do. The decider stays pure; time-zone arithmetic happens in availability.slots.ts.
 */
export interface ProviderTerms {
  readonly providerId: string;
  readonly licensedStates: readonly string[];
  readonly modalities: readonly Modality[];
  readonly offeredSlots: readonly Interval[];
  /** Licences with their expiry where known; when given, an expired licence does not license. */
  readonly licences?: readonly ProviderLicence[];
}

export type HoldSlot = Command<
  'HoldSlot',
  { holdId: string; patientId: string; slot: Interval; holdMinutes: number; terms: ProviderTerms }
>;
export type BookAppointment = Command<
  'BookAppointment',
  {
    appointmentId: string;
    patientId: string;
    slot: Interval;
    modality: Modality;
    patientState: string;
    reason: string;
    intake: Intake;
    holdId?: string;
    /** Only a scheduler (ops) may book over other bookings, with a reason. */
    override?: { reasonCode: string };
    series?: { seriesId: string; occurrence: number; of: number };
    /** A seat in this group session instead of the provider's time to oneself. */
    groupSessionId?: string;
    /** Other providers taking part; each of their day streams gets a BookParticipant in the same write. */
    additionalProviderIds?: readonly string[];
    serviceCodes?: readonly string[];
    visitPurpose?: VisitPurpose;
    patientSetting?: PatientSetting;
    terms: ProviderTerms;
  }
>;
/** A further provider of a multi-provider appointment: their time is taken on their own day stream. */
export type BookParticipant = Command<
  'BookParticipant',
  {
    appointmentId: string;
    leadProviderId: string;
    patientId: string;
    slot: Interval;
    modality: Modality;
    patientState: string;
    terms: ProviderTerms;
  }
>;
/** The appointment moved within this provider's day. */
export type MoveParticipant = Command<'MoveParticipant', { appointmentId: string; to: Interval; terms: ProviderTerms }>;
/** Cancelled, or moved to another day of this provider: the time is free again. */
export type ReleaseParticipant = Command<'ReleaseParticipant', { appointmentId: string; reasonCode: string }>;
export type ScheduleGroupSession = Command<
  'ScheduleGroupSession',
  { sessionId: string; slot: Interval; capacity: number; terms: ProviderTerms }
>;
export type CancelAppointment = Command<'CancelAppointment', { appointmentId: string; reasonCode: string }>;
export type RescheduleAppointment = Command<
  'RescheduleAppointment',
  { appointmentId: string; to: Interval; reasonCode: string; terms: ProviderTerms }
>;
export type AcceptMovedAppointment = Command<
  'AcceptMovedAppointment',
  { appointment: AppointmentBooked['data']; to: Interval; reasonCode: string; terms: ProviderTerms }
>;
export type ReleaseMovedAppointment = Command<'ReleaseMovedAppointment', { appointmentId: string; to: Interval }>;
/**
 * `reportedBy: 'visits'`: the patient checked in in visits' waiting room (metadata.now is the
 * time visits recorded). visits' window opens earlier than ours, so its opening is not checked
 * again; lateness still is (the grace period is ours), and a second check-in is a no-op.
 */
export type CheckIn = Command<'CheckIn', { appointmentId: string; policy: AttendancePolicy; reportedBy?: 'visits' }>;
/** `scheduledStart`: the start the no-show job was scheduled for; a job of an earlier time does nothing. */
export type MarkNoShow = Command<'MarkNoShow', { appointmentId: string; policy: AttendancePolicy; scheduledStart?: string }>;
/** From the reminder job: `start` is the time the job was scheduled for, so a stale job does nothing. */
export type RecordReminderSent = Command<
  'RecordReminderSent',
  { appointmentId: string; start: string; minutesBefore: number; channels: readonly ('sms' | 'email')[] }
>;

/** From the job's last failed attempt: the reminder or invitation it recorded did not reach the patient. */
export type RecordNotificationUndelivered = Command<
  'RecordNotificationUndelivered',
  {
    appointmentId: string;
    kind: 'reminder' | 'no-show';
    start: string;
    minutesBefore?: number;
    channels: readonly ('sms' | 'email')[];
    reasons: readonly string[];
    attempts: number;
  }
>;

export type RecordCoverage = Command<
  'RecordCoverage',
  { appointmentId: string; determinationId: string; outcome: CoverageOutcome; reasonCodes: readonly string[] }
>;

export type RecordIntakeRead = Command<'RecordIntakeRead', { appointmentId: string; purpose: string }>;

/** A nurse or provider's review of a needs-review intake. */
export type ReviewTriage = Command<'ReviewTriage', { appointmentId: string; decision: TriageReviewDecision; note?: string }>;

export type AddIntakeAttachment = Command<
  'AddIntakeAttachment',
  { appointmentId: string; sha256: string; contentType: string; sizeBytes: number }
>;

export type ProviderDayCommand =
  | BookParticipant
  | MoveParticipant
  | ReleaseParticipant
  | HoldSlot
  | ScheduleGroupSession
  | BookAppointment
  | CancelAppointment
  | RescheduleAppointment
  | AcceptMovedAppointment
  | ReleaseMovedAppointment
  | CheckIn
  | MarkNoShow
  | RecordReminderSent
  | RecordNotificationUndelivered
  | RecordCoverage
  | RecordIntakeRead
  | AddIntakeAttachment
  | ReviewTriage;
