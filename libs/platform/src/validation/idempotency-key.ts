import { z } from 'zod';
import type { AuthenticatedActor } from '../auth/actor';
import { RequestValidationError } from './parse-body';

/** The header's value; the OpenAPI documents declare it from this schema (idempotencyKeyParameter). */
export const IDEMPOTENCY_KEY = z.string().min(8).max(200).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/**
 * The command id of a request from its `Idempotency-Key` header, scoped to the caller: keys are
 * chosen by clients, so two callers may well pick the same one ("booking-1"). Unscoped, the
 * second caller's request on a shared stream (a provider's day, a state's urgent-care queue)
 * would be taken for a retry of the first and answered with the first caller's record.
 */
export function idempotencyCommandId(actor: AuthenticatedActor, value: string | undefined, required: true): string;
export function idempotencyCommandId(actor: AuthenticatedActor, value: string | undefined, required: false): string | undefined;
export function idempotencyCommandId(actor: AuthenticatedActor, value: string | undefined, required: boolean): string | undefined {
  if (value === undefined) {
    if (required) throw new RequestValidationError([{ field: 'Idempotency-Key', message: 'Required header' }]);
    return undefined;
  }
  const parsed = IDEMPOTENCY_KEY.safeParse(value);
  if (!parsed.success) throw new RequestValidationError([{ field: 'Idempotency-Key', message: parsed.error.issues[0]!.message }]);
  return `${actor.role}:${actor.id}:${parsed.data}`;
}

/** `Idempotency-Key` header, required (a POST that creates something): the caller-scoped command id. */
export function requireIdempotencyKey(value: string | undefined, actor: AuthenticatedActor): string {
  return idempotencyCommandId(actor, value, true);
}

/** `Idempotency-Key` header when the client sends one: the caller-scoped command id, or undefined. */
export function optionalIdempotencyKey(value: string | undefined, actor: AuthenticatedActor): string | undefined {
  return idempotencyCommandId(actor, value, false);
}
