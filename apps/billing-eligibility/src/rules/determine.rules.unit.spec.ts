import type { Coverage } from '../coverage/coverage.events';
import type { EligibilityRequest, Reason } from '../eligibility/eligibility.events';
import { EligibilityInputError, NoRuleSetError, determine, outcomeOf } from './determine.rules';
import { loadRuleCatalog } from './rule-set.loader';
import { type MedicareOriginatingSiteRule, type RuleCatalog, US_STATES } from './rule-set.rules';
import { loadStateFiles } from './state-data.loader';

const catalog = loadRuleCatalog();
const asOf = '2026-12-07';
const medicare: Coverage = { coverageId: 'c1', payerKind: 'medicare-part-b', payerId: 'CMS', memberId: 'M', effectiveFrom: '2026-01-01', order: 'primary' };
const request: EligibilityRequest = {
  patientId: 'p1',
  serviceCodes: ['99213'],
  modality: 'video',
  patientLocation: { state: 'CA', setting: 'home' },
  provider: { providerId: 'pr1', licences: [{ state: 'CA', expiresOn: '2030-12-31' }], billing: 'professional' },
  dateOfService: '2027-06-15',
};

function inputError(run: () => unknown): EligibilityInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof EligibilityInputError) return error;
    throw error;
  }
  throw new Error('expected an EligibilityInputError');
}

