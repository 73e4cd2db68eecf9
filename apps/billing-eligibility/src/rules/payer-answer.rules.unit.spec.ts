import type { Coverage } from '../coverage/coverage.events';
import type { EligibilityRequest } from '../eligibility/eligibility.events';
import { determine } from './determine.rules';
import { withPayerAnswer } from './payer-answer.rules';
import { loadRuleCatalog } from './rule-set.loader';

const catalog = loadRuleCatalog();
const coverage: Coverage = { coverageId: 'c', payerKind: 'commercial', payerId: 'ACME01', memberId: 'A1', state: 'CA', effectiveFrom: '2026-01-01', order: 'primary' };
const request: EligibilityRequest = {
  patientId: 'p', serviceCodes: ['99213'], modality: 'video', purpose: 'other',
  patientLocation: { state: 'CA', setting: 'home' },
  provider: { providerId: 'pr', licences: [{ state: 'CA', expiresOn: '2030-12-31' }], billing: 'professional' },
  dateOfService: '2027-06-15',
};
const rules = determine(request, coverage, catalog, '2026-12-07');
const exchange = { payerId: 'ACME01', inquiryControlNumber: '000000042', receivedOn: '2026-12-07' };
const fromPayer = { controlNumber: '000000102', benefits: [] } as const;

describe('a payer answer added to the rules', () => {
  it('keeps the cost share of an active coverage and the rules outcome', () => {
    const result = withPayerAnswer(rules, { ...fromPayer, status: 'active', copay: 25, deductibleRemaining: 600, nonCovered: false, rejections: [] }, exchange);
    expect(result.outcome).toBe(rules.outcome);
    expect(result.costShare).toEqual({ copay: 25, deductibleRemaining: 600 });
    expect(result.reasons.at(-1)).toMatchObject({ code: 'PAYER.COVERAGE_ACTIVE', ruleSetVersion: '000000102' });
  });

  it('is not covered when the payer says the coverage is inactive', () => {
    expect(withPayerAnswer(rules, { ...fromPayer, status: 'inactive', nonCovered: false, rejections: [] }, exchange).outcome).toBe('not-covered');
  });

  it('is not covered when the payer excludes the service type', () => {
    const result = withPayerAnswer(rules, { ...fromPayer, status: 'active', nonCovered: true, rejections: [] }, exchange);
    expect(result.outcome).toBe('not-covered');
    expect(result.reasons.map((r) => r.code)).toContain('PAYER.SERVICE_NOT_COVERED');
  });

  it('is unknown when the payer is unreachable', () => {
    const result = withPayerAnswer(rules, { status: 'unreachable', detail: 'timeout' }, exchange);
    expect(result.outcome).toBe('unknown');
    expect(result.costShare).toBeNull();
    expect(result.reasons.at(-1)!.source.citation).toBe('X12 270 to payer ACME01, control number 000000042; no 271 received');
  });

  it('is unknown, naming the reject reason, when the payer rejects the inquiry', () => {
    const result = withPayerAnswer(rules, { ...fromPayer, status: 'rejected', nonCovered: false, rejections: [{ reasonCode: '75', reason: 'Subscriber/insured not found', followUp: 'please-correct-and-resubmit' }] }, exchange);
    expect(result.outcome).toBe('unknown');
    expect(result.reasons.at(-1)!.code).toBe('PAYER.REJECTED_75');
  });

  it('is unknown, and keeps no cost share, when the 271 answers another inquiry', () => {
    const result = withPayerAnswer(rules, { status: 'mismatch', controlNumber: '000000101', mismatches: ['trace number', 'member id'] }, exchange);
    expect(result.outcome).toBe('unknown');
    expect(result.costShare).toBeNull();
    expect(result.reasons.at(-1)).toMatchObject({ code: 'PAYER.RESPONSE_MISMATCH', effect: 'unknown', ruleSetVersion: '000000101' });
    expect(result.reasons.at(-1)!.message).toContain("its trace number and member id differ from the 270's");
  });
});
