import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import { getRequestContext } from '../logging/request-context';
import { injectTraceHeaders } from '../telemetry/trace-context';

/**
 * Time, actor, request ids and purpose of use for a command a request sends: the correlation id of
 * the request (a new one outside a request), the active span's `traceparent` (so the relay and the
 * consumers continue the caller's trace; with tracing off, the request's trace context) and the command id that makes a retry append nothing
 * (see idempotencyCommandId). Purpose defaults to treatment (HIPAA 45 CFR 164.506).
 */
export function commandMetadata(
  actor: { readonly id: string; readonly role: CommandMetadata['actor']['role']; readonly patientId?: string | undefined },
  now: Date,
  options: { readonly commandId?: string | undefined; readonly purpose?: string | undefined } = {},
): CommandMetadata {
  const request = getRequestContext();
  // The active span's trace context, else the request's (tracing off: the embedded profile).
  const traceparent = injectTraceHeaders({}).traceparent ?? request?.traceparent;
  return {
    now,
    actor: { id: actor.id, role: actor.role, ...(actor.role === 'patient' && actor.patientId !== undefined && { patientId: actor.patientId }) },
    correlationId: request?.correlationId ?? randomUUID(),
    ...(options.commandId !== undefined && { commandId: options.commandId }),
    ...(traceparent !== undefined && { traceparent }),
    purpose: options.purpose ?? 'treatment',
  };
}
