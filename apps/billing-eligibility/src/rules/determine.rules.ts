import { DomainError } from '@carebridge/shared-kernel';
import { nextDay } from './calendar.rules';
import type { Coverage } from '../coverage/coverage.events';
import type { Determination, EligibilityRequest, Outcome, Reason, ReasonEffect } from '../eligibility/eligibility.events';
import {
  type Cell,
  type CellValue,
  type ParityValue,
  type Rule,
  type RuleCatalog,
  type RuleSet,
  type RuleSource,
  US_STATES,
  ruleInForce,
  ruleSetsKnownAt,
} from './rule-set.rules';

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

interface Ctx {
  readonly sets: readonly RuleSet[];
  readonly reasons: Reason[];
  readonly request: EligibilityRequest;
}

/**
 * Is this visit covered, and why. Pure: the same request, coverage, catalog and `asOf` give the
 * same answer, so a past answer is reproduced by passing the `asOf` it was given with.
 */
export function determine(
  request: EligibilityRequest,
  coverage: Coverage | undefined,
  catalog: RuleCatalog,
  asOf: string,
): Determination {
  const sets = ruleSetsKnownAt(catalog, asOf);
  if (sets.length === 0) throw new NoRuleSetError(asOf);
  const ctx: Ctx = { sets, reasons: [], request };
  const out: { placeOfService?: string; modifiers: string[]; billableCodes?: { code: string; units: number }[] } = {
    modifiers: [],
  };

  const missing = request.missingFacts ?? [];
  const invalid = request.invalidFacts ?? [];
  if (missing.length > 0 || invalid.length > 0) {
    // Placeholders stand where facts are missing: judging them would be a guess.
    const anchor = need(ctx, 'licensure');
    const source = request.rpmPeriodId === undefined ? 'booking' : 'RPM period';
    for (const fact of missing) add(ctx, anchor, 'INPUT.MISSING_FACT', 'unknown', `${fact}: not given by the ${source}, so the rules cannot judge it`);
    for (const fact of invalid) add(ctx, anchor, 'INPUT.INVALID_FACT', 'unknown', `${fact} (from the ${source})`);
  } else {
    validate(request, sets);
    judge(ctx, coverage, out);
  }

  return {
    outcome: outcomeOf(ctx.reasons),
    reasons: ctx.reasons,
    ...(out.placeOfService !== undefined && { placeOfService: out.placeOfService }),
    modifiers: out.modifiers,
    ...(out.billableCodes !== undefined && { billableCodes: out.billableCodes }),
    costShare: null,
    ...(coverage !== undefined && {
      coverage: {
        coverageId: coverage.coverageId,
        payerKind: coverage.payerKind,
        ...(coverage.payerId !== undefined && { payerId: coverage.payerId }),
      },
    }),
    ruleSets: sets.map((s) => ({ ruleSetId: s.ruleSetId, version: s.version })),
    asOf,
    dateOfService: request.dateOfService,
  };
}

function judge(ctx: Ctx, coverage: Coverage | undefined, out: { placeOfService?: string; modifiers: string[]; billableCodes?: { code: string; units: number }[] }): void {
  const { request } = ctx;
  checkLicensure(ctx);
  if (coverage === undefined) {
    const lic = need(ctx, 'licensure');
    add(ctx, lic, 'COVERAGE.NONE_IN_FORCE', 'unknown', `No coverage recorded in force on ${request.dateOfService}`);
  } else {
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
      case 'chip': {
        const rule = need(ctx, 'medicaid-state', `medicaid.${coverage.state}`);
        add(ctx, rule, 'CHIP.NOT_IN_RULE_SET', 'unknown', `CHIP telehealth policy of ${coverage.state} is not in the rule set`);
        break;
      }
      case 'commercial':
        commercial(ctx, coverage.state!);
        break;
      case 'self-pay': {
        const lic = need(ctx, 'licensure');
        add(ctx, lic, 'COVERAGE.SELF_PAY', 'excludes', 'The patient pays for the visit: no payer covers it');
        break;
      }
      default: {
        const _exhaustive: never = coverage.payerKind;
        throw new Error(`Unhandled payer kind ${String(_exhaustive)}`);
      }
    }
  }
}

