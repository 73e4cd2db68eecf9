import type { Coverage } from '../coverage/coverage.events';
import type { Determination, EligibilityRequest } from '../eligibility/eligibility.events';
import { checkLicensure } from './licensure.rules';
import { medicare, medicareAdvantage } from './medicare.rules';
import { type Billing, type Ctx, EligibilityInputError, NoRuleSetError, PURPOSE_TEXT, add, need, outcomeOf, withoutBillingWhenRefused } from './reasons.rules';
import { type RuleCatalog, type RuleSet, US_STATES, type VisitPurpose, ruleInForce, ruleSetsKnownAt } from './rule-set.rules';
import { commercial, medicaid } from './state.rules';

export { EligibilityInputError, NoRuleSetError, outcomeOf, withoutBillingWhenRefused };

/**
 * Is this visit covered, and why. Pure: the same request, coverage, catalog and `asOf` give the
 * same answer, so a past answer is reproduced by passing the `asOf` it was given with.
 */
export function determine(request: EligibilityRequest, coverage: Coverage | undefined, catalog: RuleCatalog, asOf: string): Determination {
  const known = ruleSetsKnownAt(catalog, asOf);
  if (known.length === 0) throw new NoRuleSetError(asOf);
  // A set whose dates end before the visit (a pilot, a temporary rule) has nothing to say about it.
  const covering = known.filter((s) => s.coversFrom <= request.dateOfService && request.dateOfService <= s.coversTo);
  const sets = covering.length > 0 ? covering : known;
  const out: Billing = { modifiers: [] };
  const missing = request.missingFacts ?? [];
  const invalid = request.invalidFacts ?? [];
  let ctx: Ctx;
  if (missing.length > 0 || invalid.length > 0) {
    // Placeholders stand where facts are missing: judging them would be a guess.
    ctx = { sets, reasons: [], request, purpose: 'other' };
    const anchor = need(ctx, 'licensure');
    const from = request.rpmPeriodId === undefined ? 'booking' : 'monitoring period';
    for (const fact of missing) add(ctx, anchor, 'INPUT.MISSING_FACT', 'unknown', `${fact}: not given by the ${from}, so the rules cannot judge it`);
    for (const fact of invalid) add(ctx, anchor, 'INPUT.INVALID_FACT', 'unknown', `${fact} (from the ${from})`);
  } else {
    const purpose = validate(request, sets);
    ctx = { sets, reasons: [], request, purpose };
    judge(ctx, coverage, out);
  }
  return withoutBillingWhenRefused({
    outcome: outcomeOf(ctx.reasons),
    reasons: ctx.reasons,
    ...(out.placeOfService !== undefined && { placeOfService: out.placeOfService }),
    modifiers: [...new Set(out.modifiers)],
    ...(out.billableCodes !== undefined && { billableCodes: out.billableCodes }),
    costShare: null,
    ...(coverage !== undefined && {
      coverage: { coverageId: coverage.coverageId, payerKind: coverage.payerKind, ...(coverage.payerId !== undefined && { payerId: coverage.payerId }) },
    }),
    ruleSets: sets.map((s) => ({ ruleSetId: s.ruleSetId, version: s.version })),
    asOf,
    dateOfService: request.dateOfService,
  });
}

function judge(ctx: Ctx, coverage: Coverage | undefined, out: Billing): void {
  checkLicensure(ctx);
  if (coverage === undefined) {
    add(ctx, need(ctx, 'licensure'), 'COVERAGE.NONE_IN_FORCE', 'unknown', `No coverage is recorded in force on ${ctx.request.dateOfService}`);
    return;
  }
  switch (coverage.payerKind) {
    case 'medicare-part-b':
      medicare(ctx, out);
      break;
    case 'medicare-advantage':
      medicareAdvantage(ctx, out);
      break;
    case 'medicaid':
      medicaid(ctx, coverage.state!, out);
      break;
    case 'chip':
      add(ctx, need(ctx, 'licensure'), 'CHIP.NOT_IN_RULE_SET', 'unknown', `The CHIP telehealth policy of ${coverage.state} is not in the rule sets; ask the state program`);
      break;
    case 'commercial':
      commercial(ctx, coverage.state!);
      break;
    case 'self-pay':
      add(ctx, need(ctx, 'licensure'), 'COVERAGE.SELF_PAY', 'excludes', 'The patient pays for the visit: no payer covers it');
      break;
    default: {
      const _exhaustive: never = coverage.payerKind;
      throw new Error(`Unhandled payer kind ${String(_exhaustive)}`);
    }
  }
}

