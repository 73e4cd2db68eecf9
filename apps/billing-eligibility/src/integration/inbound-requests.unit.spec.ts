import type { AppointmentBooked, RpmPeriodClosed } from '@carebridge/contracts';
import { DeciderSpecification } from '@carebridge/event-store';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import { eligibilityDecider } from '../eligibility/eligibility.decider';
import type { Determination, EligibilityDetermined, EligibilityRequest } from '../eligibility/eligibility.events';
import { latestRequestOf } from '../eligibility/eligibility.projection';
import { requestFromBooking, requestFromRpmPeriod, requestMovedTo } from './inbound-requests.mapping';
import { recheckTargets } from '../eligibility/recheck.rules';

const patientId = '11111111-1111-4111-8111-111111111111';
const providerId = '22222222-2222-4222-8222-222222222222';
const booked: typeof AppointmentBooked.Data = {
  appointmentId: '33333333-3333-4333-8333-333333333333',
  patientId,
  providerId,
  startsAt: '2027-03-10T17:00:00.000Z',
  endsAt: '2027-03-10T17:30:00.000Z',
  modality: 'video',
  patientState: 'CA',
  serviceCodes: ['99213'],
  visitPurpose: 'other',
  patientSetting: 'home',
  providerLicences: [{ state: 'CA', expiresOn: '2030-01-31' }, { state: 'NV' }],
};

describe('requestFromBooking', () => {
  it('carries every billing fact of the booking', () => {
    expect(requestFromBooking(booked)).toEqual({
      patientId,
      appointmentId: booked.appointmentId,
      serviceCodes: ['99213'],
      modality: 'video',
      purpose: 'other',
      patientLocation: { state: 'CA', setting: 'home' },
      provider: { providerId, licences: [{ state: 'CA', expiresOn: '2030-01-31' }, { state: 'NV' }], billing: 'professional' },
      dateOfService: '2027-03-10',
      visitStartsAt: booked.startsAt,
    });
  });

  it('maps a phone visit to audio-only and ignores an in-person visit', () => {
    expect(requestFromBooking({ ...booked, modality: 'phone' })?.modality).toBe('audio-only');
    expect(requestFromBooking({ ...booked, modality: 'in-person' })).toBeUndefined();
  });

  it('names each missing fact instead of guessing it', () => {
    const { serviceCodes: _c, patientSetting: _s, providerLicences: _l, visitPurpose: _p, ...bare } = booked;
    const request = requestFromBooking(bare)!;
    expect(request.missingFacts).toEqual(['serviceCodes', 'patientLocation.setting', 'provider.licences']);
    // No purpose is guessed: the rules take the one the codes imply, else other.
    expect(request.purpose).toBeUndefined();
  });

  it('dates the visit where the patient is: 05:30 UTC is still the day before in California', () => {
    const at = { startsAt: '2028-01-01T05:30:00.000Z', endsAt: '2028-01-01T06:00:00.000Z' };
    expect(requestFromBooking({ ...booked, ...at })?.dateOfService).toBe('2027-12-31');
    expect(requestFromBooking({ ...booked, ...at, patientState: 'NY' })?.dateOfService).toBe('2028-01-01');
  });

  it('a reschedule keeps the facts and moves the date of service', () => {
    const moved = requestMovedTo(requestFromBooking(booked)!, {
      appointmentId: booked.appointmentId,
      patientId,
      providerId,
      previousStartsAt: booked.startsAt,
      startsAt: '2028-02-01T18:00:00.000Z',
      endsAt: '2028-02-01T18:30:00.000Z',
      reasonCode: 'patient-request',
    } as Parameters<typeof requestMovedTo>[1]);
    expect(moved).toMatchObject({ serviceCodes: ['99213'], dateOfService: '2028-02-01', visitStartsAt: '2028-02-01T18:00:00.000Z' });
    const judgedBefore = { ...requestFromBooking(booked)!, invalidFacts: ['dateOfService: 2030-01-01 is outside the rule sets'] };
    expect(requestMovedTo(judgedBefore, { appointmentId: booked.appointmentId, patientId, providerId, previousStartsAt: booked.startsAt, startsAt: '2027-04-01T18:00:00.000Z', endsAt: '2027-04-01T18:30:00.000Z', reasonCode: 'patient-request' } as Parameters<typeof requestMovedTo>[1]).invalidFacts).toBeUndefined();
  });
});

