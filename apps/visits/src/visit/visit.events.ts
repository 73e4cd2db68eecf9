import type { TriageRecord } from '@carebridge/clinical-reference';

/** The events of a `visit-<id>` stream: the visit's record and its audit vocabulary. */

export type VisitKind = 'scheduled' | 'on-demand' | 'asynchronous';
export type VisitModality = 'video' | 'phone' | 'asynchronous';
export type ParticipantRole = 'patient' | 'provider';

export interface Licence {
  readonly state: string;
  readonly number: string;
  /** Last valid day (YYYY-MM-DD, UTC). */
  readonly expiresOn: string;
}

export interface Vitals {
  readonly temperature?: { readonly value: number; readonly unit: string };
  readonly bloodPressure?: { readonly systolic: number; readonly diastolic: number; readonly unit: string };
  readonly heartRate?: { readonly value: number; readonly unit: string };
  readonly spo2?: { readonly value: number; readonly unit: string };
  readonly weight?: { readonly value: number; readonly unit: string };
}

export interface SoapNote {
  readonly subjective: string;
  readonly objective: string;
  readonly assessment: string;
  readonly plan: string;
}

export interface PrescriptionIntent {
  readonly intentId: string;
  readonly rxnormCode: string;
  readonly name: string;
  readonly sig: string;
  readonly quantity: { readonly value: number; readonly unit: string };
  readonly daysSupply: number;
  readonly refills: number;
}

export type Disposition = 'resolved' | 'in-person-follow-up' | 'specialist-referral' | 'emergency-referral';