describe('determine', () => {
  describe('when the input cannot be judged', () => {
    it('names an unknown service code by its index', () => {
      const error = inputError(() => determine({ ...request, serviceCodes: ['99213', '12345'] }, medicare, catalog, asOf));
      expect([error.code, error.field, error.kind]).toEqual(['ELIGIBILITY.UNKNOWN_SERVICE_CODE', 'serviceCodes[1]', 'rule']);
    });

    it('names an invalid patient state', () => {
      const error = inputError(() => determine({ ...request, patientLocation: { state: 'PR', setting: 'home' } }, medicare, catalog, asOf));
      expect([error.code, error.field]).toEqual(['ELIGIBILITY.INVALID_STATE', 'patientLocation.state']);
    });

    it('names an invalid licence state', () => {
      const provider = { ...request.provider, licences: [{ state: 'XX', expiresOn: '2030-01-01' }] };
      expect(inputError(() => determine({ ...request, provider }, medicare, catalog, asOf)).field).toBe('provider.licences[0].state');
    });

    it('refuses a date before the rule sets', () => {
      const error = inputError(() => determine({ ...request, dateOfService: '2025-12-31' }, medicare, catalog, asOf));
      expect([error.code, error.field]).toEqual(['ELIGIBILITY.DATE_OUTSIDE_RULE_SETS', 'dateOfService']);
    });

    it('refuses a date after the rule sets', () => {
      expect(inputError(() => determine({ ...request, dateOfService: '2029-01-01' }, medicare, catalog, asOf)).field).toBe('dateOfService');
    });

    it('needs the RPM period for an RPM check', () => {
      const error = inputError(() => determine({ ...request, modality: 'rpm', serviceCodes: ['99454'] }, medicare, catalog, asOf));
      expect(error.field).toBe('rpm');
    });

    it('refuses an asOf before any rule set was published', () => {
      expect(() => determine(request, medicare, catalog, '2026-12-06')).toThrow(NoRuleSetError);
    });
  });

  describe('what we knew at time T', () => {
    // A later version of the Medicare rules in which the flexibilities end in 2026 instead.
    const medicareSet = catalog.ruleSets.find((s) => s.ruleSetId === 'medicare')!;
    const amended: RuleCatalog = {
      ruleSets: [
        ...catalog.ruleSets,
        {
          ...medicareSet,
          version: '2027.03.1',
          publishedAt: '2027-03-01',
          rules: medicareSet.rules.map((rule) => {
            if (rule.kind !== 'medicare-originating-site') return rule;
            const site = rule as MedicareOriginatingSiteRule;
            return site.version === 1
              ? { ...site, id: 'medicare.originating-site.amended', effectiveTo: '2028-12-31', homeAllowedFor: [] as const, geographicRestriction: true }
              : site;
          }).filter((rule) => rule.id !== 'medicare.originating-site.permanent-from-2028'),
        },
      ],
    };

    it('answers with the rule-set version published by asOf', () => {
      const before = determine(request, medicare, amended, '2027-02-28');
      const after = determine(request, medicare, amended, '2027-03-01');
      expect(before.outcome).toBe('covered');
      expect(before.ruleSets).toContainEqual({ ruleSetId: 'medicare', version: '2026.12.1' });
      expect(after.outcome).toBe('not-covered');
      expect(after.ruleSets).toContainEqual({ ruleSetId: 'medicare', version: '2027.03.1' });
      expect(after.reasons.find((r) => r.code === 'MEDICARE.HOME_NOT_ORIGINATING_SITE')?.ruleId).toBe('medicare.originating-site.amended');
    });

    it('gives the same answer again for the same inputs', () => {
      expect(determine(request, medicare, catalog, asOf)).toEqual(determine(request, medicare, catalog, asOf));
    });
  });

  describe('the answer', () => {
    const reason = (effect: Reason['effect']): Reason => ({
      code: 'X', effect, message: '', ruleId: 'r', ruleVersion: 1, ruleSetId: 's', ruleSetVersion: 'v',
      source: { citation: 'c', asOf: '2026', needsVerification: true },
    });

    it('is not covered when any reason excludes', () => {
      expect(outcomeOf([reason('covers'), reason('unknown'), reason('excludes')])).toBe('not-covered');
    });

    it('is unknown when a reason is unknown and none excludes', () => {
      expect(outcomeOf([reason('covers'), reason('condition'), reason('unknown')])).toBe('unknown');
    });

    it('is covered with conditions when a condition remains', () => {
      expect(outcomeOf([reason('covers'), reason('condition'), reason('info')])).toBe('covered-with-conditions');
    });

    it('is unknown when nothing covers', () => {
      expect(outcomeOf([reason('info')])).toBe('unknown');
    });

    it('carries the coverage, the date, asOf and no cost share without a 271', () => {
      const result = determine(request, medicare, catalog, asOf);
      expect(result).toMatchObject({ coverage: { coverageId: 'c1', payerKind: 'medicare-part-b', payerId: 'CMS' }, asOf, dateOfService: '2027-06-15', costShare: null });
    });
  });

  describe('state cells', () => {
    const stateRequest = (state: string): EligibilityRequest => ({
      ...request,
      patientLocation: { state, setting: 'home' },
      provider: { ...request.provider, licences: [{ state, expiresOn: '2030-12-31' }] },
    });
    const files = new Map(loadStateFiles().map((f) => [f.state, f]));
    const modalityCell = { video: 'liveVideo', 'audio-only': 'audioOnly', 'store-and-forward': 'storeAndForward' } as const;
    const effectOf = { covered: 'covers', 'covered-with-conditions': 'condition', 'not-covered': 'excludes', unknown: 'unknown' } as const;

    it.each(US_STATES)('%s Medicaid answers each modality from its research cell, citing the cell\'s first source', (state) => {
      const coverage: Coverage = { ...medicare, payerKind: 'medicaid', payerId: `mcd-${state}`, state };
      const file = files.get(state);
      for (const modality of ['video', 'audio-only', 'store-and-forward'] as const) {
        const result = determine({ ...stateRequest(state), modality }, coverage, catalog, asOf);
        const reason = result.reasons.find((r) => r.code.startsWith('MEDICAID.MODALITY') || r.code === 'STATE_DATA.MISSING')!;
        if (file === undefined) {
          expect(reason.code).toBe('STATE_DATA.MISSING');
          continue;
        }
        const cell = file.medicaid[modalityCell[modality]];
        expect([reason.ruleId, reason.effect]).toEqual([`medicaid.${state}.2026.12.1`, effectOf[cell.value]]);
        if (cell.sources[0]) expect(reason.source.citation).toBe(cell.sources[0].citation);
      }
    });

    it.each(US_STATES)('%s commercial parity is answered from its own cell', (state) => {
      const coverage: Coverage = { ...medicare, payerKind: 'commercial', payerId: `com-${state}`, state };
      const result = determine(stateRequest(state), coverage, catalog, asOf);
      const parity = result.reasons.find((r) => r.code.startsWith('COMMERCIAL.') || r.code === 'STATE_DATA.MISSING')!;
      const file = files.get(state);
      if (file) expect(parity.ruleId).toBe(`commercial.${state}.2026.12.1`);
      else expect(parity.code).toBe('STATE_DATA.MISSING');
      const conditional = parity.code === 'COMMERCIAL.COVERAGE_PARITY' || parity.code === 'COMMERCIAL.COVERAGE_PARITY_PARTIAL';
      expect(result.outcome).toBe(conditional ? 'covered-with-conditions' : 'unknown');
    });
  });
});