const determination: Determination = {
  outcome: 'covered',
  reasons: [],
  modifiers: [],
  costShare: null,
  ruleSets: [{ ruleSetId: 'medicare', version: '1' }],
  asOf: '2026-11-22',
  dateOfService: '2027-03-10',
};
const answered = (request: EligibilityRequest, determinationId = 'd1'): EligibilityDetermined['data'] => ({ determinationId, patientId, request, determination });

describe('requestFromRpmPeriod', () => {
  const period: typeof RpmPeriodClosed.Data = {
    periodId: '44444444-4444-4444-8444-444444444444',
    patientId,
    practitionerId: providerId,
    periodStart: '2027-03-01',
    periodEnd: '2027-03-30',
    daysWithReadings: 18,
    managementMinutes: 25,
    interpretationMinutes: 0,
    codes: [{ code: '99454', units: 1 }],
    reasonCodes: [],
    ruleSet: { ruleSetId: 'rpm', version: '1', source: 'x' },
    managementMonths: [{ month: '2027-03', minutes: 25, interactive: true, codes: [{ code: '99457', units: 1 }], reasonCodes: [] }],
  };

  it('takes location and licences from the latest visit with the practitioner', () => {
    const visit = requestFromBooking(booked)!;
    const request = requestFromRpmPeriod(period, [answered(visit)]);
    expect(request).toMatchObject({
      rpmPeriodId: period.periodId,
      serviceCodes: ['99454', '99457'],
      modality: 'rpm',
      patientLocation: { state: 'CA', setting: 'home' },
      provider: { providerId, licences: visit.provider.licences },
      dateOfService: '2027-03-30',
      rpm: { daysWithReadings: 18, managementMinutes: 25, interactiveCommunication: true, consent: true },
    });
    expect(request.missingFacts).toBeUndefined();
    expect(request.rpm!.establishedPatient).toBeUndefined();
  });

  it('without a known visit, location and licences are missing facts', () => {
    expect(requestFromRpmPeriod(period, []).missingFacts).toEqual(['patientLocation.state', 'provider.licences']);
    const { practitionerId: _p, ...noPractitioner } = period;
    expect(requestFromRpmPeriod(noPractitioner, [answered(requestFromBooking(booked)!)]).missingFacts).toEqual([
      'provider.providerId',
      'provider.licences',
    ]);
  });
});

describe('cancelled appointments', () => {
  const spec = DeciderSpecification.for(eligibilityDecider);
  const metadata: CommandMetadata = { now: new Date('2026-11-22T10:00:00Z'), actor: { id: 'scheduling', role: 'system' }, correlationId: 'c' };
  const request = requestFromBooking(booked)!;

  it('withdrawing records once; a later answer for the appointment records nothing', () => {
    spec
      .given([{ type: 'EligibilityDetermined', data: answered(request) }])
      .when({ type: 'WithdrawAppointment', data: { patientId, appointmentId: booked.appointmentId }, metadata })
      .then([{ type: 'AppointmentWithdrawn', data: { patientId, appointmentId: booked.appointmentId } }]);
    spec
      .given([
        { type: 'EligibilityDetermined', data: answered(request) },
        { type: 'AppointmentWithdrawn', data: { patientId, appointmentId: booked.appointmentId } },
      ])
      .when({ type: 'RecordDetermination', data: { determinationId: 'd2', patientId, request, determination }, metadata })
      .then([]);
  });

  it('a cancelled appointment is not re-checked, and its history stays readable', () => {
    expect(recheckTargets([answered(request)], '2026-11-22', [booked.appointmentId])).toEqual([]);
    expect(recheckTargets([answered(request)], '2026-11-22')).toHaveLength(1);
    expect(latestRequestOf([answered(request)], booked.appointmentId)).toBe(request);
  });
});
