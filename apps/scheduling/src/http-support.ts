import { type AuthenticatedActor, idempotencyCommandId } from '@carebridge/platform';
import { DomainError } from '@carebridge/shared-kernel';

export class NotOwnerError extends DomainError {
  readonly code = 'ACCESS.NOT_OWNER';
  override readonly kind = 'forbidden';
}

/** A patient acts only for themselves, a provider only on their own schedule; ops (schedulers) for anyone. */
export function assertMayActFor(
  actor: AuthenticatedActor,
  owner: { patientId?: string; providerId?: string; /** Further providers of a multi-provider appointment (reads). */ participantIds?: readonly string[] },
): void {
  const allowed =
    actor.role === 'ops' ||
    (actor.role === 'patient' && owner.patientId !== undefined && actor.patientId === owner.patientId) ||
    (actor.role === 'provider' && owner.providerId !== undefined && actor.providerId === owner.providerId) ||
    (actor.role === 'provider' && actor.providerId !== undefined && (owner.participantIds ?? []).includes(actor.providerId));
  if (!allowed) throw new NotOwnerError('You may not act on this record');
}

/** `Idempotency-Key` header, required (POSTs that create something): the caller-scoped command id. */
export function requireIdempotencyKey(value: string | undefined, actor: AuthenticatedActor): string {
  return idempotencyCommandId(actor, value, true);
}

export function optionalIdempotencyKey(value: string | undefined, actor: AuthenticatedActor): string | undefined {
  return idempotencyCommandId(actor, value, false);
}

/** Re-exported for this service's handlers: one definition in libs/platform. */
export { commandMetadata } from '@carebridge/platform';
