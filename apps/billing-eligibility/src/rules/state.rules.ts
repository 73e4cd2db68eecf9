import type { Modality, ReasonEffect } from '../eligibility/eligibility.events';
import { type Billing, type Ctx, type Found, addSourced } from './reasons.rules';
import { type CommercialParityRule, type MedicaidStateRule, type RuleSource, ruleInForce } from './rule-set.rules';
import { type CodingCell, type CoverageCell, type ParityCell, ruleSourceOf } from './state-cells.rules';

const MODALITY_CELL = { video: 'liveVideo', 'audio-only': 'audioOnly', 'store-and-forward': 'storeAndForward', rpm: 'rpm' } as const;
// Telehealth modifiers by modality: 95/GT video, 93/FQ audio-only, GQ store-and-forward.
const MODALITY_MODIFIERS: Readonly<Record<Modality, readonly string[]>> = {
  video: ['95', 'GT'],
  'audio-only': ['93', 'FQ'],
  'store-and-forward': ['GQ'],
  rpm: [],
  rtm: [],
};
const MODALITY_TEXT: Readonly<Record<Modality, string>> = {
  video: 'live video',
  'audio-only': 'audio-only',
  'store-and-forward': 'store-and-forward',
  rpm: 'remote patient monitoring',
  rtm: 'remote therapeutic monitoring',
};

/** A cell's first source (the one the research put first), or the rule's file when the cell has none. */
function sourceOf(found: Found, cell: { sources: readonly Parameters<typeof ruleSourceOf>[0][] }): RuleSource {
  const first = cell.sources[0];
  return first === undefined ? { ...found.rule.source, citation: `${found.rule.source.citation}: no source found for this cell` } : ruleSourceOf(first);
}

function stateRule<K extends 'medicaid-state' | 'commercial-parity'>(ctx: Ctx, kind: K, key: string, label: string): Found | undefined {
  const found = ruleInForce(ctx.sets, kind, ctx.request.dateOfService, key);
  if (found === undefined) {
    const set = ctx.sets.find((s) => s.rules.some((r) => r.kind === kind)) ?? ctx.sets[0]!;
    const anchor = { rule: set.rules.find((r) => r.kind === kind) ?? set.rules[0]!, set };
    addSourced(ctx, anchor, { citation: `No research file for ${label} in data/states`, asOf: set.publishedAt, needsVerification: true }, 'STATE_DATA.MISSING', 'unknown', `${label} is not in the rule set yet`);
  }
  return found;
}

/** The state's Medicaid program: the modality's cell, its machine-checkable facts, and the claim coding it states. */
export function medicaid(ctx: Ctx, state: string, out: Billing): void {
  const found = stateRule(ctx, 'medicaid-state', `medicaid.${state}`, `${state} Medicaid`);
  if (found === undefined) return;
  const rule = found.rule as MedicaidStateRule;
  const modality = ctx.request.modality;
  const label = `${rule.name} Medicaid, ${MODALITY_TEXT[modality]}`;
  if (modality === 'rtm') {
    addSourced(ctx, found, sourceOf(found, rule.rpm), 'MEDICAID.MODALITY_UNKNOWN', 'unknown', `${label}: the state research records remote patient monitoring (${rule.rpm.value}), not remote therapeutic monitoring; ask the state program`);
    return;
  }
  const cell: CoverageCell = rule[MODALITY_CELL[modality]];
  const source = sourceOf(found, cell);
  const reason = (code: string, effect: ReasonEffect, message: string) => addSourced(ctx, found, source, code, effect, message);
  switch (cell.value) {
    case 'covered':
      reason('MEDICAID.MODALITY_COVERED', 'covers', `${label}: paid by the program`);
      break;
    case 'covered-with-conditions':
      reason('MEDICAID.MODALITY_COVERED_WITH_CONDITIONS', 'condition', `${label}: paid with conditions: ${cell.conditions}`);
      checkFacts(ctx, found, source, cell, label);
      break;
    case 'not-covered':
      reason('MEDICAID.MODALITY_NOT_COVERED', 'excludes', `${label}: not paid by the program`);
      break;
    case 'unknown':
      reason('MEDICAID.MODALITY_UNKNOWN', 'unknown', `${label}: no source states whether the program pays for it`);
      break;
    default: {
      const _exhaustive: never = cell.value;
      throw new Error(`Unhandled cell ${String(_exhaustive)}`);
    }
  }
  if (modality !== 'rpm') medicaidCoding(ctx, found, rule.claimCoding, out, rule.name);
}