/** The worst reason decides: one exclusion excludes; an unknown beats a condition. */
export function outcomeOf(reasons: readonly Reason[]): Outcome {
  const effects = new Set(reasons.map((r) => r.effect));
  if (effects.has('excludes')) return 'not-covered';
  if (effects.has('unknown')) return 'unknown';
  if (effects.has('condition')) return 'covered-with-conditions';
  if (effects.has('covers')) return 'covered';
  return 'unknown';
}

function validate(request: EligibilityRequest, sets: readonly RuleSet[]): void {
  if (!US_STATES.includes(request.patientLocation.state)) {
    throw new EligibilityInputError('ELIGIBILITY.INVALID_STATE', 'patientLocation.state', `${request.patientLocation.state} is not a US state or DC`);
  }
  request.provider.licences.forEach((licence, i) => {
    if (!US_STATES.includes(licence.state)) {
      throw new EligibilityInputError('ELIGIBILITY.INVALID_STATE', `provider.licences[${i}].state`, `${licence.state} is not a US state or DC`);
    }
  });
  const date = request.dateOfService;
  if (!sets.every((s) => s.coversFrom <= date && date <= s.coversTo)) {
    const range = sets.map((s) => `${s.ruleSetId} ${s.coversFrom}..${s.coversTo}`).join(', ');
    throw new EligibilityInputError('ELIGIBILITY.DATE_OUTSIDE_RULE_SETS', 'dateOfService', `${date} is outside the rule sets (${range})`);
  }
  const list = ruleInForce(sets, 'medicare-telehealth-list', date);
  const rpm = ruleInForce(sets, 'medicare-rpm', date);
  const known = new Set([
    ...(list?.rule.services ?? []).map((s) => s.code),
    ...(list?.rule.notOnList ?? []).map((s) => s.code),
    ...(rpm?.rule.codes ?? []).map((c) => c.code),
  ]);
  request.serviceCodes.forEach((code, i) => {
    if (!known.has(code)) {
      throw new EligibilityInputError('ELIGIBILITY.UNKNOWN_SERVICE_CODE', `serviceCodes[${i}]`, `${code} is not a service code the rule sets know`);
    }
  });
  if (request.modality === 'rpm' && request.rpm === undefined) {
    throw new EligibilityInputError('ELIGIBILITY.RPM_PERIOD_MISSING', 'rpm', 'is required when modality is rpm');
  }
}

// The practice of medicine happens where the patient is: the provider needs a licence there on the day.
function checkLicensure(ctx: Ctx): void {
  const found = need(ctx, 'licensure');
  if (!found.rule.requireLicenceInPatientState) return;
  const { state } = ctx.request.patientLocation;
  const date = ctx.request.dateOfService;
  const licences = ctx.request.provider.licences.filter((l) => l.state === state);
  if (licences.length === 0) {
    add(ctx, found, 'LICENSURE.NOT_LICENSED_IN_PATIENT_STATE', 'excludes', `The provider holds no licence in ${state}, where the patient is located`);
  } else if (licences.some((l) => l.expiresOn !== undefined && date <= l.expiresOn)) {
    add(ctx, found, 'LICENSURE.LICENSED_IN_PATIENT_STATE', 'info', `The provider is licensed in ${state} on ${date}`);
  } else if (licences.some((l) => l.expiresOn === undefined)) {
    add(ctx, found, 'LICENSURE.EXPIRY_NOT_KNOWN', 'condition', `The provider's ${state} licence is on record without its expiry date: it must be in force on ${date}`);
  } else {
    add(ctx, found, 'LICENSURE.LICENCE_EXPIRED', 'excludes', `The provider's ${state} licence expired before ${date}`);
  }
}

