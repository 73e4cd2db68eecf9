import { DeciderSpecification } from '@carebridge/event-store';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import {
  CoverageAlreadyRecordedError,
  CoverageNotFoundError,
  CoverageOrderTakenError,
  DuplicateMembershipError,
  InvalidCoverageError,
  SecondaryWithoutPrimaryError,
  type RecordCoverage,
  type UpdateCoverage,
  coverageDecider,
  coverageOn,
} from './coverage.decider';
import type { Coverage, CoverageRecorded } from './coverage.events';

const spec = DeciderSpecification.for(coverageDecider);
const patientId = '11111111-1111-4111-8111-111111111111';
const metadata: CommandMetadata = {
  now: new Date('2026-03-01T10:00:00Z'),
  actor: { id: 'ops-1', role: 'ops' },
  correlationId: 'corr-1',
};

const medicare: Coverage = {
  coverageId: 'cov-medicare',
  payerKind: 'medicare-part-b',
  payerId: 'CMS',
  memberId: '1EG4-TE5-MK72',
  effectiveFrom: '2026-01-01',
  order: 'primary',
};
const medigapLike: Coverage = {
  coverageId: 'cov-commercial',
  payerKind: 'commercial',
  payerId: 'ACME',
  planName: 'Acme Supplement',
  state: 'CA',
  memberId: 'A-123',
  groupNumber: 'G-9',
  effectiveFrom: '2026-02-01',
  order: 'secondary',
};

const record = (coverage: Coverage): RecordCoverage => ({ type: 'RecordCoverage', data: { patientId, coverage }, metadata });
const recorded = (coverage: Coverage): CoverageRecorded => ({ type: 'CoverageRecorded', data: { patientId, coverage } });
const update = (coverageId: string, changes: UpdateCoverage['data']['changes']): UpdateCoverage => ({
  type: 'UpdateCoverage',
  data: { patientId, coverageId, changes },
  metadata,
});

describe('coverage decider', () => {
  describe('when the patient has no coverage', () => {
    it('records a primary coverage', () => {
      spec.given([]).when(record(medicare)).then([recorded(medicare)]);
    });

    it('refuses a secondary coverage without a primary', () => {
      spec.given([]).when(record(medigapLike)).thenThrows(SecondaryWithoutPrimaryError);
    });

    it('refuses Medicaid without its state', () => {
      const { state: _state, ...noState } = { ...medigapLike, payerKind: 'medicaid' as const, order: 'primary' as const };
      spec
        .given([])
        .when(record(noState))
        .thenThrows(InvalidCoverageError, (e) => expect(e.details).toEqual({ field: 'state' }));
    });

    it('refuses a commercial plan without a member id', () => {
      const { memberId: _m, ...noMember } = { ...medigapLike, order: 'primary' as const };
      spec.given([]).when(record(noMember)).thenThrows(InvalidCoverageError);
    });

    it('refuses a termination before the effective date', () => {
      spec
        .given([])
        .when(record({ ...medicare, terminatesOn: '2025-12-31' }))
        .thenThrows(InvalidCoverageError, (e) => expect(e.details).toEqual({ field: 'terminatesOn' }));
    });

    it('refuses self-pay as secondary', () => {
      spec
        .given([recorded(medicare)])
        .when(record({ coverageId: 'sp', payerKind: 'self-pay', effectiveFrom: '2026-01-01', order: 'secondary' }))
        .thenThrows(InvalidCoverageError);
    });

    it('refuses an update of an unknown coverage', () => {
      spec.given([]).when(update('nope', { memberId: 'x' })).thenThrows(CoverageNotFoundError);
    });
  });

  describe('when a primary coverage is recorded', () => {
    it('records a secondary coverage inside the primary period', () => {
      spec.given([recorded(medicare)]).when(record(medigapLike)).then([recorded(medigapLike)]);
    });

    it('refuses a second overlapping primary', () => {
      spec
        .given([recorded(medicare)])
        .when(record({ ...medigapLike, order: 'primary' }))
        .thenThrows(CoverageOrderTakenError, (e) => expect(e.code).toBe('COVERAGE.ORDER_TAKEN'));
    });

    it('records a later primary once the first is terminated', () => {
      const next = { ...medigapLike, order: 'primary' as const, effectiveFrom: '2026-07-01' };
      spec
        .given([recorded({ ...medicare, terminatesOn: '2026-06-30' })])
        .when(record(next))
        .then([recorded(next)]);
    });

    it('refuses the same coverage id twice', () => {
      spec.given([recorded(medicare)]).when(record(medicare)).thenThrows(CoverageAlreadyRecordedError);
    });

    it('refuses the same payer and member id for an overlapping period', () => {
      spec
        .given([recorded({ ...medicare, terminatesOn: '2026-06-30' })])
        .when(record({ ...medicare, coverageId: 'again', effectiveFrom: '2026-06-01', terminatesOn: undefined }))
        .thenThrows(DuplicateMembershipError);
    });

    it('refuses a secondary that outlasts its primary', () => {
      spec
        .given([recorded({ ...medicare, terminatesOn: '2026-06-30' })])
        .when(record(medigapLike))
        .thenThrows(SecondaryWithoutPrimaryError);
    });

    it('records a termination as an update naming the changed field', () => {
      spec
        .given([recorded(medicare)])
        .when(update('cov-medicare', { terminatesOn: '2026-12-31' }))
        .then([
          {
            type: 'CoverageUpdated',
            data: { patientId, coverage: { ...medicare, terminatesOn: '2026-12-31' }, changed: ['terminatesOn'] },
          },
        ]);
    });

    it('records nothing when the update changes nothing', () => {
      spec.given([recorded(medicare)]).when(update('cov-medicare', { memberId: medicare.memberId })).thenNothingHappens();
    });
  });

  describe('when a primary and a secondary are recorded', () => {
    it('refuses to terminate the primary before the secondary ends', () => {
      spec
        .given([recorded(medicare), recorded(medigapLike)])
        .when(update('cov-medicare', { terminatesOn: '2026-05-31' }))
        .thenThrows(SecondaryWithoutPrimaryError, (e) => expect(e.details).toEqual({ coverageId: 'cov-commercial' }));
    });

    it('finds the primary and the secondary in force on a date', () => {
      const state = [recorded(medicare), recorded(medigapLike)].reduce(coverageDecider.evolve, coverageDecider.initialState());
      expect(coverageOn(state, '2026-03-01')?.coverageId).toBe('cov-medicare');
      expect(coverageOn(state, '2026-03-01', 'secondary')?.coverageId).toBe('cov-commercial');
      expect(coverageOn(state, '2026-01-15', 'secondary')).toBeUndefined();
      expect(coverageOn(state, '2025-12-31')).toBeUndefined();
    });
  });
});
