import { z } from 'zod';
import { defineIntegrationEvent } from '../integration-event';

// Minimum necessary PHI on Kafka: ids, times, codes and measured numbers; notes, history,
// messages and attachment bytes stay in the visits service.
const TOPIC = 'carebridge.visits.visit.v1';
const usState = z.string().regex(/^[A-Z]{2}$/);
const code = z.string().regex(/^[a-z][a-z0-9-]*$/);
const visitModality = z.enum(['video', 'phone', 'asynchronous']);
/** ICD-10-CM, e.g. `J06.9` (https://www.cdc.gov/nchs/icd/icd-10-cm/). */
const icd10cm = z.string().regex(/^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/);

export const VisitOpened = defineIntegrationEvent({
  context: 'visits',
  name: 'VisitOpened',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    visitId: z.uuid(),
    patientId: z.uuid(),
    /** Absent for an urgent-care visit until a provider takes the patient. */
    providerId: z.uuid().optional(),
    /** Set when the visit was opened from a booking. */
    appointmentId: z.uuid().optional(),
    kind: z.enum(['scheduled', 'on-demand', 'asynchronous']),
    modality: visitModality,
    patientState: usState.optional(),
    scheduledStart: z.iso.datetime().optional(),
  }),
  partitionKey: (d) => d.visitId,
  description: 'A visit session exists: from a booking, an urgent-care queue entry or an asynchronous request.',
});

export const PatientCheckedIn = defineIntegrationEvent({
  context: 'visits',
  name: 'PatientCheckedIn',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    visitId: z.uuid(),
    patientId: z.uuid(),
    appointmentId: z.uuid().optional(),
    /** Where the patient confirmed they are (licensure is checked against it). */
    locationState: usState,
    videoReady: z.boolean(),
    checkedInAt: z.iso.datetime(),
  }),
  partitionKey: (d) => d.visitId,
  description: 'The patient is in the waiting room after the device check.',
});

export const ProviderJoined = defineIntegrationEvent({
  context: 'visits',
  name: 'ProviderJoined',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    visitId: z.uuid(),
    patientId: z.uuid(),
    providerId: z.uuid(),
    role: z.enum(['attending', 'consultant']),
    /** The state whose licence was checked when the attending provider admitted the patient. */
    licenceState: usState.optional(),
    joinedAt: z.iso.datetime(),
  }),
  partitionKey: (d) => d.visitId,
  description: 'A provider admitted the patient (attending) or joined a consult (consultant).',
});

export const ModalitySwitched = defineIntegrationEvent({
  context: 'visits',
  name: 'ModalitySwitched',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    visitId: z.uuid(),
    from: visitModality,
    to: visitModality,
    reasonCode: z.enum(['no-video', 'requested']),
    switchedAt: z.iso.datetime(),
  }),
  partitionKey: (d) => d.visitId,
  description: 'The visit went on in another modality (video lost -> phone); the record is the same.',
});

export const VitalsRecorded = defineIntegrationEvent({
  context: 'visits',
  name: 'VitalsRecorded',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    visitId: z.uuid(),
    patientId: z.uuid(),
    measuredAt: z.iso.datetime(),
    /** LOINC code, value and UCUM unit of each measurement. */
    observations: z
      .array(z.object({ loinc: z.string().regex(/^\d{1,7}-\d$/), value: z.number(), unit: z.string().min(1).max(20) }))
      .min(1),
  }),
  partitionKey: (d) => d.visitId,
  description: 'Home-measured vitals were recorded on the visit (validated ranges and units).',
});

export const AttachmentShared = defineIntegrationEvent({
  context: 'visits',
  name: 'AttachmentShared',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    visitId: z.uuid(),
    /** SHA-256 of the bytes (the blob's key). */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    contentType: z.string().min(3).max(100),
    category: z.enum(['photo', 'imaging', 'document', 'video']),
    sizeBytes: z.number().int().positive(),
    sharedByRole: z.enum(['patient', 'provider']),
  }),
  partitionKey: (d) => d.visitId,
  description: 'A file was shared with the participants of the visit.',
});

