import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type AuthenticatedActor, RequestValidationError, getCorrelationId, parseBody } from '@carebridge/platform';
import { currentTraceparent } from '@carebridge/messaging';
import type { CommandMetadata } from '@carebridge/shared-kernel';

const idempotencyKey = z.string().min(8).max(200).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** `Idempotency-Key` header: required on POSTs that create something, so a retried request appends nothing. */
export function requireIdempotencyKey(value: string | undefined): string {
  if (value === undefined) throw new RequestValidationError([{ field: 'Idempotency-Key', message: 'Required header' }]);
  const parsed = idempotencyKey.safeParse(value);
  if (!parsed.success) throw new RequestValidationError([{ field: 'Idempotency-Key', message: parsed.error.issues[0]!.message }]);
  return parsed.data;
}

export function optionalIdempotencyKey(value: string | undefined): string | undefined {
  return value === undefined ? undefined : requireIdempotencyKey(value);
}

export function commandMetadata(actor: AuthenticatedActor, now: Date, options: { commandId?: string; purpose?: string } = {}): CommandMetadata {
  const traceparent = currentTraceparent();
  return {
    now,
    actor: { id: actor.id, role: actor.role },
    correlationId: getCorrelationId() ?? randomUUID(),
    ...(options.commandId !== undefined && { commandId: options.commandId }),
    ...(traceparent !== undefined && { traceparent }),
    purpose: options.purpose ?? 'treatment',
  };
}

// HIPAA purposes of use a reader may state (45 CFR 164.506: treatment, payment, health care operations).
const purposeQuery = z.object({ purpose: z.enum(['treatment', 'payment', 'operations', 'patient-access']) });

/** Every read of a visit record states why (`?purpose=`): it goes into the access log. */
export function readPurpose(query: unknown): string {
  return parseBody(purposeQuery, query, 'query').purpose;
}

export const usState = z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter US state code');
