import { z } from 'zod';
import { bookedTriageSchema, emergencyAnswerSchema, inPersonAnswerSchema } from '../appointment/booking-answer.views';

/**
 * What the scheduling handlers answer (their return values and the read models they return), as
 * zod schemas for the OpenAPI document. Objects are open (`looseObject`): a field added to an
 * answer is not a breaking change. The access policy matrix test validates every 2xx answer it
 * gets against these (apps/scheduling/test/access-policy.int.spec.ts).
 */
const uuid = z.uuid();

export const provider = z.looseObject({
  providerId: uuid,
  specialties: z.array(z.string()),
  licensedStates: z.array(z.string()),
  timeZone: z.string(),
  modalities: z.array(z.string()),
  availability: z.looseObject({ weekly: z.array(z.looseObject({})), exceptions: z.array(z.looseObject({})), slotMinutes: z.int(), bufferMinutes: z.int() }),
});

export const groupSession = z.looseObject({ sessionId: uuid, providerId: uuid });

const localSlot = { providerId: uuid, start: z.string(), end: z.string(), startUtc: z.string(), modality: z.string() };
export const slots = z.looseObject({ timeZone: z.string(), slots: z.array(z.looseObject(localSlot)), nextPageToken: z.string().optional() });
export const groupSessions = z.looseObject({
  timeZone: z.string(),
  groupSessions: z.array(z.looseObject({ ...localSlot, sessionId: uuid, capacity: z.int(), freeSeats: z.int() })),
});

export const hold = z.looseObject({ holdId: uuid, providerId: uuid, start: z.string(), end: z.string(), expiresAt: z.string() });

export const booked = z.looseObject({
  booked: z.literal(true),
  appointmentId: uuid,
  providerId: uuid,
  patientId: uuid,
  start: z.string(),
  end: z.string(),
  modality: z.string(),
  additionalProviderIds: z.array(uuid).optional(),
  status: z.literal('booked'),
  triage: bookedTriageSchema.optional(),
});
// Told apart by triage.disposition (OpenAPI's discriminator only reads top-level properties).
export const notBooked = z.xor([emergencyAnswerSchema, inPersonAnswerSchema]);
export const series = z.looseObject({
  seriesId: uuid,
  triage: bookedTriageSchema.optional(),
  appointments: z.array(z.looseObject({ appointmentId: uuid, start: z.string(), end: z.string(), occurrence: z.int() })),
});

const triageRead = z.looseObject({ disposition: z.string(), rules: z.array(z.unknown()), rulesVersion: z.string().nullable().optional() });
export const appointment = z.looseObject({
  appointmentId: uuid,
  providerId: uuid,
  additionalProviderIds: z.array(uuid),
  patientId: uuid,
  start: z.string(),
  end: z.string(),
  modality: z.string(),
  status: z.string(),
  minutesLate: z.number().nullable(),
  reasonCode: z.string().nullable(),
  coverage: z.looseObject({ outcome: z.string(), reasonCodes: z.array(z.string()) }).nullable(),
  triage: triageRead.nullable(),
  triageReview: z.looseObject({}).nullable(),
});
export const appointments = z.looseObject({ appointments: z.array(appointment) });

export const triageReviews = z.looseObject({
  reviews: z.array(
    z.looseObject({
      appointmentId: uuid,
      providerId: uuid,
      patientId: uuid,
      start: z.string(),
      end: z.string(),
      modality: z.string(),
      status: z.string(),
      rules: z.array(z.unknown()),
      rulesVersion: z.string().nullable(),
      intake: z.string().describe('Where to read the intake (a recorded read)'),
    }),
  ),
});
export const triageReviewed = z.looseObject({ appointmentId: uuid, status: z.string(), triageReview: z.looseObject({}).nullable() });

export const intake = z.looseObject({
  appointmentId: uuid,
  reason: z.string(),
  intake: z.looseObject({}),
  attachments: z.array(z.looseObject({})),
  triage: z.looseObject({}).optional(),
  triageReview: z.looseObject({}).optional(),
});
export const attachmentStored = z.looseObject({ appointmentId: uuid, sha256: z.string(), contentType: z.string(), sizeBytes: z.int(), added: z.boolean() });

export const contact = z.looseObject({
  patientId: uuid,
  email: z.string().optional(),
  phone: z.string().optional(),
  channels: z.array(z.enum(['sms', 'email'])),
  timeZone: z.string().optional(),
});

export const waitlistEntry = z.looseObject({ entryId: uuid, status: z.string(), offers: z.array(z.looseObject({})), appointmentId: uuid.optional() });
