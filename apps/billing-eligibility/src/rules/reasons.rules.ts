import { DomainError } from '@carebridge/shared-kernel';
import type { EligibilityRequest, Outcome, Reason, ReasonEffect } from '../eligibility/eligibility.events';
import { type Rule, type RuleSet, type RuleSource, type VisitPurpose, ruleInForce } from './rule-set.rules';

/** Input the rules cannot judge: the HTTP edge answers 422 naming `field`. */
export class EligibilityInputError extends DomainError {
  override readonly kind = 'rule' as const;
  constructor(
    readonly code: string,
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`, { field });
  }
}

/** No rule-set version was published by the `asOf` date. */
export class NoRuleSetError extends DomainError {
  readonly code = 'ELIGIBILITY.NO_RULE_SET';
  override readonly kind = 'rule' as const;
  constructor(asOf: string) {
    super(`asOf: no rule set was published on or before ${asOf}`, { field: 'asOf' });
  }
}

export interface Billing {
  placeOfService?: string;
  modifiers: string[];
  billableCodes?: { code: string; units: number }[];
}

export interface Ctx {
  readonly sets: readonly RuleSet[];
  readonly reasons: Reason[];
  readonly request: EligibilityRequest;
  /** The purpose the rules judge: the request's, or the one its codes imply (determine.rules.ts). */
  readonly purpose: VisitPurpose;
}

export type Found = { rule: Rule; set: RuleSet };

/** How a person reads a visit purpose: never the internal label. */
export const PURPOSE_TEXT: Readonly<Record<VisitPurpose, string>> = {
  'mental-health': 'mental or behavioural health',
  sud: 'substance use disorder treatment',
  'esrd-home-dialysis': 'monthly ESRD care of a home-dialysis patient',
  'acute-stroke': 'acute stroke',
  other: 'care other than mental health, substance use disorder, ESRD home dialysis or acute stroke',
};

/** The worst reason decides: one exclusion excludes; an unknown beats a condition. */
export function outcomeOf(reasons: readonly Reason[]): Outcome {
  const effects = new Set(reasons.map((r) => r.effect));
  if (effects.has('excludes')) return 'not-covered';
  if (effects.has('unknown')) return 'unknown';
  if (effects.has('condition')) return 'covered-with-conditions';
  if (effects.has('covers')) return 'covered';
  return 'unknown';
}

export function need<K extends Rule['kind']>(ctx: Ctx, kind: K, key?: string): { rule: Extract<Rule, { kind: K }>; set: RuleSet } {
  const found = ruleInForce(ctx.sets, kind, ctx.request.dateOfService, key);
  if (found === undefined) {
    // The loader checks every key spans the rule set's dates, so this is a missing key (a state).
    throw new EligibilityInputError('ELIGIBILITY.NO_RULE', 'dateOfService', `no ${key ?? kind} rule in force on ${ctx.request.dateOfService}`);
  }
  return found;
}

export function add(ctx: Ctx, found: Found, code: string, effect: ReasonEffect, message: string, serviceCode?: string): void {
  addSourced(ctx, found, found.rule.source, code, effect, message, serviceCode);
}

/** A reason for people: what the rule says and the deciding fact, then where it comes from and as of when. */
export function addSourced(ctx: Ctx, found: Found, source: RuleSource, code: string, effect: ReasonEffect, message: string, serviceCode?: string): void {
  const checked = source.needsVerification ? '; not verified against the source text' : '';
  ctx.reasons.push({
    code,
    effect,
    message: `${message}. Source: ${source.citation} (as of ${source.asOf}${checked})`,
    ...(serviceCode !== undefined && { serviceCode }),
    ruleId: found.rule.id,
    ruleVersion: found.rule.version,
    ruleSetId: found.set.ruleSetId,
    ruleSetVersion: found.set.version,
    source: { citation: source.citation, asOf: source.asOf, needsVerification: source.needsVerification },
  });
}

/**
 * A refusal carries no billing instructions: no place of service, no modifiers, no coding reason.
 * Applied to the rules' answer and again after a payer's 271 changed it.
 */
export function withoutBillingWhenRefused<D extends { outcome: Outcome; reasons: readonly Reason[]; placeOfService?: string; modifiers: readonly string[] }>(
  determination: D,
): D {
  if (determination.outcome !== 'not-covered') return determination;
  const { placeOfService: _dropped, ...rest } = determination;
  return { ...rest, modifiers: [], reasons: determination.reasons.filter((r) => !r.code.endsWith('.CLAIM_CODING')) } as unknown as D;
}
