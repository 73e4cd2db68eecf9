import { z } from 'zod';
import { type AuthenticatedActor, idempotencyCommandId, parseBody, usJurisdictionCode } from '@carebridge/platform';

/** `Idempotency-Key` header, required (POSTs that create something): the caller-scoped command id. */
export function requireIdempotencyKey(value: string | undefined, actor: AuthenticatedActor): string {
  return idempotencyCommandId(actor, value, true);
}

export function optionalIdempotencyKey(value: string | undefined, actor: AuthenticatedActor): string | undefined {
  return idempotencyCommandId(actor, value, false);
}

/** Re-exported for this service's handlers: one definition in libs/platform. */
export { commandMetadata } from '@carebridge/platform';

// HIPAA purposes of use a reader may state (45 CFR 164.506: treatment, payment, health care operations).
const purposeQuery = z.object({ purpose: z.enum(['treatment', 'payment', 'operations', 'patient-access']) });

/** Every read of a visit record states why (`?purpose=`): it goes into the access log. */
export function readPurpose(query: unknown): string {
  return parseBody(purposeQuery, query, 'query').purpose;
}

export const usState = usJurisdictionCode;
