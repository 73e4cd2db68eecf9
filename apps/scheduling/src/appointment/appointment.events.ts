import type { TriageRecord } from '@carebridge/clinical-reference';
import type { Modality, ProviderLicence } from '../provider/provider.events';
import type { Interval } from '../provider-day/provider-day.events';

/**
 * The events of one appointment, `appointment-<appointmentId>`: booked (or redirected by triage,
 * nothing booked), reviewed, rescheduled, cancelled, attended or missed, reminded, its coverage,
 * who read its intake and what was attached. The provider's time it takes is the calendar's: the
 * provider-day streams hold the reservations, written in the same transaction (handleMany).
 */

export interface Intake {
  /** Codes from libs/clinical-reference SYMPTOM_CODES. */
  readonly symptoms: readonly string[];
  readonly description?: string;
  readonly questions?: readonly string[];
}

/**
 * What triage read in the intake (libs/clinical-reference), kept with the booking so a clinician
 * sees why: which of the patient's phrases (or codes) triggered which rule, and those it read as
 * negated or past. Events recorded before issue 15 have none.
 */
export type IntakeTriage = TriageRecord;
export type TriageFinding = TriageRecord['matches'][number];

/** Coverage categories with their own telehealth rules (contracts AppointmentBooked.visitPurpose). */
export const VISIT_PURPOSES = ['mental-health', 'sud', 'esrd-home-dialysis', 'acute-stroke', 'other'] as const;
export type VisitPurpose = (typeof VISIT_PURPOSES)[number];
export const PATIENT_SETTINGS = ['home', 'facility'] as const;
export type PatientSetting = (typeof PATIENT_SETTINGS)[number];

/**
 * What billing-eligibility needs to check coverage without asking us, all optional: the codes the
 * clinic plans to bill, the coverage category, where the patient will be, and the provider's
 * licences as they stood at booking time.
 */
export interface BillingFacts {
  readonly serviceCodes?: readonly string[];
  readonly visitPurpose?: VisitPurpose;
  readonly patientSetting?: PatientSetting;
  readonly providerLicences?: readonly ProviderLicence[];
}

export type AppointmentBooked = {
  readonly type: 'AppointmentBooked';
  readonly data: {
    readonly appointmentId: string;
    readonly providerId: string;
    readonly patientId: string;
    readonly start: string;
    readonly end: string;
    readonly modality: Modality;
    /** Where the patient will be at visit time (USPS code): licensure is checked against it. */
    readonly patientState: string;
    readonly reason: string;
    readonly intake: Intake;
    /** A seat in a group session (online support group): the session holds the provider's time. */
    readonly groupSessionId?: string;
    /** One occurrence of a recurring series (weekly therapy, monthly check-ups); changeable on its own. */
    readonly series?: { readonly seriesId: string; readonly occurrence: number; readonly of: number };
    /** Further providers whose time the appointment also takes (each has an AppointmentParticipantBooked on their own day). */
    readonly additionalProviderIds?: readonly string[];
    /** `needs-review`: booked, but a nurse or provider reviews the intake first (TriageReviewed). */
    readonly triage?: IntakeTriage;
  } & BillingFacts;
};

/** Nothing was booked: the intake named an emergency (or a crisis); the patient was told what to do. */
export type EmergencyRedirected = {
  readonly type: 'EmergencyRedirected';
  readonly data: {
    readonly patientId: string;
    readonly providerId: string;
    /** The rules that fired (rule ids of libs/clinical-reference). */
    readonly redFlags: readonly string[];
    readonly rulesSource: string;
    readonly guidance: string;
    /** Suicidal or self-harm statements: the guidance named 988 and 911. */
    readonly crisis?: boolean;
    readonly matches?: readonly TriageFinding[];
  };
};

/** Nothing was booked: the intake needs a physical examination and a video or phone visit was asked for. */
export type InPersonRedirected = {
  readonly type: 'InPersonRedirected';
  readonly data: {
    readonly patientId: string;
    readonly providerId: string;
    readonly requestedModality: Modality;
    readonly requestedStart: string;
    readonly rules: readonly string[];
    readonly rulesSource: string;
    readonly guidance: string;
    readonly matches: readonly TriageFinding[];
  };
};

/** A nurse or provider reviewed a needs-review intake: the appointment stands, or is cancelled for in-person or emergency care. */
export type TriageReviewed = {
  readonly type: 'TriageReviewed';
  readonly data: {
    readonly appointmentId: string;
    readonly providerId: string;
    readonly patientId: string;
    readonly decision: TriageReviewDecision;
    readonly note?: string;
  };
};

