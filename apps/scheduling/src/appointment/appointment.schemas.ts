import { z } from 'zod';
import { SYMPTOM_CODES } from '@carebridge/clinical-reference';
import { modality, usState } from '../provider/provider.schemas';
import { code, instant } from '../provider-day/provider-day.schemas';
import { PATIENT_SETTINGS, VISIT_PURPOSES } from './appointment.events';

/** The fields of one booking, shared by single bookings and series. */
export const bookingFields = {
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
  /** Billing facts for billing-eligibility (published on AppointmentBooked): CPT/HCPCS codes planned. */
  serviceCodes: z
    .array(z.string().regex(/^[0-9A-Z]{5}$/, 'must be a 5-character CPT/HCPCS code, e.g. 99213 or G2012'))
    .min(1)
    .max(20)
    .optional(),
  visitPurpose: z.enum(VISIT_PURPOSES).optional(),
  /** Where the patient will be: at home (POS 10) or in a facility (POS 02). */
  patientSetting: z.enum(PATIENT_SETTINGS).optional(),
};

export const bookAppointmentBody = z.strictObject({
  ...bookingFields,
  /** A multi-provider appointment (specialist consult, care team): every named provider's time is taken too. */
  additionalProviderIds: z.array(z.uuid()).min(1).max(10).optional(),
});

export const cancelBody = z.strictObject({ reasonCode: code });
export const rescheduleBody = z.strictObject({ slotStart: instant, reasonCode: code });
