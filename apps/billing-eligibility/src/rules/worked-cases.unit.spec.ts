import type { Coverage } from '../coverage/coverage.events';
import type { EligibilityRequest, Outcome } from '../eligibility/eligibility.events';
import { EligibilityInputError, determine } from './determine.rules';
import { loadRuleCatalog } from './rule-set.loader';
import cases from './worked-cases.json';

interface WorkedCase {
  group: string;
  name: string;
  coverage: string | null;
  request: Record<string, unknown>;
  expect: {
    outcome?: Outcome;
    reasons?: string[];
    placeOfService?: string;
    modifiers?: string[];
    billable?: string[];
    /** A refusal: no place of service, no modifiers, no coding reason. */
    noBilling?: boolean;
    messageIncludes?: string;
    /** The input is refused (422) with this code, naming `errorField`. */
    error?: string;
    errorField?: string;
  };
}

const catalog = loadRuleCatalog();

/** `medicare`, `medicare-advantage`, `self-pay`, or `<kind>:<state>` for Medicaid, CHIP and commercial plans. */
function coverageNamed(name: string | null): Coverage | undefined {
  if (name === null) return undefined;
  const [kind, state] = name.split(':');
  const base = { coverageId: `cov-${name}`, effectiveFrom: '2026-01-01', order: 'primary' as const };
  switch (kind) {
    case 'medicare':
      return { ...base, payerKind: 'medicare-part-b', payerId: 'CMS', memberId: '1EG4TE5MK72' };
    case 'medicare-advantage':
      return { ...base, payerKind: 'medicare-advantage', payerId: 'MA-PLAN-1', memberId: 'MA-1' };
    case 'medicaid':
    case 'chip':
    case 'commercial':
      return { ...base, payerKind: kind, payerId: `${kind}-${state}`, memberId: 'M-1', state: state! };
    case 'self-pay':
      return { ...base, payerKind: 'self-pay' };
    default:
      throw new Error(`worked case names an unknown coverage ${name}`);
  }
}

/** Case fields replace the defaults; nested objects (patientLocation, provider) are merged one level deep. */
function requestOf(overrides: Record<string, unknown>): EligibilityRequest {
  const defaults = cases.defaults as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    const base = defaults[key];
    merged[key] =
      value && typeof value === 'object' && !Array.isArray(value) && base && typeof base === 'object' && !Array.isArray(base)
        ? { ...base, ...value }
        : value;
  }
  return merged as unknown as EligibilityRequest;
}

describe('worked eligibility cases (src/rules/worked-cases.json)', () => {
  const all = cases.cases as WorkedCase[];
  const groups = (name: string) => all.filter((c) => c.group === name);

  it('has at least 40 cases across the groups a biller checks', () => {
    expect(all.length).toBeGreaterThanOrEqual(40);
    const medicaidStates = new Set(groups('medicaid').map((c) => c.coverage));
    const commercialStates = new Set(groups('commercial').map((c) => c.coverage));
    expect({ medicaidStates: medicaidStates.size >= 10, commercialStates: commercialStates.size >= 5, psypact: groups('licensure').some((c) => c.name.includes('PSYPACT')), registration: groups('licensure').some((c) => c.name.includes('registration')), rtm: groups('rtm').length > 0 }).toEqual({ medicaidStates: true, commercialStates: true, psypact: true, registration: true, rtm: true });
  });

  it.each(all.map((c) => [`${c.group}: ${c.name}`, c] as const))('%s', (_name, worked) => {
    const run = () => determine(requestOf(worked.request), coverageNamed(worked.coverage), catalog, cases.asOf);
    if (worked.expect.error !== undefined) {
      let thrown: unknown;
      try {
        run();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(EligibilityInputError);
      expect([(thrown as EligibilityInputError).code, (thrown as EligibilityInputError).field]).toEqual([worked.expect.error, worked.expect.errorField]);
      return;
    }
    const result = run();
    const codes = result.reasons.map((r) => r.code);
    expect({ outcome: result.outcome, codes }).toEqual({ outcome: worked.expect.outcome, codes: expect.arrayContaining(worked.expect.reasons ?? []) });
    if (worked.expect.placeOfService !== undefined) expect(result.placeOfService).toBe(worked.expect.placeOfService);
    if (worked.expect.modifiers !== undefined) expect(result.modifiers).toEqual(worked.expect.modifiers);
    if (worked.expect.noBilling) {
      expect({ placeOfService: result.placeOfService, modifiers: result.modifiers, coding: codes.filter((c) => c.endsWith('.CLAIM_CODING')) }).toEqual({ placeOfService: undefined, modifiers: [], coding: [] });
    }
    if (worked.expect.messageIncludes !== undefined) expect(result.reasons.map((r) => r.message).join('\n')).toContain(worked.expect.messageIncludes);
    if (worked.expect.billable !== undefined) {
      expect((result.billableCodes ?? []).map((b) => (b.units > 1 || b.code === '99458' || b.code === '98981' ? `${b.code}x${b.units}` : b.code))).toEqual(
        worked.expect.billable,
      );
    }
    // Every answer is explained for a person and sourced; no internal label leaks into the text.
    expect(result.reasons.length).toBeGreaterThan(0);
    for (const reason of result.reasons) {
      expect(reason.source.citation.length).toBeGreaterThan(0);
      expect(reason.message).toContain('Source: ');
      const text = reason.message.split('. Source: ')[0]!;
      expect(text).not.toMatch(/\b(for|is|not) "?(other|mental-health|sud|esrd-home-dialysis|acute-stroke)\b(?! care| than)|[A-Z][a-z]+Error\b/);
    }
  });

  it('exercises every Medicare and licensure rule of the catalog', () => {
    const used = new Set(
      all.filter((c) => c.expect.error === undefined).flatMap((c) => determine(requestOf(c.request), coverageNamed(c.coverage), catalog, cases.asOf).reasons.map((r) => r.ruleId)),
    );
    const federal = catalog.ruleSets
      .filter((s) => s.ruleSetId === 'medicare')
      .flatMap((s) => s.rules.filter((r) => r.kind !== 'medicare-policy' || r.topic === 'telehealth-list-review' || r.topic === 'frequency-limits').map((r) => r.id))
      .concat(catalog.ruleSets.filter((s) => s.ruleSetId === 'licensure').flatMap((s) => s.rules.filter((r) => r.kind === 'licensure').map((r) => r.id)));
    expect(federal.filter((id) => !used.has(id))).toEqual([]);
  });
});
