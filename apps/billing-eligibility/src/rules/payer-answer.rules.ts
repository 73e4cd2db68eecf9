import type { Determination, Reason } from '../eligibility/eligibility.events';
import { outcomeOf, withoutBillingWhenRefused } from './reasons.rules';

/** What a payer's 271 (or its absence) says for the visit's service type; see x12/x12-271.ts costShareFor. */
export type PayerAnswer =
  | { readonly status: 'unreachable'; readonly detail: string }
  | {
      readonly status: 'active' | 'inactive' | 'rejected' | 'unknown';
      readonly copay?: number;
      readonly coinsurancePercent?: number;
      readonly deductibleRemaining?: number;
      readonly nonCovered: boolean;
      readonly rejections: readonly { readonly reasonCode: string; readonly reason: string; readonly followUp?: string }[];
    };

/**
 * Adds the payer's answer to a rules-based determination: the payer's word on membership and
 * exclusions wins over the rules (an inactive member is not covered), and its cost share is kept.
 */
export function withPayerAnswer(
  determination: Determination,
  answer: PayerAnswer,
  exchange: { readonly payerId: string; readonly controlNumber: string; readonly receivedOn: string },
): Determination {
  const reason = (code: string, effect: Reason['effect'], message: string): Reason => ({
    code,
    effect,
    message,
    ruleId: 'x12-271',
    ruleVersion: 1,
    ruleSetId: 'payer-response',
    ruleSetVersion: exchange.controlNumber,
    source: { citation: `X12 271 from payer ${exchange.payerId}, control number ${exchange.controlNumber}`, asOf: exchange.receivedOn, needsVerification: false },
  });
  const added: Reason[] = [];
  switch (answer.status) {
    case 'unreachable':
      added.push(reason('PAYER.UNREACHABLE', 'unknown', `The payer ${exchange.payerId} could not be asked on ${exchange.receivedOn}: ${answer.detail}; ask again later`));
      break;
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
        }
      : null;
  return withoutBillingWhenRefused({ ...determination, reasons, outcome: outcomeOf(reasons), costShare });
}
