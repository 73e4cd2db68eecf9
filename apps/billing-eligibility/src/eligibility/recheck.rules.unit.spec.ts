import type { Determination, EligibilityDetermined, EligibilityRequest } from './eligibility.events';
import { recheckTargets } from './recheck.rules';

const request = (appointmentId: string | undefined, dateOfService: string, serviceCodes = ['99213']): EligibilityRequest => ({
  patientId: 'p',
  ...(appointmentId !== undefined && { appointmentId }),
  serviceCodes,
  modality: 'video',
  purpose: 'other',
  patientLocation: { state: 'CA', setting: 'home' },
  provider: { providerId: 'pr', licences: [], billing: 'professional' },
  dateOfService,
});
const determined = (req: EligibilityRequest): EligibilityDetermined['data'] => ({
  determinationId: Math.random().toString(36),
  patientId: 'p',
  request: req,
  determination: { outcome: 'covered' } as Determination,
});

describe('visits to check again after a coverage change', () => {
  it('takes the latest request of each upcoming appointment', () => {
    const targets = recheckTargets([determined(request('a1', '2027-01-10')), determined(request('a1', '2027-01-10', ['90834']))], '2026-12-01');
    expect(targets).toEqual([{ appointmentId: 'a1', request: request('a1', '2027-01-10', ['90834']) }]);
  });

  it('leaves past visits and checks without an appointment alone', () => {
    expect(recheckTargets([determined(request('past', '2026-11-30')), determined(request(undefined, '2027-01-10'))], '2026-12-01')).toEqual([]);
  });

  it('includes a visit today', () => {
    expect(recheckTargets([determined(request('today', '2026-12-01'))], '2026-12-01')).toHaveLength(1);
  });
});
