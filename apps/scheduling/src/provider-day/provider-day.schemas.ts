import { z } from 'zod';
import { canonicalInstant } from '../provider/availability.calendar';

/** Any ISO-8601 instant with an offset, normalised to UTC (`2026-03-09T13:00:00.000Z`). */
export const instant = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 date-time with an offset' })
  .transform((value) => canonicalInstant(value)!);

export const code = z.string().regex(/^[a-z][a-z0-9-]{1,60}$/, 'must be a lower-case code');

export const holdSlotBody = z.strictObject({
  providerId: z.uuid(),
  slotStart: instant,
  patientId: z.uuid().optional(),
});

export const groupSessionBody = z.strictObject({ slotStart: instant, capacity: z.number().int().min(2).max(50) });
