import { z } from 'zod';
import { canonicalInstant } from '../provider/availability.slots';
import { modality, usState } from '../provider/provider.schemas';
import { SYMPTOM_CODES } from './triage.rules';

/** Any ISO-8601 instant with an offset, normalised to UTC (`2026-03-09T13:00:00.000Z`). */
export const instant = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 date-time with an offset' })
  .transform((value) => canonicalInstant(value)!);

const code = z.string().regex(/^[a-z][a-z0-9-]{1,60}$/, 'must be a lower-case code');

export const holdSlotBody = z.strictObject({
  providerId: z.uuid(),
  slotStart: instant,
  patientId: z.uuid().optional(),
});

export const bookAppointmentBody = z.strictObject({
  providerId: z.uuid(),
  slotStart: instant,
  /** Defaults to the caller's own patient id. */
  patientId: z.uuid().optional(),
  modality,
  patientState: usState,
  reason: z.string().min(1).max(500),
  holdId: z.uuid().optional(),
  /** A seat in a group session (slotStart is the session's start). */
  groupSessionId: z.uuid().optional(),
  /** A scheduler's deliberate double booking (urgent add-on). */
  override: z.strictObject({ reasonCode: code }).optional(),
  intake: z.strictObject({
    symptoms: z.array(z.enum(SYMPTOM_CODES as [string, ...string[]])).min(1).max(20),
    description: z.string().max(4000).optional(),
    questions: z.array(z.string().min(1).max(500)).max(10).optional(),
  }),
});

export const groupSessionBody = z.strictObject({ slotStart: instant, capacity: z.number().int().min(2).max(50) });

export const cancelBody = z.strictObject({ reasonCode: code });
export const rescheduleBody = z.strictObject({ slotStart: instant, reasonCode: code });
