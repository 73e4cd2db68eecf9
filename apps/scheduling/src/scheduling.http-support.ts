import type { AuthenticatedActor } from '@carebridge/platform';
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

/** Re-exported for this service's handlers: one definition in libs/platform. */
export { optionalIdempotencyKey, requireIdempotencyKey } from '@carebridge/platform';

/** Re-exported for this service's handlers: one definition in libs/platform. */
export { commandMetadata } from '@carebridge/platform';
