import { DeciderSpecification } from '@carebridge/event-store';
import { at } from '../../test/support.fixtures';
import {
  ClinicAddressRequiredError,
  DuplicateAvailabilityExceptionError,
  InvalidAvailabilityWindowError,
  InvalidLicencesError,
  OverlappingAvailabilityWindowsError,
  ProviderAlreadyRegisteredError,
  ProviderNotFoundError,
  licencesOf,
  providerDecider,
} from './provider.decider';
import type { ProviderRegistered } from './provider.events';
import { licensedOn } from '../appointment/licensure.rules';

const spec = DeciderSpecification.for(providerDecider);
const providerId = '7d1f0c1e-1111-4a4a-8888-000000000001';
const meta = at('2026-03-01T12:00:00Z');
const registered: ProviderRegistered = {
  type: 'ProviderRegistered',
  data: {
    providerId,
    specialties: ['dermatology'],
    licensedStates: ['NY', 'NJ'],
    timeZone: 'America/New_York',
    modalities: ['video'],
  },
};

describe('provider', () => {
  describe('when unregistered', () => {
    it('registers with specialties, licensed states, zone and modalities', () => {
      spec
        .given([])
        .when({ type: 'RegisterProvider', data: { ...registered.data }, metadata: meta })
        .then([registered]);
    });

    it('refuses in-person visits without a clinic address', () => {
      spec
        .given([])
        .when({ type: 'RegisterProvider', data: { ...registered.data, modalities: ['video', 'in-person'] }, metadata: meta })
        .thenThrows(ClinicAddressRequiredError);
    });

    it('refuses availability for an unknown provider', () => {
      spec
        .given([])
        .when({ type: 'SetWeeklyAvailability', data: { providerId, weekly: [], slotMinutes: 30, bufferMinutes: 0 }, metadata: meta })
        .thenThrows(ProviderNotFoundError);
    });
  });

  describe('when registered', () => {
    it('refuses a second registration', () => {
      spec.given([registered]).when({ type: 'RegisterProvider', data: registered.data, metadata: meta }).thenThrows(ProviderAlreadyRegisteredError);
    });

    it('sets weekly windows sorted by weekday and start', () => {
      spec
        .given([registered])
        .when({
          type: 'SetWeeklyAvailability',
          data: {
            providerId,
            weekly: [
              { weekday: 2, start: '09:00', end: '12:00' },
              { weekday: 1, start: '13:00', end: '17:00' },
              { weekday: 1, start: '09:00', end: '12:00' },
            ],
            slotMinutes: 30,
            bufferMinutes: 10,
          },
          metadata: meta,
        })
        .then([
          {
            type: 'WeeklyAvailabilitySet',
            data: {
              providerId,
              weekly: [
                { weekday: 1, start: '09:00', end: '12:00' },
                { weekday: 1, start: '13:00', end: '17:00' },
                { weekday: 2, start: '09:00', end: '12:00' },
              ],
              slotMinutes: 30,
              bufferMinutes: 10,
            },
          },
        ]);
    });

    it('refuses a window that ends before it starts (or crosses midnight)', () => {
      spec
        .given([registered])
        .when({
          type: 'SetWeeklyAvailability',
          data: { providerId, weekly: [{ weekday: 1, start: '22:00', end: '01:00' }], slotMinutes: 30, bufferMinutes: 0 },
          metadata: meta,
        })
        .thenThrows(InvalidAvailabilityWindowError);
    });

    it('refuses overlapping windows on one weekday', () => {
      spec
        .given([registered])
        .when({
          type: 'SetWeeklyAvailability',
          data: {
            providerId,
            weekly: [
              { weekday: 3, start: '09:00', end: '12:00' },
              { weekday: 3, start: '11:30', end: '14:00' },
            ],
            slotMinutes: 30,
            bufferMinutes: 0,
          },
          metadata: meta,
        })
        .thenThrows(OverlappingAvailabilityWindowsError);
    });

    it('adds time off for a whole day', () => {
      const exception = { exceptionId: 'x1', date: '2026-03-10', kind: 'time-off' as const };
      spec
        .given([registered])
        .when({ type: 'AddAvailabilityException', data: { providerId, exception }, metadata: meta })
        .then([{ type: 'AvailabilityExceptionAdded', data: { providerId, exception } }]);
    });

    it('refuses extra hours without times', () => {
      spec
        .given([registered])
        .when({
          type: 'AddAvailabilityException',
          data: { providerId, exception: { exceptionId: 'x2', date: '2026-03-10', kind: 'extra-hours' } },
          metadata: meta,
        })
        .thenThrows(InvalidAvailabilityWindowError);
    });

    it('refuses the same exception id twice', () => {
      const exception = { exceptionId: 'x1', date: '2026-03-10', kind: 'time-off' as const };
      spec
        .given([registered, { type: 'AvailabilityExceptionAdded', data: { providerId, exception } }])
        .when({ type: 'AddAvailabilityException', data: { providerId, exception }, metadata: meta })
        .thenThrows(DuplicateAvailabilityExceptionError);
    });
  });
});

describe('licences', () => {
  const withExpiry = { ...registered.data, licences: [{ state: 'NY', expiresOn: '2027-06-30' }] };

  it('registers licence expiries of licensed states', () => {
    spec.given([]).when({ type: 'RegisterProvider', data: withExpiry, metadata: meta }).then([{ type: 'ProviderRegistered', data: withExpiry }]);
  });

  it('refuses an expiry for a state not in licensedStates', () => {
    spec
      .given([])
      .when({ type: 'RegisterProvider', data: { ...registered.data, licences: [{ state: 'CA', expiresOn: '2027-06-30' }] }, metadata: meta })
      .thenThrows(InvalidLicencesError);
  });

  it('lists every licensed state, with the expiry where known (older streams have none)', () => {
    const state = providerDecider.evolve(providerDecider.initialState(), { type: 'ProviderRegistered', data: withExpiry });
    expect(state.status === 'active' && licencesOf(state.profile)).toEqual([{ state: 'NY', expiresOn: '2027-06-30' }, { state: 'NJ' }]);
    const old = providerDecider.evolve(providerDecider.initialState(), registered);
    expect(old.status === 'active' && licencesOf(old.profile)).toEqual([{ state: 'NY' }, { state: 'NJ' }]);
  });

  it('replaces licensed states on renewal', () => {
    const licences = [{ state: 'NY', expiresOn: '2029-06-30' }, { state: 'CT' }];
    spec
      .given([registered])
      .when({ type: 'UpdateLicences', data: { providerId, licences }, metadata: meta })
      .then([{ type: 'ProviderLicencesUpdated', data: { providerId, licences } }]);
    const state = [registered, { type: 'ProviderLicencesUpdated' as const, data: { providerId, licences } }].reduce(providerDecider.evolve, providerDecider.initialState());
    expect(state.status === 'active' && state.profile.licensedStates).toEqual(['NY', 'CT']);
  });

  it('a licence is valid through its expiry date, as the licensing state counts days', () => {
    const licences = [{ state: 'NY', expiresOn: '2026-03-09' }];
    expect(licensedOn(licences, 'NY', '2026-03-09T23:00:00.000Z')).toBe(true);
    // 23:59 EDT on the expiry day is 03:59 the next day in UTC.
    expect(licensedOn(licences, 'NY', '2026-03-10T03:59:00.000Z')).toBe(true);
    expect(licensedOn(licences, 'NY', '2026-03-10T04:00:00.000Z')).toBe(false);
    expect(licensedOn(licences, 'NJ', '2026-03-01T00:00:00.000Z')).toBe(false);
  });
});
