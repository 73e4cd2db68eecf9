import type { EligibilityInquiry } from './x12-270.mapping';
import type { EligibilityResponse } from './x12-271.mapping';

/** What a 271 must share with the 270 it answers; each names a field, never a value (PHI). */
export type ResponseMismatch = 'trace number' | 'member id' | 'subscriber name' | 'birth date' | 'subscriber';

const same = (a: string | undefined, b: string | undefined) => (a ?? '').trim().toUpperCase() === (b ?? '').trim().toUpperCase();

/**
 * Whether the 271 answers our 270. The trace we sent (TRN*1*<trace>*<originator>) comes back as
 * TRN*2 with the same number and originator ("Referenced Transaction Trace Numbers: ... originally
 * sent in the 270 and now returned in the 271", 004010X092A1 271 loop 2000C/D TRN, eedi.net; the
 * 005010X279A1 guide is licensed and was not read). A 271 rejected at the payer or receiver level
 * has no subscriber loop: then the 270's BHT03, returned in BHT03, is the trace.
 * The subscriber is compared on what we sent: member id, name, and birth date when we sent one.
 */
export function responseMismatches(inquiry: EligibilityInquiry, response: EligibilityResponse): ResponseMismatch[] {
  const mismatches: ResponseMismatch[] = [];
  const echoed = response.traces.some((t) => t.type === '2' && t.number === inquiry.traceNumber && t.originator === inquiry.traceOriginatorId);
  const subscriberLoop = response.subscriber !== undefined || response.traces.length > 0;
  const rejectedAbove = response.rejections.some((r) => !r.valid && (r.level === 'source' || r.level === 'receiver'));
  if (!subscriberLoop && rejectedAbove) {
    return response.submitterTransactionId === inquiry.traceNumber ? [] : ['trace number'];
  }
  if (!echoed) mismatches.push('trace number');
  const subscriber = response.subscriber;
  if (subscriber === undefined) return [...mismatches, 'subscriber'];
  if (!same(subscriber.memberId, inquiry.subscriber.memberId)) mismatches.push('member id');
  if (!same(subscriber.lastName, inquiry.subscriber.lastName) || !same(subscriber.firstName, inquiry.subscriber.firstName)) mismatches.push('subscriber name');
  if (inquiry.subscriber.birthDate !== undefined && subscriber.birthDate !== undefined && subscriber.birthDate !== inquiry.subscriber.birthDate) {
    mismatches.push('birth date');
  }
  return mismatches;
}

/** The transaction set of an interchange that answers our 270 (several 271s may share one), else the first. */
export function matchingResponse(inquiry: EligibilityInquiry, responses: readonly EligibilityResponse[]): EligibilityResponse {
  return responses.find((r) => responseMismatches(inquiry, r).length === 0) ?? responses[0]!;
}
