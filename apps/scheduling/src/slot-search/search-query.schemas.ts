import { DateTime } from 'luxon';
import { z } from 'zod';
import { localDate, modality, timeZone, usState } from '../provider/provider.schemas';

const MAX_RANGE_DAYS = 62;

/**
 * The query of a search for free time (slots, group-session seats): what, where the patient is,
 * which local dates in which zone, plus the search's own paging fields. The same rules for both:
 * a telehealth search needs the patient's state, and the range runs forward for at most 62 days.
 */
export function searchQuery<Paging extends z.ZodRawShape>(paging: Paging) {
  return z
    .strictObject({
      // eslint-disable-next-line no-control-regex
      specialty: z.string().min(1).max(60).regex(/^[^\u0000-\u001f\u007f]+$/, 'control characters are not allowed'),
      modality,
      patientState: usState.optional(),
      from: localDate,
      to: localDate,
      timeZone,
      ...paging,
    })
    .superRefine((q, context) => {
      const { modality: wanted, patientState, from, to } = q as { modality: string; patientState?: string; from: string; to: string };
      if (wanted !== 'in-person' && patientState === undefined) {
        context.addIssue({ code: 'custom', path: ['patientState'], message: 'Required for video and phone visits (the provider must be licensed where the patient is)' });
      }
      if (from > to) context.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
      else if (DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days >= MAX_RANGE_DAYS) {
        context.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${MAX_RANGE_DAYS} days` });
      }
    });
}

/** A UTC instant as the requester reads it: local time with offset, in their zone. */
export const inZone =
  (zone: string) =>
  (iso: string): string =>
    DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toISO({ suppressMilliseconds: true })!;
