import { DeciderSpecification } from '@carebridge/event-store';
import type { CommandMetadata, DomainError } from '@carebridge/shared-kernel';
import { pharmacyDecider, type PharmacyCommand } from './pharmacy.decider';
import type { PharmacyEvent, PharmacyRegisteredData } from './pharmacy.events';

const spec = DeciderSpecification.for(pharmacyDecider);
const code = (expected: string) => (error: Error) => (error as DomainError).code === expected;
const meta = (role: CommandMetadata['actor']['role'] = 'ops'): CommandMetadata => ({
  now: new Date('2026-11-22T10:00:00Z'),
  actor: { id: 'ops-1', role },
  correlationId: 'c',
});
const corner: PharmacyRegisteredData = {
  pharmacyId: '0b9e2a4e-3d53-4a55-8d1c-2f5c8b7f0001',
  ncpdpId: '1234567',
  npi: '1234567893',
  name: 'Corner Pharmacy',
  address: { line: ['1 Main St'], city: 'Springfield', state: 'IL', postalCode: '62701' },
  phone: null,
  hours: { '1': { opens: '09:00', closes: '18:00' } },
  acceptsEPrescribing: true,
  scriptVersions: ['2017071', '2023011'],
};
const register = (data = corner, m = meta()): PharmacyCommand => ({ type: 'RegisterPharmacy', data, metadata: m });
const registered: PharmacyEvent = { type: 'PharmacyRegistered', data: corner };

describe('pharmacy decider', () => {
  describe('when the NCPDP id is not listed', () => {
    it('lists the pharmacy', () => {
      spec.given([]).when(register()).then([registered]);
    });

    it('refuses a registration by a pharmacy user', () => {
      spec.given([]).when(register(corner, meta('pharmacy'))).thenThrows(code('PHARMACY.DIRECTORY_FORBIDDEN'));
    });

    it('refuses an NCPDP id that is not 7 digits', () => {
      spec.given([]).when(register({ ...corner, ncpdpId: '12345' })).thenThrows(code('PHARMACY.INVALID_NCPDP_ID'));
    });

    it('refuses an NPI that is not 10 digits', () => {
      spec.given([]).when(register({ ...corner, npi: '123456789' })).thenThrows(code('PHARMACY.INVALID_NPI'));
    });

    it('refuses a change of details of a pharmacy not listed', () => {
      const { pharmacyId: _p, ncpdpId: _n, npi: _i, ...details } = corner;
      spec.given([]).when({ type: 'ChangePharmacyDetails', data: details, metadata: meta() }).thenThrows(code('PHARMACY.NOT_FOUND'));
    });

    it('refuses a state that is not a USPS code', () => {
      spec.given([]).when(register({ ...corner, address: { ...corner.address, state: 'XX' } })).thenThrows(code('PHARMACY.INVALID_STATE'));
    });

    it('refuses hours that close before they open', () => {
      spec.given([]).when(register({ ...corner, hours: { '2': { opens: '18:00', closes: '09:00' } } })).thenThrows(code('PHARMACY.INVALID_HOURS'));
    });
  });

  describe('when listed', () => {
    it('an e-prescribing pharmacy must state the SCRIPT versions it accepts', () => {
      spec.given([]).when(register({ ...corner, scriptVersions: [] })).thenThrows(code('PHARMACY.SCRIPT_VERSIONS_REQUIRED'));
      spec.given([]).when(register({ ...corner, acceptsEPrescribing: false, scriptVersions: [] })).then([
        { type: 'PharmacyRegistered', data: { ...corner, acceptsEPrescribing: false, scriptVersions: [] } },
      ]);
    });

    it('refuses a second listing of the same NCPDP id', () => {
      spec.given([registered]).when(register()).thenThrows(code('PHARMACY.ALREADY_LISTED'));
    });

    it('records a change of the e-prescribing flag', () => {
      const { pharmacyId: _p, ncpdpId: _n, npi: _i, ...details } = corner;
      spec
        .given([registered])
        .when({ type: 'ChangePharmacyDetails', data: { ...details, acceptsEPrescribing: false }, metadata: meta() })
        .then([{ type: 'PharmacyDetailsChanged', data: { ...details, acceptsEPrescribing: false, ncpdpId: '1234567' } }]);
    });
  });
});