export const TRIAGE_REVIEW_DECISIONS = ['virtual-ok', 'in-person', 'emergency'] as const;
export type TriageReviewDecision = (typeof TRIAGE_REVIEW_DECISIONS)[number];

export type AppointmentCancelled = {
  readonly type: 'AppointmentCancelled';
  readonly data: {
    readonly appointmentId: string;
    readonly providerId: string;
    readonly patientId: string;
    readonly start: string;
    readonly end: string;
    readonly reasonCode: string;
  };
};

/** Moved to another time, the same day or another (the calendar moves in the same write). */
export type AppointmentRescheduled = {
  readonly type: 'AppointmentRescheduled';
  readonly data: {
    readonly appointmentId: string;
    readonly providerId: string;
    readonly patientId: string;
    readonly from: Interval;
    readonly to: Interval;
    readonly reasonCode: string;
  };
};

export type PatientCheckedIn = {
  readonly type: 'PatientCheckedIn';
  readonly data: {
    readonly appointmentId: string;
    readonly providerId: string;
    readonly patientId: string;
    readonly minutesLate: number;
  };
};

export type AppointmentNoShow = {
  readonly type: 'AppointmentNoShow';
  readonly data: {
    readonly appointmentId: string;
    readonly providerId: string;
    readonly patientId: string;
    readonly start: string;
    readonly graceMinutes: number;
  };
};

/** A reminder went out (recorded before sending, so a retried job never sends twice). */
export type AppointmentReminderSent = {
  readonly type: 'AppointmentReminderSent';
  readonly data: {
    readonly appointmentId: string;
    readonly providerId: string;
    readonly patientId: string;
    readonly start: string;
    readonly minutesBefore: number;
    readonly channels: readonly ('sms' | 'email')[];
  };
};

/**
 * A reminder or no-show invitation that was recorded (AppointmentReminderSent / AppointmentNoShow)
 * but not delivered on these channels after the job's last attempt: the audit trail says what the
 * patient did not get, and the appointment shows it (someone can call the patient).
 */
export type AppointmentNotificationUndelivered = {
  readonly type: 'AppointmentNotificationUndelivered';
  readonly data: {
    readonly appointmentId: string;
    readonly providerId: string;
    readonly patientId: string;
    readonly kind: 'reminder' | 'no-show';
    readonly start: string;
    /** Reminders: how long before the start it was due. */
    readonly minutesBefore?: number;
    readonly channels: readonly ('sms' | 'email')[];
    /** Per channel, the error's code as the job kept it (never an address or a number). */
    readonly reasons: readonly string[];
    readonly attempts: number;
  };
};

export type CoverageOutcome = 'covered' | 'not-covered' | 'covered-with-conditions' | 'unknown';

/** Billing-eligibility's answer for this appointment, shown on it (from their EligibilityDetermined). */
export type AppointmentCoverageRecorded = {
  readonly type: 'AppointmentCoverageRecorded';
  readonly data: {
    readonly appointmentId: string;
    readonly providerId: string;
    readonly patientId: string;
    readonly determinationId: string;
    readonly outcome: CoverageOutcome;
    readonly reasonCodes: readonly string[];
  };
};

/** Someone read the intake (PHI): who is in the metadata, why here (HIPAA access accounting). */
export type IntakeRead = {
  readonly type: 'IntakeRead';
  readonly data: {
    readonly appointmentId: string;
    readonly providerId: string;
    readonly patientId: string;
    readonly purpose: string;
  };
};

/** A photo for the provider, stored by content hash in the blob store (only the hash is in the event). */
export type IntakeAttachmentAdded = {
  readonly type: 'IntakeAttachmentAdded';
  readonly data: {
    readonly appointmentId: string;
    readonly providerId: string;
    readonly patientId: string;
    readonly sha256: string;
    readonly contentType: string;
    readonly sizeBytes: number;
  };
};

export type AppointmentEvent =
  | AppointmentBooked
  | EmergencyRedirected
  | InPersonRedirected
  | TriageReviewed
  | AppointmentCancelled
  | AppointmentRescheduled
  | PatientCheckedIn
  | AppointmentNoShow
  | AppointmentReminderSent
  | AppointmentNotificationUndelivered
  | AppointmentCoverageRecorded
  | IntakeRead
  | IntakeAttachmentAdded;
