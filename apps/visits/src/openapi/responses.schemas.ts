import { z } from 'zod';

/**
 * What the visits handlers answer (their return values and the views they return, visit.views.ts),
 * as zod schemas for the OpenAPI document. Objects are open (`looseObject`): a field added to an
 * answer is not a breaking change. The access policy matrix test validates every 2xx answer it
 * gets against these (apps/visits/test/access-policy.int.spec.ts).
 */
const uuid = z.uuid();
const status = z.string();

export const licences = z.looseObject({ providerId: uuid, licences: z.array(z.looseObject({ state: z.string() })), validStates: z.array(z.string()), onDuty: z.boolean() });
export const appointmentVisit = z.looseObject({ visitId: uuid, status });
export const waitingRoom = z.looseObject({ providerId: uuid, patients: z.array(z.looseObject({ visitId: uuid, checkedInAt: z.string(), waitingSeconds: z.int() })) });

export const record = z.looseObject({
  visitId: uuid,
  status,
  kind: z.string(),
  modality: z.string(),
  patientId: uuid,
  providerId: uuid.nullable(),
  appointmentId: uuid.nullable(),
  checkIn: z.looseObject({}).nullable(),
  admitted: z.looseObject({ providerId: uuid, at: z.string(), locationState: z.string(), licenceState: z.string() }).nullable(),
  connection: z.looseObject({ log: z.array(z.unknown()), disconnected: z.array(z.string()) }),
  vitals: z.array(z.unknown()),
  note: z.string().nullable(),
  diagnoses: z.array(z.unknown()),
  orders: z.array(z.unknown()),
  attachments: z.array(z.unknown()),
  messages: z.array(z.unknown()),
  consults: z.array(z.unknown()),
  prescriptions: z.array(z.unknown()),
});
export const summary = z.looseObject({
  visitId: uuid,
  status,
  providerId: uuid.nullable(),
  modality: z.string(),
  date: z.string(),
  disposition: z.string().nullable(),
  instructions: z.string().nullable(),
  emergencyInstruction: z.string().nullable(),
  diagnoses: z.array(z.looseObject({ code: z.string(), display: z.string() })),
  vitals: z.array(z.looseObject({ measuredAt: z.string() })),
  prescriptions: z.array(z.looseObject({ name: z.string() })),
  followUp: z.looseObject({ followUpId: uuid, reasonCode: z.string(), dueBy: z.string() }).nullable(),
  referral: z.unknown(),
  orders: z.array(z.looseObject({ category: z.string(), code: z.string() })),
});
export const accessLog = z.looseObject({ visitId: uuid, reads: z.array(z.looseObject({ view: z.string(), readerId: z.string(), purpose: z.string(), at: z.string() })) });

export const checkedIn = z.looseObject({ visitId: uuid, status, videoReady: z.boolean(), videoProblems: z.array(z.string()) });
export const visitStatus = z.looseObject({ visitId: uuid, status });
export const admitted = z.looseObject({ visitId: uuid, status, locationState: z.string().optional(), licenceState: z.string().optional(), waitedSeconds: z.number().optional() });
export const roomToken = z.looseObject({ token: z.string(), room: z.string(), identity: z.string(), expiresAt: z.string(), url: z.string().optional() });
export const connection = z.looseObject({ visitId: uuid, disconnected: z.array(z.string()) });
export const modality = z.looseObject({ visitId: uuid, status, modality: z.string().optional() });
export const symptomsReviewed = z.looseObject({ visitId: uuid, status, triage: z.looseObject({}).optional(), emergency: z.looseObject({}).optional() });
export const vitalsRecorded = z.looseObject({ visitId: uuid, vitalsId: uuid });
export const note = z.looseObject({ visitId: uuid, note: z.unknown() });
export const diagnoses = z.looseObject({ visitId: uuid, diagnoses: z.array(z.looseObject({ code: z.string() })) });
export const order = z.looseObject({ visitId: uuid, orderId: uuid });
export const attachmentShared = z.looseObject({ visitId: uuid, sha256: z.string(), contentType: z.string(), category: z.string(), sizeBytes: z.int(), added: z.boolean() });
const messageTriage = { triage: z.looseObject({}).optional() };
export const message = z.looseObject({ visitId: uuid, messageId: uuid, status, ...messageTriage });
export const asyncVisit = z.looseObject({ visitId: uuid, status, ...messageTriage });
export const consult = z.looseObject({ visitId: uuid, consultId: uuid });
export const consultJoined = z.looseObject({ visitId: uuid, consultId: uuid, joined: z.array(z.string()) });

const place = {
  position: z.int().nullable(),
  estimatedWaitMinutes: z.number().nullable(),
  providerId: uuid.nullable(),
  providersOnDuty: z.int().optional(),
  providersInVisit: z.int().optional(),
};
export const queued = z.looseObject({ visitId: uuid, state: z.string(), ...place });
export const queuePosition = z.looseObject({ visitId: uuid, status, state: z.string(), ...place });
export const nextPatient = z.looseObject({ visitId: uuid, patientId: uuid, waitedSeconds: z.number() });
