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

    it('records nothing for a determination id already recorded', () => {
      spec.given([determined('d1', 'covered')]).when(record('d1', 'covered')).thenNothingHappens();
    });
  });
});