export type VisitOpened = {
  readonly type: 'VisitOpened';
  readonly data: {
    readonly visitId: string;
    readonly kind: VisitKind;
    readonly patientId: string;
    readonly providerId?: string;
    readonly appointmentId?: string;
    readonly modality: VisitModality;
    /** Where the patient said they would be (booking or queue); confirmed again at check-in. */
    readonly patientState?: string;
    readonly scheduledStart?: string;
    readonly scheduledEnd?: string;
    readonly openedAt: string;
  };
};
export type VisitRescheduled = { readonly type: 'VisitRescheduled'; readonly data: { readonly scheduledStart: string; readonly scheduledEnd: string } };
export type VisitCancelled = { readonly type: 'VisitCancelled'; readonly data: { readonly reasonCode: string; readonly at: string } };
export type PatientCheckedIn = {
  readonly type: 'PatientCheckedIn';
  readonly data: {
    readonly patientId: string;
    readonly appointmentId?: string;
    readonly locationState: string;
    readonly device: { readonly camera: boolean; readonly microphone: boolean; readonly bandwidthKbps: number };
    readonly videoProblems: readonly string[];
    readonly at: string;
  };
};
export type PatientLeftBeforeSeen = { readonly type: 'PatientLeftBeforeSeen'; readonly data: { readonly waitedSeconds: number; readonly at: string } };
export type ProviderAssigned = { readonly type: 'ProviderAssigned'; readonly data: { readonly providerId: string; readonly at: string } };
export type PatientAdmitted = {
  readonly type: 'PatientAdmitted';
  readonly data: { readonly providerId: string; readonly patientId: string; readonly locationState: string; readonly licence: Licence; readonly waitedSeconds: number; readonly at: string };
};
export type ParticipantDisconnected = { readonly type: 'ParticipantDisconnected'; readonly data: { readonly participantId: string; readonly role: ParticipantRole; readonly at: string } };
export type ParticipantReconnected = { readonly type: 'ParticipantReconnected'; readonly data: { readonly participantId: string; readonly role: ParticipantRole; readonly at: string } };
export type ModalitySwitched = {
  readonly type: 'ModalitySwitched';
  readonly data: { readonly from: VisitModality; readonly to: VisitModality; readonly reason: 'no-video' | 'requested'; readonly at: string };
};
export type RoomTokenIssued = { readonly type: 'RoomTokenIssued'; readonly data: { readonly participantId: string; readonly expiresAt: string } };
/** `triage`: what libs/clinical-reference read in the codes and the history (absent on events before issue 15). */
export type SymptomsReviewed = {
  readonly type: 'SymptomsReviewed';
  readonly data: { readonly symptoms: readonly string[]; readonly history: string; readonly triage?: TriageRecord };
};
export type VitalsRecorded = {
  readonly type: 'VitalsRecorded';
  readonly data: { readonly vitalsId: string; readonly patientId: string; readonly measuredAt: string; readonly recordedBy: ParticipantRole; readonly vitals: Vitals };
};
export type NoteWritten = { readonly type: 'NoteWritten'; readonly data: { readonly note: SoapNote; readonly authorId: string } };
export type DiagnosisRecorded = { readonly type: 'DiagnosisRecorded'; readonly data: { readonly code: string; readonly display: string } };
export type OrderPlaced = {
  readonly type: 'OrderPlaced';
  readonly data: { readonly orderId: string; readonly category: 'lab' | 'imaging' | 'other'; readonly code: string; readonly display: string };
};
export type AttachmentShared = {
  readonly type: 'AttachmentShared';
  readonly data: {
    readonly sha256: string;
    readonly contentType: string;
    readonly category: 'photo' | 'imaging' | 'document' | 'video';
    readonly sizeBytes: number;
    readonly sharedBy: { readonly id: string; readonly role: ParticipantRole };
    readonly at: string;
  };
};
export type SecureMessagePosted = {
  readonly type: 'SecureMessagePosted';
  readonly data: {
    readonly messageId: string;
    readonly author: { readonly id: string; readonly role: ParticipantRole };
    readonly text: string;
    readonly attachments: readonly string[];
    readonly at: string;
    /** A patient's message in an asynchronous visit, read by libs/clinical-reference (no provider is there to read it now). */
    readonly triage?: TriageRecord;
  };
};
export type ConsultRequested = {
  readonly type: 'ConsultRequested';
  readonly data: {
    readonly consultId: string;
    readonly kind: 'specialist' | 'care-team';
    readonly invitees: readonly string[];
    readonly specialty?: string;
    readonly reason: string;
    readonly requestedBy: string;
  };
};
export type ConsultantJoined = {
  readonly type: 'ConsultantJoined';
  readonly data: { readonly consultId: string; readonly providerId: string; readonly patientId: string; readonly at: string };
};
export type ConsultDiscussionPosted = {
  readonly type: 'ConsultDiscussionPosted';
  readonly data: { readonly consultId: string; readonly authorId: string; readonly text: string; readonly at: string };
};
export type EmergencyEscalated = {
  readonly type: 'EmergencyEscalated';
  readonly data: {
    readonly patientId: string;
    readonly providerId?: string;
    readonly by: 'provider' | 'intake-rules';
    readonly redFlags: readonly string[];
    readonly rulesSource: string;
    readonly instruction: string;
    readonly at: string;
  };
};
export type FollowUpRequested = {
  readonly type: 'FollowUpRequested';
  readonly data: {
    readonly followUpId: string;
    readonly patientId: string;
    readonly providerId: string;
    readonly reasonCode: string;
    readonly patientState: string;
    readonly dueBy: string;
  };
};
export type PrescriptionIntended = {
  readonly type: 'PrescriptionIntended';
  readonly data: PrescriptionIntent & {
    readonly prescriberId: string;
    readonly patientId: string;
    readonly modality: VisitModality;
    /** Where the patient was during the visit (check-in location); absent on events recorded before it was kept. */
    readonly patientLocationState?: string;
  };
};
export type VisitCompleted = {
  readonly type: 'VisitCompleted';
  readonly data: {
    readonly patientId: string;
    readonly providerId?: string;
    readonly appointmentId?: string;
    readonly modality: VisitModality;
    readonly diagnosisCodes: readonly string[];
    readonly prescriptionIntents: number;
    readonly disposition: Disposition;
    readonly referral?: { readonly specialty: string; readonly reasonCode: string };
    readonly instructions: string;
    readonly at: string;
  };
};
/** A read of the record (HIPAA access log): who, why (metadata) and which view. */
export type VisitRecordRead = {
  readonly type: 'VisitRecordRead';
  readonly data: { readonly view: RecordView; readonly readerId: string; readonly readerRole: string; readonly purpose: string };
};
export type RecordView = 'record' | 'summary' | 'fhir-encounter' | 'fhir-observation' | 'attachment';

export type VisitEvent =
  | VisitOpened
  | VisitRescheduled
  | VisitCancelled
  | PatientCheckedIn
  | PatientLeftBeforeSeen
  | ProviderAssigned
  | PatientAdmitted
  | ParticipantDisconnected
  | ParticipantReconnected
  | ModalitySwitched
  | RoomTokenIssued
  | SymptomsReviewed
  | VitalsRecorded
  | NoteWritten
  | DiagnosisRecorded
  | OrderPlaced
  | AttachmentShared
  | SecureMessagePosted
  | ConsultRequested
  | ConsultantJoined
  | ConsultDiscussionPosted
  | EmergencyEscalated
  | FollowUpRequested
  | PrescriptionIntended
  | VisitCompleted
  | VisitRecordRead;
