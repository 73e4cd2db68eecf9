import type { Coverage } from '../coverage/coverage.events';
import type { EligibilityRequest, Outcome } from '../eligibility/eligibility.events';
import { determine } from './determine.rules';
import { loadRuleCatalog } from './rule-set.loader';
import cases from './worked-cases.json';

interface WorkedCase {
  name: string;
  coverage: string | null;
  request: Record<string, unknown>;
  expect: { outcome: Outcome; reasons?: string[]; placeOfService?: string; modifiers?: string[]; billable?: string[] };
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

  it('has at least 60 cases', () => {
    expect(all.length).toBeGreaterThanOrEqual(60);
  });

  it.each(all.map((c) => [c.name, c] as const))('%s', (_name, worked) => {
    const result = determine(requestOf(worked.request), coverageNamed(worked.coverage), catalog, cases.asOf);
    const codes = result.reasons.map((r) => r.code);
    expect({ outcome: result.outcome, codes }).toEqual({ outcome: worked.expect.outcome, codes: expect.arrayContaining(worked.expect.reasons ?? []) });
    if (worked.expect.placeOfService !== undefined) expect(result.placeOfService).toBe(worked.expect.placeOfService);
    if (worked.expect.modifiers !== undefined) expect(result.modifiers).toEqual(worked.expect.modifiers);
    if (worked.expect.billable !== undefined) {
      expect((result.billableCodes ?? []).map((b) => (b.units > 1 || b.code === '99458' ? `${b.code}x${b.units}` : b.code))).toEqual(
        worked.expect.billable,
      );
    }
    // Every answer is explained and sourced.
    expect(result.reasons.length).toBeGreaterThan(0);
    for (const reason of result.reasons) {
      expect(reason.source.citation.length).toBeGreaterThan(0);
      expect(reason.ruleSetVersion).toBe('2026.11.1');
    }
  });

  it('exercises every Medicare and licensure rule of the catalog', () => {
    const used = new Set(
      all.flatMap((c) => determine(requestOf(c.request), coverageNamed(c.coverage), catalog, cases.asOf).reasons.map((r) => r.ruleId)),
    );
    const federal = catalog.ruleSets
      .filter((s) => s.ruleSetId === 'medicare' || s.ruleSetId === 'licensure')
      .flatMap((s) => s.rules.map((r) => r.id));
    expect(federal.filter((id) => !used.has(id))).toEqual([]);
  });
});