/** Checks what the rules cannot judge (422 naming the field) and returns the purpose to judge. */
function validate(request: EligibilityRequest, sets: readonly RuleSet[]): VisitPurpose {
  if (!US_STATES.includes(request.patientLocation.state)) {
    throw new EligibilityInputError('ELIGIBILITY.INVALID_STATE', 'patientLocation.state', `${request.patientLocation.state} is not a US state or DC`);
  }
  request.provider.licences.forEach((licence, i) => {
    if (!US_STATES.includes(licence.state)) {
      throw new EligibilityInputError('ELIGIBILITY.INVALID_STATE', `provider.licences[${i}].state`, `${licence.state} is not a US state or DC`);
    }
  });
  const date = request.dateOfService;
  if (!sets.some((s) => s.coversFrom <= date && date <= s.coversTo)) {
    const range = sets.map((s) => `${s.ruleSetId} ${s.coversFrom}..${s.coversTo}`).join(', ');
    throw new EligibilityInputError('ELIGIBILITY.DATE_OUTSIDE_RULE_SETS', 'dateOfService', `${date} is outside the rule sets (${range})`);
  }
  const list = ruleInForce(sets, 'medicare-telehealth-list', date);
  const monitoring = ruleInForce(sets, 'medicare-rpm', date);
  const known = new Set([
    ...(list?.rule.services ?? []).map((s) => s.code),
    ...(list?.rule.notOnList ?? []).map((s) => s.code),
    ...(monitoring?.rule.codes ?? []).map((c) => c.code),
  ]);
  request.serviceCodes.forEach((code, i) => {
    if (!known.has(code)) {
      throw new EligibilityInputError('ELIGIBILITY.UNKNOWN_SERVICE_CODE', `serviceCodes[${i}]`, `${code} is not a service code the rule sets know`);
    }
  });
  if ((request.modality === 'rpm' || request.modality === 'rtm') && request.rpm === undefined) {
    throw new EligibilityInputError('ELIGIBILITY.RPM_PERIOD_MISSING', 'rpm', `is required when modality is ${request.modality}`);
  }
  return purposeOf(request, list?.rule.services ?? []);
}

/**
 * The purpose the codes imply wins over a missing one (90834 alone is mental health, 90966 ESRD
 * home dialysis); a stated purpose the codes contradict is refused, naming both.
 */
export function purposeOf(request: EligibilityRequest, services: readonly { code: string; impliesPurpose?: readonly VisitPurpose[] }[]): VisitPurpose {
  let allowed: readonly VisitPurpose[] | undefined;
  let firstCode: { code: string; index: number } | undefined;
  request.serviceCodes.forEach((code, index) => {
    const implied = services.find((s) => s.code === code)?.impliesPurpose;
    if (implied === undefined) return;
    if (allowed === undefined) {
      allowed = implied;
      firstCode = { code, index };
      return;
    }
    const common = allowed.filter((p) => implied.includes(p));
    if (common.length === 0) {
      throw new EligibilityInputError('ELIGIBILITY.PURPOSE_CONTRADICTS_CODES', `serviceCodes[${index}]`,
        `${code} is ${implied.map((p) => PURPOSE_TEXT[p]).join(' or ')}, but ${firstCode!.code} (serviceCodes[${firstCode!.index}]) is ${allowed.map((p) => PURPOSE_TEXT[p]).join(' or ')}`);
    }
    allowed = common;
  });
  const stated = request.purpose;
  if (allowed === undefined) return stated ?? 'other';
  if (stated === undefined) return allowed[0]!;
  if (!allowed.includes(stated)) {
    throw new EligibilityInputError('ELIGIBILITY.PURPOSE_CONTRADICTS_CODES', 'purpose',
      `"${stated}" (${PURPOSE_TEXT[stated]}) contradicts serviceCodes[${firstCode!.index}] ${firstCode!.code}, which is ${allowed.map((p) => PURPOSE_TEXT[p]).join(' or ')}`);
  }
  return stated;
}