// The facts of a conditional cell that the request can decide: a contradicted one excludes.
function checkFacts(ctx: Ctx, found: Found, source: RuleSource, cell: CoverageCell, label: string): void {
  const facts = cell.facts ?? [];
  const { request, purpose } = ctx;
  if (facts.includes('behavioral-health-only') && request.purpose !== undefined && purpose !== 'mental-health' && purpose !== 'sud') {
    addSourced(ctx, found, source, 'MEDICAID.BEHAVIORAL_HEALTH_ONLY', 'excludes', `${label} is paid only for behavioural health; this visit is for other care`);
  }
  if (facts.includes('established-patient-only') && request.establishedPatient === false) {
    addSourced(ctx, found, source, 'MEDICAID.ESTABLISHED_PATIENT_ONLY', 'excludes', `${label} is paid only for an established patient; the request says the patient is new`);
  }
}

function medicaidCoding(ctx: Ctx, found: Found, coding: CodingCell, out: Billing, name: string): void {
  const source = sourceOf(found, coding);
  if (coding.value !== 'stated') {
    addSourced(ctx, found, source, 'MEDICAID.CLAIM_CODING', 'info', `${name} Medicaid: no source states the place of service or modifiers it requires; follow the program's billing manual`);
    return;
  }
  const home = ctx.request.patientLocation.setting === 'home';
  const pos = coding.pos ?? [];
  const placeOfService = pos.includes('10') && pos.includes('02') ? (home ? '10' : '02') : pos[0];
  const stated = coding.modifiers ?? [];
  // Only the modifiers of this modality; when the source names two (95 or GT), the biller picks by the manual.
  const candidates = stated.filter((m) => MODALITY_MODIFIERS[ctx.request.modality].includes(m));
  const modifiers = candidates.length === 1 ? candidates : [];
  if (placeOfService !== undefined) out.placeOfService = placeOfService;
  out.modifiers.push(...modifiers);
  const parts = [placeOfService ? `place of service ${placeOfService}` : undefined, candidates.length > 0 ? `modifier ${candidates.join(' or ')}` : undefined].filter(Boolean);
  addSourced(ctx, found, source, 'MEDICAID.CLAIM_CODING', 'info', `${name} Medicaid: bill with ${parts.join(' and ') || 'the coding its manual states'}${coding.text ? ` (${coding.text})` : ''}`);
}

/** State parity law for a commercial plan: coverage parity decides what is known, payment parity informs. */
export function commercial(ctx: Ctx, state: string): void {
  const found = stateRule(ctx, 'commercial-parity', `commercial.${state}`, `${state} commercial parity`);
  if (found === undefined) return;
  const rule = found.rule as CommercialParityRule;
  const cell = rule.coverageParity;
  const reason = (code: string, effect: ReasonEffect, message: string) => addSourced(ctx, found, sourceOf(found, cell), code, effect, message);
  switch (cell.value) {
    case 'yes':
      reason('COMMERCIAL.COVERAGE_PARITY', 'condition', `${rule.name} law requires state-regulated plans to cover by telehealth what they cover in person: covered if the plan covers ${ctx.request.serviceCodes.join(', ')} in person`);
      break;
    case 'partial':
      reason('COMMERCIAL.COVERAGE_PARITY_PARTIAL', 'condition', `${rule.name} law requires telehealth coverage with limits: ${cell.conditions ?? 'see the source'}`);
      break;
    case 'no':
      reason('COMMERCIAL.NO_COVERAGE_PARITY', 'unknown', `${rule.name} has no telehealth coverage-parity law: the plan's own terms decide; ask the plan`);
      break;
    case 'unknown':
      reason('COMMERCIAL.COVERAGE_PARITY_UNKNOWN', 'unknown', `No source states whether ${rule.name} requires telehealth coverage parity; ask the plan`);
      break;
    default: {
      const _exhaustive: never = cell.value;
      throw new Error(`Unhandled cell ${String(_exhaustive)}`);
    }
  }
  paymentParity(ctx, found, rule.paymentParity, rule.name);
}

function paymentParity(ctx: Ctx, found: Found, cell: ParityCell, name: string): void {
  const text = {
    yes: 'paid at the same rate as in person (payment parity law)',
    no: 'no payment parity law: the plan may pay telehealth less than in person',
    partial: `payment parity with limits: ${cell.conditions ?? 'see the source'}`,
    unknown: 'no source states whether payment parity applies',
  }[cell.value];
  addSourced(ctx, found, sourceOf(found, cell), `PAYMENT_PARITY.${cell.value.toUpperCase()}`, 'info', `${name} commercial plans: ${text}`);
}
