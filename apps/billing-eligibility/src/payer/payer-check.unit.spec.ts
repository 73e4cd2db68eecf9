import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Coverage } from '../coverage/coverage.events';
import type { EligibilityRequest } from '../eligibility/eligibility.events';
import { determine } from '../rules/determine.rules';
import { loadRuleCatalog } from '../rules/rule-set.loader';
import { answerWithRecorded271 } from '../x12/testing/recorded-payer.fixtures';
import type { PayerConnection } from './payer-connection.port';
import { type PayerCheckOptions, withPayerCheck } from './payer-check.handler';

const sample = (name: string) => readFileSync(path.join(__dirname, '..', 'x12', 'samples', name), 'utf8');
const catalog = loadRuleCatalog();

const coverage: Coverage = {
  coverageId: 'c-1',
  payerKind: 'commercial',
  payerId: 'ACME01',
  planName: 'ACME HEALTH PLAN',
  memberId: 'A123456789',
  state: 'CA',
  effectiveFrom: '2026-01-01',
  order: 'primary',
  subscriber: { firstName: 'RICHARD', lastName: 'ROE', birthDate: '1961-04-12' },
};
const request: EligibilityRequest = {
  patientId: 'p-1',
  serviceCodes: ['99213'],
  modality: 'video',
  purpose: 'other',
  patientLocation: { state: 'CA', setting: 'home' },
  provider: { providerId: 'pr-1', licences: [{ state: 'CA', expiresOn: '2030-12-31' }], billing: 'professional' },
  dateOfService: '2027-05-01',
};
const byRules = determine(request, coverage, catalog, '2026-12-07');
const now = new Date('2026-12-07T10:00:00Z');

/** A payer on the other end of the port: answers every 270 with `answer(270)`, and keeps what it received. */
function payer(answer: (inquiry270: string) => string): PayerCheckOptions & { received: string[] } {
  const received: string[] = [];
  const connection: PayerConnection = { exchange: async (inquiry270) => (received.push(inquiry270), answer(inquiry270)) };
  return { connection, received, senderId: 'CAREBRIDGE', receiverId: 'ACME01', traceOriginatorId: '1123456789', provider: { name: 'CAREBRIDGE CLINIC', npi: '1234567893' } };
}

describe('the payer check with a 271 that does not answer our 270 (issue 18 finding)', () => {
  // Sample 01 is Medicare's answer for DOE JANE 1EG4TE5MK72, trace TRC0001: another member and another trace.
  const check = () => withPayerCheck(payer(() => sample('01-medicare-active.x12')), byRules, request, coverage, 'd-1', now);

  it('is not recorded as active coverage: no PAYER.COVERAGE_ACTIVE and no cost share', async () => {
    const determination = await check();
    expect(determination.reasons.map((r) => r.code)).not.toContain('PAYER.COVERAGE_ACTIVE');
    expect(determination.costShare).toBeNull();
  });

  it('is unknown with PAYER.RESPONSE_MISMATCH, naming what differs (fields, not values) and citing the 271', async () => {
    const determination = await check();
    expect(determination.outcome).toBe('unknown');
    const mismatch = determination.reasons.find((r) => r.code === 'PAYER.RESPONSE_MISMATCH')!;
    expect(mismatch.effect).toBe('unknown');
    expect(mismatch.message).toMatch(/trace number, member id, subscriber name and birth date/);
    expect(mismatch.message).not.toMatch(/DOE|JANE|1EG4TE5MK72/);
    expect(mismatch.source.citation).toBe('X12 271 from payer ACME01, control number 000000101');
  });
});

describe('the payer check with the 271 that answers our 270', () => {
  const options = payer((sent) => answerWithRecorded271(sample('02-commercial-multiple-eb.x12'), sent));

  it("cites the 271's interchange control number, not the 270's", async () => {
    const determination = await withPayerCheck(options, byRules, request, coverage, 'd-2', now);
    const sent270Control = options.received.at(-1)!.slice(90, 99);
    const active = determination.reasons.find((r) => r.code === 'PAYER.COVERAGE_ACTIVE')!;
    expect(active.source.citation).toBe('X12 271 from payer ACME01, control number 000000102');
    expect(sent270Control).not.toBe('000000102');
  });

  it('carries every cost-share benefit of the 271: out-of-pocket remaining, in and out of network', async () => {
    const determination = await withPayerCheck(options, byRules, request, coverage, 'd-3', now);
    expect(determination.costShare).toMatchObject({ copay: 25, deductibleRemaining: 600, outOfPocketRemaining: 2400 });
    expect(determination.costShare!.benefits).toEqual(
      expect.arrayContaining([
        { kind: 'out-of-pocket', network: 'in', coverageLevel: 'individual', period: 'remaining', amount: 2400, serviceTypes: ['30'] },
        { kind: 'coinsurance', network: 'out', coverageLevel: 'individual', period: 'visit', percent: 40, serviceTypes: ['98'] },
        { kind: 'deductible', network: 'in', coverageLevel: 'family', period: 'remaining', amount: 1800, serviceTypes: ['30'] },
      ]),
    );
    // The MH copay is for another service type than the visit's (98): not carried.
    expect(determination.costShare!.benefits!.some((b) => b.serviceTypes.includes('MH'))).toBe(false);
  });

  it('sends the configured trace originator and no character after the last segment terminator', async () => {
    await withPayerCheck(options, byRules, request, coverage, 'd-4', now);
    const sent = options.received.at(-1)!;
    expect(sent).toMatch(/TRN\*1\*[A-Z0-9]+\*1123456789~/);
    expect(sent.endsWith('~')).toBe(true);
  });
});
