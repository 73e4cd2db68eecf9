import { type EventStore, handle } from '@carebridge/event-store';
import { isDomainError } from '@carebridge/shared-kernel';
import { coverageOn } from '../coverage/coverage.decider';
import { PayerUnreachableError } from '../payer/payer-connection.port';
import { type PayerCheckOptions, withPayerCheck } from '../payer/payer-check.handler';
import { readCoverage } from '../coverage/coverage.projection';
import { determine } from '../rules/determine.rules';
import type { RuleCatalog } from '../rules/rule-set.rules';
import { deterministicUuid } from './determination-id.rules';
import { eligibilityDecider } from './eligibility.decider';
import type { EligibilityRequest } from './eligibility.events';
import { eligibilityStreamId } from './eligibility.stream';

/**
 * Answers a stored request again with today's rules and coverage and records the answer only if
 * it changed (so only a changed answer is published). `commandId` makes a retry append nothing.
 * Returns false when the rules cannot judge the request any more (the old answer stands).
 */
export async function recheckRequest(
  store: EventStore,
  catalog: RuleCatalog,
  request: EligibilityRequest,
  cause: { readonly commandId: string; readonly correlationId: string; readonly causationId?: string; readonly traceparent?: string },
  onError: (error: unknown) => void = () => undefined,
  /** Asks the payer too (network I/O): only from outside a database transaction (the jobs). */
  payer?: PayerCheckOptions,
  /** An unreachable payer throws (the job retries) instead of recording an `unknown` answer. */
  options: { readonly retryIfPayerUnreachable?: boolean } = {},
): Promise<boolean> {
  const now = new Date();
  const coverageState = await readCoverage(store, request.patientId);
  const coverage = coverageOn(coverageState, request.dateOfService);
  const determinationId = deterministicUuid(cause.commandId);
  let determination;
  try {
    determination = determine(request, coverage, catalog, now.toISOString().slice(0, 10));
  } catch (error) {
    if (!isDomainError(error)) throw error;
    onError(error);
    return false;
  }
  determination = await withPayerCheck(payer, determination, request, coverage, determinationId, now);
  if (options.retryIfPayerUnreachable && determination.reasons.some((r) => r.code === 'PAYER.UNREACHABLE')) {
    throw new PayerUnreachableError(`payer not reached for appointment ${request.appointmentId ?? '(none)'}: retried`);
  }
  await handle(store, eligibilityStreamId(request.patientId), eligibilityDecider, {
    type: 'RecordDetermination',
    data: { determinationId, patientId: request.patientId, request, determination, onlyIfChanged: true },
    metadata: {
      now,
      actor: { id: 'billing-eligibility', role: 'system' },
      correlationId: cause.correlationId,
      commandId: cause.commandId,
      ...(cause.causationId !== undefined && { causationId: cause.causationId }),
      ...(cause.traceparent !== undefined && { traceparent: cause.traceparent }),
      purpose: 'payment',
    },
  });
  return true;
}
