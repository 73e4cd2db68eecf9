import { DeciderSpecification } from '@carebridge/event-store';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import { patientProfileDecider, PatientProfileError } from './patient-profile.decider';

const spec = DeciderSpecification.for(patientProfileDecider);
const code = (expected: string) => (error: Error) => (error as PatientProfileError).code === expected;
const patientId = '9a0e1c1e-8d8d-4c1e-9c55-000000000001';
const meta = (role: CommandMetadata['actor']['role'], id: string): CommandMetadata => ({
  now: new Date('2026-11-22T10:00:00Z'),
  actor: { id, role },
  correlationId: 'c',
});
const corner = { pharmacyId: '9a0e1c1e-8d8d-4c1e-9c55-000000000002', ncpdpId: '1234567', acceptsEPrescribing: true };
const chosen = { type: 'PreferredPharmacyChosen' as const, data: { patientId, pharmacyId: corner.pharmacyId, ncpdpId: '1234567' } };

describe('patient profile decider', () => {
  describe('when empty', () => {
    it('records the preferred pharmacy the patient chose', () => {
      spec.given([]).when({ type: 'ChoosePreferredPharmacy', data: { patientId, pharmacy: corner }, metadata: meta('patient', patientId) }).then([chosen]);
    });

    it('refuses a preferred pharmacy chosen for someone else', () => {
      spec
        .given([])
        .when({ type: 'ChoosePreferredPharmacy', data: { patientId, pharmacy: corner }, metadata: meta('patient', 'someone-else') })
        .thenThrows(code('PATIENT_PROFILE.NOT_OWNER'));
    });

    it('refuses a preferred pharmacy that does not accept e-prescriptions', () => {
      spec
        .given([])
        .when({ type: 'ChoosePreferredPharmacy', data: { patientId, pharmacy: { ...corner, acceptsEPrescribing: false } }, metadata: meta('patient', patientId) })
        .thenThrows(code('PATIENT_PROFILE.PHARMACY_NOT_E_PRESCRIBING'));
    });

    it('records an allergy reported by a clinician', () => {
      const data = { patientId, rxcui: '723', display: 'amoxicillin', criticality: 'high' as const };
      spec.given([]).when({ type: 'RecordAllergy', data, metadata: meta('provider', 'dr') }).then([{ type: 'AllergyRecorded', data }]);
    });
  });

  describe('when a preferred pharmacy is set', () => {
    it('records nothing when the same pharmacy is chosen again', () => {
      spec.given([chosen]).when({ type: 'ChoosePreferredPharmacy', data: { patientId, pharmacy: corner }, metadata: meta('patient', patientId) }).thenNothingHappens();
    });
  });
});
