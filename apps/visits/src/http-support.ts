import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type AuthenticatedActor, getCorrelationId, idempotencyCommandId, parseBody, usJurisdictionCode } from '@carebridge/platform';
import { currentTraceparent } from '@carebridge/messaging';
import type { CommandMetadata } from '@carebridge/shared-kernel';

/** `Idempotency-Key` header, required (POSTs that create something): the caller-scoped command id. */
export function requireIdempotencyKey(value: string | undefined, actor: AuthenticatedActor): string {
  return idempotencyCommandId(actor, value, true);
}

export function optionalIdempotencyKey(value: string | undefined, actor: AuthenticatedActor): string | undefined {
  return idempotencyCommandId(actor, value, false);
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

export const usState = usJurisdictionCode;
