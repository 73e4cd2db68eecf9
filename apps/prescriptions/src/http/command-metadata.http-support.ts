import type { Request } from 'express';
import { commandMetadata as metadataFor, RequestValidationError, type AuthenticatedActor } from '@carebridge/platform';
import type { CommandMetadata } from '@carebridge/shared-kernel';

/**
 * Time, actor and request ids for a command. The Idempotency-Key header becomes the commandId,
 * so a retried POST appends nothing new (required on every POST of this service).
 */
export function commandMetadata(actor: AuthenticatedActor, request: Request, purpose = 'treatment'): CommandMetadata {
  const key = request.header('idempotency-key');
  if (!key || key.length > 200) {
    throw new RequestValidationError([{ field: 'Idempotency-Key', message: key ? 'At most 200 characters' : 'Required header' }]);
  }
  return metadataFor(actor, new Date(), { commandId: `${actor.id}:${key}`, purpose });
}
