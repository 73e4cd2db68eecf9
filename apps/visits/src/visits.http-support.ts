import { z } from 'zod';
import { parseBody, usJurisdictionCode } from '@carebridge/platform';

/** Re-exported for this service's handlers: one definition in libs/platform. */
export { optionalIdempotencyKey, requireIdempotencyKey } from '@carebridge/platform';

/** Re-exported for this service's handlers: one definition in libs/platform. */
export { commandMetadata } from '@carebridge/platform';

// HIPAA purposes of use a reader may state (45 CFR 164.506: treatment, payment, health care operations).
export const purposeQuery = z.object({ purpose: z.enum(['treatment', 'payment', 'operations', 'patient-access']) });

/** Every read of a visit record states why (`?purpose=`): it goes into the access log. */
export function readPurpose(query: unknown): string {
  return parseBody(purposeQuery, query, 'query').purpose;
}

export const usState = usJurisdictionCode;