export const ConsultRequested = defineIntegrationEvent({
  context: 'visits',
  name: 'ConsultRequested',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    visitId: z.uuid(),
    consultId: z.uuid(),
    requestedBy: z.uuid(),
    kind: z.enum(['specialist', 'care-team']),
    invitees: z.array(z.uuid()).min(1),
    specialty: code.optional(),
  }),
  partitionKey: (d) => d.visitId,
  description: 'The attending provider invited a specialist or a care team into the visit.',
});

export const VisitCompleted = defineIntegrationEvent({
  context: 'visits',
  name: 'VisitCompleted',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    visitId: z.uuid(),
    patientId: z.uuid(),
    providerId: z.uuid().optional(),
    appointmentId: z.uuid().optional(),
    disposition: z.enum(['resolved', 'in-person-follow-up', 'specialist-referral', 'emergency-referral']),
    diagnosisCodes: z.array(icd10cm),
    prescriptionIntents: z.number().int().min(0),
    modality: visitModality,
    completedAt: z.iso.datetime(),
  }),
  partitionKey: (d) => d.visitId,
  description: 'The visit ended with an outcome (billing, follow-up and prescriptions key off it).',
});

export const FollowUpRequested = defineIntegrationEvent({
  context: 'visits',
  name: 'FollowUpRequested',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    followUpId: z.uuid(),
    visitId: z.uuid(),
    patientId: z.uuid(),
    providerId: z.uuid(),
    modality: z.literal('in-person'),
    /** Why: e.g. `abdominal-exam`, `physical-exam`, `procedure`. */
    reasonCode: code,
    patientState: usState,
    /** The follow-up should happen before this instant. */
    dueBy: z.iso.datetime(),
  }),
  partitionKey: (d) => d.visitId,
  description: 'The visit needs an in-person follow-up: scheduling records the request for the patient.',
});

export const EmergencyEscalated = defineIntegrationEvent({
  context: 'visits',
  name: 'EmergencyEscalated',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    visitId: z.uuid(),
    patientId: z.uuid(),
    providerId: z.uuid().optional(),
    escalatedBy: z.enum(['provider', 'intake-rules']),
    redFlagCodes: z.array(code).min(1),
    rulesSource: z.string().min(1),
    escalatedAt: z.iso.datetime(),
  }),
  partitionKey: (d) => d.visitId,
  description: 'Red flags during the visit: the patient was told to call 911 or go to an emergency room.',
});

export const PrescriptionIntended = defineIntegrationEvent({
  context: 'visits',
  name: 'PrescriptionIntended',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    /** Becomes the prescription id of the draft. */
    intentId: z.uuid(),
    visitId: z.uuid(),
    patientId: z.uuid(),
    prescriberId: z.uuid(),
    rxnormCode: z.string().regex(/^\d{1,10}$/),
    /**
     * Optional (added to v1 without a version bump: consumers built before it ignore it, and
     * events published before it simply lack it): the display name of the RxNorm concept the
     * provider chose, so the draft is readable without an RxNorm lookup. The sig is not carried:
     * it is the provider's free text, which stays in the visits service (header of this file).
     */
    medicationName: z.string().min(1).max(200).optional(),
    quantity: z.object({ value: z.number().positive(), unit: z.string().min(1).max(40) }),
    daysSupply: z.number().int().positive(),
    refills: z.number().int().min(0),
    encounterModality: z.enum(['audio-video', 'audio-only']),
    /**
     * Optional (added to v1 like medicationName): the USPS code of the state the patient was in
     * during the visit (their check-in location). A controlled substance prescribed by telemedicine
     * needs the prescriber's DEA registration in that state.
     */
    patientLocationState: z.string().regex(/^[A-Z]{2}$/).optional(),
  }),
  partitionKey: (d) => d.visitId,
  description: 'The provider intends to prescribe: the prescriptions service drafts it for the prescriber to sign.',
});
