import type { Command } from '@carebridge/shared-kernel';
import type { Modality } from '../provider/provider.events';
import type { Interval, ProviderTerms } from '../provider-day/provider-day.events';
import type { AttendancePolicy } from './attendance.rules';
import type { CoverageOutcome, Intake, PatientSetting, TriageReviewDecision, VisitPurpose } from './appointment.events';

/**
 * The appointment's commands. Those that take or free the provider's time go together with the
 * provider-day commands of the same write (handleMany): the day decides the time, the appointment
 * decides the rest (triage, modality, licensure, whether it can still change).
 */
export type BookAppointment = Command<
  'BookAppointment',
  {
    appointmentId: string;
    patientId: string;
    /** The time booked: the slot, or the group session's time for a seat. */
    slot: Interval;
    modality: Modality;
    patientState: string;
    reason: string;
    intake: Intake;
    series?: { seriesId: string; occurrence: number; of: number };
    groupSessionId?: string;
    /** Other providers taking part; each of their day streams gets a BookParticipant in the same write. */
    additionalProviderIds?: readonly string[];
    serviceCodes?: readonly string[];
    visitPurpose?: VisitPurpose;
    patientSetting?: PatientSetting;
    /** The lead provider's terms: modalities and licences (the slot itself is the day's to check). */
    terms: ProviderTerms;
  }
>;
export type CancelAppointment = Command<'CancelAppointment', { appointmentId: string; reasonCode: string }>;
export type RescheduleAppointment = Command<'RescheduleAppointment', { appointmentId: string; to: Interval; reasonCode: string }>;
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

export type AppointmentCommand =
  | BookAppointment
  | CancelAppointment
  | RescheduleAppointment
  | CheckIn
  | MarkNoShow
  | RecordReminderSent
  | RecordNotificationUndelivered
  | RecordCoverage
  | RecordIntakeRead
  | AddIntakeAttachment
  | ReviewTriage;
