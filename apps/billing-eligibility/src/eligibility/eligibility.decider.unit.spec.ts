import { DeciderSpecification } from '@carebridge/event-store';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import {
  PatientMismatchError,
  type RecordDetermination,
  UnreproducibleDeterminationError,
  eligibilityDecider,
} from './eligibility.decider';
import type { Determination, EligibilityDetermined, EligibilityRequest } from './eligibility.events';

const spec = DeciderSpecification.for(eligibilityDecider);
const metadata: CommandMetadata = { now: new Date('2026-11-22T10:00:00Z'), actor: { id: 'prov', role: 'provider' }, correlationId: 'c' };
const request: EligibilityRequest = {
  patientId: 'p1',
  appointmentId: 'a1',
  serviceCodes: ['99213'],
  modality: 'video',
  purpose: 'other',
  patientLocation: { state: 'CA', setting: 'home' },
  provider: { providerId: 'pr', licences: [], billing: 'professional' },
  dateOfService: '2027-06-15',
};
const determination = (outcome: Determination['outcome']): Determination => ({
  outcome,
  reasons: [],
  modifiers: [],
  costShare: null,
  ruleSets: [{ ruleSetId: 'medicare', version: '2026.11.1' }],
  asOf: '2026-11-22',
  dateOfService: '2027-06-15',
});
const record = (determinationId: string, outcome: Determination['outcome'], req = request): RecordDetermination => ({
  type: 'RecordDetermination',
  data: { determinationId, patientId: 'p1', request: req, determination: determination(outcome) },
  metadata,
});
const determined = (determinationId: string, outcome: Determination['outcome'], changedFrom?: Determination['outcome']): EligibilityDetermined => ({
  type: 'EligibilityDetermined',
  data: { determinationId, patientId: 'p1', request, determination: determination(outcome), ...(changedFrom && { changedFrom }) },
});

describe('eligibility decider', () => {
  describe('when nothing was determined', () => {
    it('records the determination', () => {
      spec.given([]).when(record('d1', 'covered')).then([determined('d1', 'covered')]);
    });

    it('refuses a determination without rule-set versions', () => {
      const command = record('d1', 'covered');
      spec
        .given([])
        .when({ ...command, data: { ...command.data, determination: { ...determination('covered'), ruleSets: [] } } })
        .thenThrows(UnreproducibleDeterminationError);
    });

    it('refuses a request for another patient', () => {
      spec.given([]).when(record('d1', 'covered', { ...request, patientId: 'p2' })).thenThrows(PatientMismatchError);
    });
  });

  describe('when the appointment was determined before', () => {
    it('says from what a changed answer changed', () => {
      spec.given([determined('d1', 'covered')]).when(record('d2', 'not-covered')).then([determined('d2', 'not-covered', 'covered')]);
    });

    it('records an unchanged answer without changedFrom', () => {
      spec.given([determined('d1', 'covered')]).when(record('d2', 'covered')).then([determined('d2', 'covered')]);
    });

    it('records a re-check only when its answer changed', () => {
      const recheck = (outcome: Determination['outcome']): RecordDetermination => {
        const command = record('r1', outcome);
        return { ...command, data: { ...command.data, onlyIfChanged: true } };
      };
      spec.given([determined('d1', 'covered')]).when(recheck('covered')).thenNothingHappens();
      spec.given([determined('d1', 'covered')]).when(recheck('unknown')).then([determined('r1', 'unknown', 'covered')]);
    });

    describe('a re-check with the same outcome', () => {
      const withPayer = (costShare: Determination['costShare'], reasonCodes: string[] = []): Determination => ({
        ...determination('covered'),
        costShare,
        reasons: reasonCodes.map((code) => ({ code, effect: 'info', message: code, ruleId: 'r', ruleVersion: 1, ruleSetId: 'medicare' }) as Determination['reasons'][number]),
      });
      const recheck = (d: Determination): RecordDetermination => ({
        type: 'RecordDetermination',
        data: { determinationId: 'r1', patientId: 'p1', request, determination: d, onlyIfChanged: true },
        metadata,
      });
      const before = (d: Determination): EligibilityDetermined => ({ type: 'EligibilityDetermined', data: { determinationId: 'd1', patientId: 'p1', request, determination: d } });
      const recorded = (d: Determination): EligibilityDetermined => ({ type: 'EligibilityDetermined', data: { determinationId: 'r1', patientId: 'p1', request, determination: d } });

      it('is recorded when the payer now reports a cost share, or a different one', () => {
        const active = ['PAYER.COVERAGE_ACTIVE'];
        spec.given([before(withPayer(null))]).when(recheck(withPayer({ copay: 20 }, active))).then([recorded(withPayer({ copay: 20 }, active))]);
        spec
          .given([before(withPayer({ copay: 20 }, active))])
          .when(recheck(withPayer({ copay: 20, deductibleRemaining: 150 }, active)))
          .then([recorded(withPayer({ copay: 20, deductibleRemaining: 150 }, active))]);
      });

      it('is not recorded for the same cost share, nor for none (the rules alone know no cost share)', () => {
        spec.given([before(withPayer({ copay: 20 }, ['PAYER.COVERAGE_ACTIVE']))]).when(recheck(withPayer({ copay: 20 }, ['PAYER.COVERAGE_ACTIVE']))).thenNothingHappens();
        // A re-check by the rules alone has neither the payer's codes nor its cost share: no change.
        spec.given([before(withPayer({ copay: 20 }, ['A', 'PAYER.COVERAGE_ACTIVE']))]).when(recheck(withPayer(null, ['A']))).thenNothingHappens();
        // ...but a change in the rules' own reasons is one.
        spec.given([before(withPayer({ copay: 20 }, ['A', 'PAYER.COVERAGE_ACTIVE']))]).when(recheck(withPayer(null, ['B']))).then([recorded(withPayer(null, ['B']))]);
      });

      it("is recorded when the payer's word changed", () => {
        spec.given([before(withPayer({ copay: 20 }, ['PAYER.COVERAGE_ACTIVE']))]).when(recheck(withPayer(null, ['PAYER.UNREACHABLE']))).then([recorded(withPayer(null, ['PAYER.UNREACHABLE']))]);
      });

      it('is recorded when the reasons changed (the answer to "why" is part of the answer)', () => {
        spec.given([before(withPayer(null, ['A']))]).when(recheck(withPayer(null, ['A', 'B']))).then([recorded(withPayer(null, ['A', 'B']))]);
        spec.given([before(withPayer(null, ['B', 'A']))]).when(recheck(withPayer(null, ['A', 'B']))).thenNothingHappens();
      });
    });

    it('records nothing for a determination id already recorded', () => {
      spec.given([determined('d1', 'covered')]).when(record('d1', 'covered')).thenNothingHappens();
    });
  });
});