function medicare(ctx: Ctx, out: { placeOfService?: string; modifiers: string[]; billableCodes?: { code: string; units: number }[] }): void {
  const { request } = ctx;
  if (request.modality === 'rpm') {
    rpm(ctx, out);
    return;
  }
  const list = need(ctx, 'medicare-telehealth-list');
  const coding = need(ctx, 'medicare-claim-coding');
  let behavioral = request.purpose === 'mental-health' || request.purpose === 'sud';
  for (const code of request.serviceCodes) {
    const entry = list.rule.services.find((s) => s.code === code);
    if (entry === undefined) {
      add(ctx, list, 'MEDICARE.NOT_ON_TELEHEALTH_LIST', 'excludes', `${code} is not on the Medicare telehealth services list`, code);
    } else {
      add(ctx, list, 'MEDICARE.ON_TELEHEALTH_LIST', 'covers', `${code} (${entry.description}) is on the Medicare telehealth services list`, code);
      if (entry.behavioral) behavioral = true;
    }
  }
  // A psychotherapy code makes the visit a mental-health service even when the purpose was not given.
  const purpose = request.purpose === 'other' && behavioral ? 'mental-health' : request.purpose;
  const home = request.patientLocation.setting === 'home';

  if (request.modality === 'store-and-forward') {
    const sf = need(ctx, 'medicare-store-and-forward');
    if (sf.rule.allowedStates.includes(request.patientLocation.state)) {
      add(ctx, sf, 'MEDICARE.STORE_AND_FORWARD_DEMONSTRATION', 'condition', `Store-and-forward is paid only in the federal telemedicine demonstration programs of ${sf.rule.allowedStates.join(' and ')}`);
      out.modifiers.push(coding.rule.modifiers.storeAndForward);
    } else {
      add(ctx, sf, 'MEDICARE.STORE_AND_FORWARD_NOT_COVERED', 'excludes', `Store-and-forward is paid only in ${sf.rule.allowedStates.join(' and ')}, not ${request.patientLocation.state}`);
    }
    out.placeOfService = home ? coding.rule.placeOfService.home : coding.rule.placeOfService.other;
    return;
  }

  const site = need(ctx, 'medicare-originating-site');
  if (home) {
    const allowed = site.rule.homeAllowedFor === 'all' || site.rule.homeAllowedFor.includes(purpose);
    if (allowed) {
      add(ctx, site, 'MEDICARE.HOME_ORIGINATING_SITE', 'covers', site.rule.homeAllowedFor === 'all'
        ? `The home is an originating site for any telehealth service from ${site.rule.effectiveFrom} to ${site.rule.effectiveTo}`
        : `The home is an originating site for ${purpose} services`);
    } else {
      add(ctx, site, 'MEDICARE.HOME_NOT_ORIGINATING_SITE', 'excludes', `From ${site.rule.effectiveFrom} the home is an originating site only for ${(site.rule.homeAllowedFor as readonly string[]).join(', ')} services, not for ${purpose}`);
    }
  } else if (site.rule.geographicRestriction && !site.rule.geographicExemptPurposes.includes(purpose)) {
    const rural = request.patientLocation.ruralArea;
    if (rural === true) {
      add(ctx, site, 'MEDICARE.RURAL_ORIGINATING_SITE', 'covers', 'The facility is in a rural HPSA or non-MSA county');
    } else if (rural === false) {
      add(ctx, site, 'MEDICARE.GEOGRAPHIC_RESTRICTION', 'excludes', 'The originating site must be in a rural HPSA or a county outside an MSA');
    } else {
      add(ctx, site, 'MEDICARE.GEOGRAPHIC_RESTRICTION', 'condition', 'Covered only if the originating facility is in a rural HPSA or a county outside an MSA');
    }
  } else {
    add(ctx, site, 'MEDICARE.FACILITY_ORIGINATING_SITE', 'covers', site.rule.geographicRestriction
      ? `No geographic limit applies to ${purpose} services`
      : `No geographic limit applies from ${site.rule.effectiveFrom} to ${site.rule.effectiveTo}`);
  }

  if (purpose === 'mental-health' && home) {
    const inPerson = need(ctx, 'medicare-mental-health-in-person');
    if (!inPerson.rule.required) {
      add(ctx, inPerson, 'MEDICARE.IN_PERSON_VISIT_NOT_REQUIRED', 'info', `No in-person visit is required for mental-health telehealth at home until ${nextDay(inPerson.rule.effectiveTo)}`);
    } else {
      const seen = request.inPersonVisitWithinSixMonths;
      const months = inPerson.rule.monthsBeforeFirstVisit ?? 6;
      if (seen === true) {
        add(ctx, inPerson, 'MEDICARE.IN_PERSON_VISIT_DONE', 'info', `An in-person visit took place within ${months} months before`);
      } else if (seen === false) {
        add(ctx, inPerson, 'MEDICARE.IN_PERSON_VISIT_MISSING', 'excludes', `Mental-health telehealth at home needs an in-person visit within ${months} months before the first telehealth visit`);
      } else {
        add(ctx, inPerson, 'MEDICARE.IN_PERSON_VISIT_REQUIRED', 'condition', `Needs an in-person visit within ${months} months before the first telehealth visit, then every 12 months`);
      }
    }
  }

  if (request.modality === 'audio-only') {
    const audio = need(ctx, 'medicare-audio-only');
    const forPurpose = audio.rule.allowedFor === 'all' || audio.rule.allowedFor.includes(purpose);
    if (!forPurpose) {
      add(ctx, audio, 'MEDICARE.AUDIO_ONLY_NOT_ALLOWED', 'excludes', `Audio-only is allowed only for ${(audio.rule.allowedFor as readonly string[]).join(', ')} services from ${audio.rule.effectiveFrom}`);
    } else if (audio.rule.homeOnly && !home) {
      add(ctx, audio, 'MEDICARE.AUDIO_ONLY_NOT_AT_HOME', 'excludes', 'Audio-only is allowed only when the patient is at home');
    } else {
      add(ctx, audio, 'MEDICARE.AUDIO_ONLY_CONDITIONS', 'condition', 'Audio-only: the provider must be able to use video and the patient unable to or not consenting to video; document it');
    }
    out.modifiers.push(request.provider.billing === 'fqhc-rhc' ? coding.rule.modifiers.audioOnlyFqhcRhc : coding.rule.modifiers.audioOnly);
  } else if (request.provider.billing === 'cah-method-ii') {
    out.modifiers.push(coding.rule.modifiers.criticalAccessMethodII);
  } else {
    out.modifiers.push(coding.rule.modifiers.video);
  }
  out.placeOfService = home ? coding.rule.placeOfService.home : coding.rule.placeOfService.other;
  add(ctx, coding, 'MEDICARE.CLAIM_CODING', 'info', `Bill with place of service ${out.placeOfService} and modifier ${out.modifiers.join(', ')}`);
}

