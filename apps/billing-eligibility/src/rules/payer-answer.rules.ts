import type { CostShareBenefit, Determination, Reason } from '../eligibility/eligibility.events';
import { outcomeOf, withoutBillingWhenRefused } from './reasons.rules';

/**
 * What a payer's 271 (or its absence) says for the visit's service type; see x12/x12-271.mapping.ts
 * costShareFor. `controlNumber` is the 271's interchange control number (ISA13); `mismatch`: the
 * 271 does not answer our 270 (another trace or another subscriber, x12/x12-271-match.mapping.ts).
 */
export type PayerAnswer =
  | { readonly status: 'unreachable'; readonly detail: string }
  | { readonly status: 'mismatch'; readonly controlNumber: string; readonly mismatches: readonly string[] }
  | {
      readonly status: 'active' | 'inactive' | 'rejected' | 'unknown';
      readonly controlNumber: string;
      readonly copay?: number;
      readonly coinsurancePercent?: number;
      readonly deductibleRemaining?: number;
      readonly outOfPocketRemaining?: number;
      readonly benefits: readonly CostShareBenefit[];
      readonly nonCovered: boolean;
      readonly rejections: readonly { readonly reasonCode: string; readonly reason: string; readonly followUp?: string }[];
    };

/** `a`, `a and b`, `a, b and c`. */
const listed = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/**
 * Adds the payer's answer to a rules-based determination: the payer's word on membership and
 * exclusions wins over the rules (an inactive member is not covered), and its cost share is kept.
 * A 271 that does not answer our 270 is recorded (unknown, PAYER.RESPONSE_MISMATCH), never applied.
 * Each reason cites the 271's control number; without a 271, the 270's.
 */
export function withPayerAnswer(
  determination: Determination,
  answer: PayerAnswer,
  exchange: { readonly payerId: string; readonly inquiryControlNumber: string; readonly receivedOn: string },
): Determination {
  const cited = answer.status === 'unreachable' ? exchange.inquiryControlNumber : answer.controlNumber;
  const citation =
    answer.status === 'unreachable'
      ? `X12 270 to payer ${exchange.payerId}, control number ${cited}; no 271 received`
      : `X12 271 from payer ${exchange.payerId}, control number ${cited}`;
  const reason = (code: string, effect: Reason['effect'], message: string): Reason => ({
    code,
    effect,
    message,
    ruleId: 'x12-271',
    ruleVersion: 1,
    ruleSetId: 'payer-response',
    ruleSetVersion: cited,
    source: { citation, asOf: exchange.receivedOn, needsVerification: false },
  });
  const added: Reason[] = [];
  switch (answer.status) {
    case 'unreachable':
      added.push(reason('PAYER.UNREACHABLE', 'unknown', `The payer ${exchange.payerId} could not be asked on ${exchange.receivedOn}: ${answer.detail}; ask again later`));
      break;
    case 'mismatch': {
      const what = answer.mismatches.includes('subscriber') ? 'it names no subscriber' : `its ${listed(answer.mismatches)} differ from the 270's`;
      added.push(reason('PAYER.RESPONSE_MISMATCH', 'unknown', `The payer's 271 does not answer this inquiry (${what}); it is recorded, not applied; ask again`));
      break;
    }
    case 'rejected':
      for (const r of answer.rejections) {
        added.push(reason(`PAYER.REJECTED_${r.reasonCode}`, 'unknown', `The payer rejected the inquiry: ${r.reason}${r.followUp ? ` (${r.followUp})` : ''}`));
      }
      break;
    case 'inactive':
      added.push(reason('PAYER.COVERAGE_INACTIVE', 'excludes', 'The payer reports the coverage inactive on the date of service'));
      break;
    case 'active':
      added.push(reason('PAYER.COVERAGE_ACTIVE', 'info', 'The payer reports active coverage'));
      if (answer.nonCovered) added.push(reason('PAYER.SERVICE_NOT_COVERED', 'excludes', 'The payer reports the service type not covered'));
      break;
    case 'unknown':
      added.push(reason('PAYER.NO_STATUS', 'unknown', 'The payer answered without an active or inactive status'));
      break;
    default: {
      const _exhaustive: never = answer;
      throw new Error(`Unhandled payer answer ${JSON.stringify(_exhaustive)}`);
    }
  }
  const reasons = [...determination.reasons, ...added];
  const costShare =
    answer.status === 'active'
      ? {
          ...(answer.copay !== undefined && { copay: answer.copay }),
          ...(answer.coinsurancePercent !== undefined && { coinsurancePercent: answer.coinsurancePercent }),
          ...(answer.deductibleRemaining !== undefined && { deductibleRemaining: answer.deductibleRemaining }),
          ...(answer.outOfPocketRemaining !== undefined && { outOfPocketRemaining: answer.outOfPocketRemaining }),
          ...(answer.benefits.length > 0 && { benefits: answer.benefits }),
        }
      : null;
  return withoutBillingWhenRefused({ ...determination, reasons, outcome: outcomeOf(reasons), costShare });
}
