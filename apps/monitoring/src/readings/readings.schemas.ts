import { z } from 'zod';
import { READING_KINDS } from './readings.events';

export const readingBody = z.object({
  deviceId: z.uuid(),
  type: z.enum(READING_KINDS as [string, ...string[]]),
  measuredAt: z.iso.datetime({ offset: true }),
  value: z.number().optional(),
  systolic: z.number().optional(),
  diastolic: z.number().optional(),
  unit: z.string().max(20).optional(),
  taken: z.boolean().optional(),
  rxnormCode: z.string().regex(/^\d{1,10}$/).optional(),
});

/** The request must be a list of 1 to 1,000 objects; each reading is then judged on its own. */
export const batchBody = z.object({
  readings: z.array(z.record(z.string(), z.unknown())).min(1).max(1_000),
});

/** A device credential's batch: deviceId may be left out of each reading. */
export const deviceBatchBody = batchBody;

/** `readings[3].value` style path of a zod issue. */
export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}
