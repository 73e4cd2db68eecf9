import { usJurisdictionCode } from '@carebridge/platform';
import { z } from 'zod';
import { isValidTimeZone } from './availability.calendar';
import { MODALITIES } from './provider.events';

export const usState = usJurisdictionCode;
export const timeZone = z.string().refine(isValidTimeZone, 'must be an IANA time zone, e.g. America/New_York');
export const wallClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm (00:00-23:59)');
/** A real calendar date (zod's ISO date checks the day against the month and leap years); `format: date` in the documents. */
export const localDate = z.iso.date({ message: 'must be a real calendar date yyyy-MM-dd' });
export const modality = z.enum(MODALITIES as [string, ...string[]]).transform((value) => value as (typeof MODALITIES)[number]);

const licence = z.strictObject({ state: usState, expiresOn: localDate.optional() });

export const registerProviderBody = z.strictObject({
  providerId: z.uuid(),
  specialties: z.array(z.string().regex(/^[a-z][a-z0-9-]{1,60}$/, 'must be a lower-case specialty code')).min(1).max(20),
  licensedStates: z.array(usState).min(1).max(60),
  timeZone,
  modalities: z.array(modality).min(1),
  clinicAddress: z
    .strictObject({
      line1: z.string().min(1).max(200),
      city: z.string().min(1).max(100),
      state: usState,
      postalCode: z.string().regex(/^\d{5}(-\d{4})?$/, 'must be a ZIP code'),
    })
    .optional(),
  /** Expiry of each licence (states listed in licensedStates), published to billing with bookings. */
  licences: z.array(licence).max(60).optional(),
});

/** Renewed or changed licences: replaces the licensed states. */
export const licencesBody = z.strictObject({ licences: z.array(licence).min(1).max(60) });

export const weeklyAvailabilityBody = z.strictObject({
  weekly: z
    .array(z.strictObject({ weekday: z.number().int().min(1).max(7), start: wallClock, end: wallClock }))
    .max(50),
  slotMinutes: z.number().int().min(5).max(240),
  bufferMinutes: z.number().int().min(0).max(120),
});

export const availabilityExceptionBody = z.strictObject({
  date: localDate,
  kind: z.enum(['time-off', 'extra-hours']),
  start: wallClock.optional(),
  end: wallClock.optional(),
});
