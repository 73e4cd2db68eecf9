import { randomUUID } from 'node:crypto';
import { type AuthenticatedActor, RequestValidationError, getCorrelationId } from '@carebridge/platform';
import { currentTraceparent } from '@carebridge/messaging';
import { type CommandMetadata, DomainError } from '@carebridge/shared-kernel';
import { z } from 'zod';

export class NotOwnerError extends DomainError {
  readonly code = 'ACCESS.NOT_OWNER';
  override readonly kind = 'forbidden';
}

/** A patient acts only for themselves, a provider only on their own schedule; ops (schedulers) for anyone. */
export function assertMayActFor(actor: AuthenticatedActor, owner: { patientId?: string; providerId?: string }): void {
  const allowed =
    actor.role === 'ops' ||
    (actor.role === 'patient' && owner.patientId !== undefined && actor.patientId === owner.patientId) ||
    (actor.role === 'provider' && owner.providerId !== undefined && actor.providerId === owner.providerId);
  if (!allowed) throw new NotOwnerError('You may not act on this record');
}

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

export function commandMetadata(
  actor: AuthenticatedActor,
  now: Date,
  options: { commandId?: string; purpose?: string } = {},
): CommandMetadata {
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