// RPM is not a §1834(m) telehealth service: no originating-site rule, but days, minutes, consent.
function rpm(ctx: Ctx, out: { modifiers: string[]; billableCodes?: { code: string; units: number }[] }): void {
  const found = need(ctx, 'medicare-rpm');
  const period = ctx.request.rpm!;
  const date = ctx.request.dateOfService;
  const codes = found.rule.codes.filter((c) => c.effectiveFrom <= date);
  const billable: { code: string; units: number }[] = [];
  if (found.rule.requiresEstablishedPatient && period.establishedPatient === false) {
    add(ctx, found, 'RPM.NOT_ESTABLISHED_PATIENT', 'excludes', 'RPM is billable only for an established patient');
  } else if (found.rule.requiresEstablishedPatient && period.establishedPatient === undefined) {
    add(ctx, found, 'RPM.ESTABLISHED_PATIENT_NOT_KNOWN', 'condition', 'RPM is billable only for an established patient: not known here, the billing practitioner must confirm it');
  }
  if (found.rule.requiresConsent && !period.consent) {
    add(ctx, found, 'RPM.NO_CONSENT', 'excludes', 'RPM needs the patient\'s consent');
  }
  const days = period.daysWithReadings;
  const minutes = period.managementMinutes;
  for (const requested of ctx.request.serviceCodes) {
    const entry = codes.find((c) => c.code === requested);
    if (entry === undefined) {
      const future = found.rule.codes.find((c) => c.code === requested);
      add(ctx, found, 'RPM.CODE_NOT_IN_FORCE', 'excludes', future ? `${requested} is billable only from ${future.effectiveFrom}` : `${requested} is not an RPM code`, requested);
      continue;
    }
    const reason = (code: string, effect: ReasonEffect, message: string) =>
      addSourced(ctx, found, entry.source, code, effect, message, requested);
    let units = 0;
    let why: string;
    switch (entry.role) {
      case 'setup':
        units = 1;
        why = 'set-up and education, once per episode of care';
        break;
      case 'device-supply':
        units = days >= (entry.minDays ?? 0) && days <= (entry.maxDays ?? 31) ? 1 : 0;
        why = `${days} day(s) with readings; needs ${entry.minDays}${entry.maxDays ? `-${entry.maxDays}` : '+'} in 30 days`;
        break;
      case 'management':
        units = minutes >= (entry.minMinutes ?? 0) && minutes <= (entry.maxMinutes ?? Infinity) && (!entry.interactive || period.interactiveCommunication) ? 1 : 0;
        why = `${minutes} management minute(s)${entry.interactive && !period.interactiveCommunication ? ' without a real-time interaction' : ''}; needs ${entry.minMinutes}${entry.maxMinutes ? `-${entry.maxMinutes}` : '+'}${entry.interactive ? ' with a real-time interaction' : ''}`;
        break;
      case 'management-addon':
        units = period.interactiveCommunication ? Math.max(0, Math.floor((minutes - (entry.minMinutes ?? 20)) / 20)) : 0;
        why = `${minutes} management minute(s): one unit per further 20 minutes after the first ${entry.minMinutes ?? 20}`;
        break;
      case 'interpretation':
        units = (period.interpretationMinutes ?? 0) >= (entry.minMinutes ?? 30) ? 1 : 0;
        why = `${period.interpretationMinutes ?? 0} interpretation minute(s); needs ${entry.minMinutes ?? 30}`;
        break;
      default: {
        const _exhaustive: never = entry.role;
        throw new Error(`Unhandled RPM role ${String(_exhaustive)}`);
      }
    }
    if (units > 0) {
      billable.push({ code: requested, units });
      reason('RPM.CODE_BILLABLE', 'covers', `${requested} billable (${units} unit${units > 1 ? 's' : ''}): ${why}`);
    } else {
      reason('RPM.CODE_NOT_MET', 'excludes', `${requested} not billable: ${why}`);
    }
  }
  out.billableCodes = billable;
}

