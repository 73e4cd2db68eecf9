import { DomainError, type CommandMetadata } from '@carebridge/shared-kernel';
import { type AuthenticatedActor, RequestValidationError, commandMetadata as metadataFor } from '@carebridge/platform';

export class AccessDeniedError extends DomainError {
  readonly code = 'ACCESS.DENIED';
  override readonly kind = 'forbidden' as const;
}

/** A patient reaches only their own records (ARCHITECTURE.md, Security). */
export function assertMayReachPatient(actor: AuthenticatedActor, patientId: string): void {
  if (actor.role === 'patient' && actor.patientId !== patientId) {
    throw new AccessDeniedError('A patient may only reach their own coverage and eligibility');
  }
}

/**
 * Payer tokens carry no payer id claim (libs/platform has none), so a payer's subject is its
 * payer id: it reaches only coverages whose payerId is its own.
 */
export function payerIdOf(actor: AuthenticatedActor): string | undefined {
  return actor.role === 'payer' ? actor.id : undefined;
}

export function commandMetadata(actor: AuthenticatedActor, idempotencyKey: string | undefined, purpose: string): CommandMetadata {
  // Scoped to the caller: a patient and a payer may well pick the same key for one patient's stream.
  return metadataFor(actor, new Date(), { commandId: idempotencyKey === undefined ? undefined : `${actor.role}:${actor.id}:${idempotencyKey}`, purpose });
}

/** POSTs that create things need an Idempotency-Key so a retried request appends nothing new. */
export function requireIdempotencyKey(value: string | undefined): string {
  if (value === undefined || value.trim() === '' || value.length > 200) {
    throw new RequestValidationError([{ field: 'Idempotency-Key', message: 'header is required (1 to 200 characters)' }]);
  }
  return value;
}
