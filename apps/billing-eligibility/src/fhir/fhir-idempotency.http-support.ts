import { createHash } from 'node:crypto';

/**
 * FHIR clients send no Idempotency-Key (a create may carry If-None-Exist, or nothing). Without one,
 * the key is the caller, the request and the UTC day: a client retrying the same request gets the
 * same determination, and the same request tomorrow is checked again (coverage may have changed).
 */
export function fhirIdempotencyKey(given: string | undefined, actorId: string, body: unknown, now: Date): string {
  if (given !== undefined && given.trim() !== '') return given;
  const digest = createHash('sha256').update(JSON.stringify([actorId, now.toISOString().slice(0, 10), body])).digest('hex');
  return `fhir-${digest.slice(0, 48)}`;
}

/** What a payer sees of a CoverageEligibilityResponse: the outcome and exclusions, without the rule messages (as its JSON view). */
export function payerResponse<R extends { disposition?: string; insurance?: readonly { item?: readonly object[] }[] }>(response: R, outcome: string): R {
  return {
    ...response,
    disposition: outcome,
    insurance: response.insurance?.map((i) => ({ ...i, item: i.item?.map((item) => ({ ...item, description: outcome })) })),
  };
}