function medicareAdvantage(ctx: Ctx, out: { placeOfService?: string; modifiers: string[]; billableCodes?: { code: string; units: number }[] }): void {
  const before = ctx.reasons.length;
  medicare(ctx, out);
  const partB = outcomeOf(ctx.reasons.slice(before));
  const list = need(ctx, 'medicare-telehealth-list');
  if (partB === 'not-covered') {
    // 42 CFR 422.135: MA plans may offer telehealth beyond Part B as "additional telehealth benefits",
    // so Part B's exclusions do not decide; licensure (checked before) still does.
    ctx.reasons.splice(before);
    add(ctx, list, 'MEDICARE_ADVANTAGE.PLAN_SPECIFIC', 'unknown', 'Not covered under Part B rules; the plan may cover it as an additional telehealth benefit (42 CFR 422.135): ask the plan (271)');
  } else {
    add(ctx, list, 'MEDICARE_ADVANTAGE.COVERS_PART_B', 'info', 'Medicare Advantage plans cover what Part B covers (42 CFR 422.101)');
  }
}

const MODALITY_CELL = { video: 'liveVideo', 'audio-only': 'audioOnly', 'store-and-forward': 'storeAndForward', rpm: 'rpm' } as const;

function medicaid(ctx: Ctx, state: string, _out: unknown): void {
  const found = need(ctx, 'medicaid-state', `medicaid.${state}`);
  const cell: Cell<CellValue> = found.rule[MODALITY_CELL[ctx.request.modality]];
  const label = `${state} Medicaid, ${ctx.request.modality}`;
  switch (cell.value) {
    case 'covered':
      cellReason(ctx, found, cell, 'MEDICAID.MODALITY_COVERED', 'covers', `${label}: covered`);
      break;
    case 'covered-some-services':
      cellReason(ctx, found, cell, 'MEDICAID.MODALITY_COVERED_SOME', 'condition', `${label}: covered for some services; the state's list of eligible services and providers applies`);
      break;
    case 'not-covered':
      cellReason(ctx, found, cell, 'MEDICAID.MODALITY_NOT_COVERED', 'excludes', `${label}: not covered`);
      break;
    case 'unknown':
      cellReason(ctx, found, cell, 'MEDICAID.MODALITY_UNKNOWN', 'unknown', `${label}: not known to the rule set (no verified source)`);
      break;
    default: {
      const _exhaustive: never = cell.value;
      throw new Error(`Unhandled cell ${String(_exhaustive)}`);
    }
  }
  parityReason(ctx, found, found.rule.paymentParity, `${state} Medicaid`);
}

function commercial(ctx: Ctx, state: string): void {
  const found = need(ctx, 'commercial-parity', `commercial.${state}`);
  const service = found.rule.serviceParity;
  switch (service.value) {
    case 'yes':
      // State mandates bind fully insured plans; self-funded ERISA plans are exempt (29 U.S.C. §1144).
      cellReason(ctx, found, service, 'COMMERCIAL.SERVICE_PARITY', 'condition', `${state} law requires plans to cover by telehealth what they cover in person: covered if the plan covers the service in person and is fully insured (not a self-funded ERISA plan)`);
      break;
    case 'no':
      cellReason(ctx, found, service, 'COMMERCIAL.NO_SERVICE_PARITY', 'unknown', `${state} has no service-parity law: coverage depends on the plan`);
      break;
    case 'unknown':
      cellReason(ctx, found, service, 'COMMERCIAL.SERVICE_PARITY_UNKNOWN', 'unknown', `${state} service-parity law is not known to the rule set (no verified source)`);
      break;
    default: {
      const _exhaustive: never = service.value;
      throw new Error(`Unhandled cell ${String(_exhaustive)}`);
    }
  }
  parityReason(ctx, found, found.rule.paymentParity, `${state} commercial`);
}

function parityReason(ctx: Ctx, found: Found, cell: Cell<ParityValue>, label: string): void {
  const text = { yes: 'paid as in person (payment parity)', no: 'no payment parity', unknown: 'payment parity not known' }[cell.value];
  cellReason(ctx, found, cell, `PAYMENT_PARITY.${cell.value.toUpperCase()}`, 'info', `${label}: ${text}`);
}

function cellReason(ctx: Ctx, found: Found, cell: Cell<string>, code: string, effect: ReasonEffect, message: string): void {
  addSourced(ctx, found, cell.source ?? { citation: 'none: no verified source available', asOf: found.set.publishedAt, needsVerification: true }, code, effect, message);
}

type Found = { rule: Rule; set: RuleSet };

function need<K extends Rule['kind']>(ctx: Ctx, kind: K, key?: string): { rule: Extract<Rule, { kind: K }>; set: RuleSet } {
  const found = ruleInForce(ctx.sets, kind, ctx.request.dateOfService, key);
  if (found === undefined) {
    // The loader checks every key spans the rule set's dates, so this is a missing key (a state).
    throw new EligibilityInputError('ELIGIBILITY.NO_RULE', 'dateOfService', `no ${key ?? kind} rule in force on ${ctx.request.dateOfService}`);
  }
  return found;
}

function add(ctx: Ctx, found: Found, code: string, effect: ReasonEffect, message: string, serviceCode?: string): void {
  addSourced(ctx, found, found.rule.source, code, effect, message, serviceCode);
}

function addSourced(ctx: Ctx, found: Found, source: RuleSource, code: string, effect: ReasonEffect, message: string, serviceCode?: string): void {
  ctx.reasons.push({
    code,
    effect,
    message,
    ...(serviceCode !== undefined && { serviceCode }),
    ruleId: found.rule.id,
    ruleVersion: found.rule.version,
    ruleSetId: found.set.ruleSetId,
    ruleSetVersion: found.set.version,
    source: { citation: source.citation, asOf: source.asOf, needsVerification: source.needsVerification },
  });
}
