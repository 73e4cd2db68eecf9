import { DeciderSpecification } from '@carebridge/event-store';
import type { CommandMetadata, DomainError } from '@carebridge/shared-kernel';
import { patientProfileDecider } from './patient-profile.decider';

const spec = DeciderSpecification.for(patientProfileDecider);
const code = (expected: string) => (error: Error) => (error as DomainError).code === expected;
const patientId = '9a0e1c1e-8d8d-4c1e-9c55-000000000001';
const meta = (role: CommandMetadata['actor']['role'], id: string): CommandMetadata => ({
  now: new Date('2026-11-22T10:00:00Z'),
  // A patient acts as the patient of the patient_id claim (AuthenticatedActor.patientId).
  actor: { id, role, ...(role === 'patient' && { patientId: id }) },
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

  describe('when an allergy is recorded', () => {
    const allergy = { patientId, rxcui: '723', display: 'amoxicillin', criticality: 'high' as const };
    const remove = (rxcui: string, m: CommandMetadata) => ({ type: 'RemoveAllergy' as const, data: { patientId, rxcui, reason: 'tolerated on challenge' }, metadata: m });

    it('refuses an allergy recorded by someone who is neither the patient nor a clinician', () => {
      spec.given([]).when({ type: 'RecordAllergy', data: allergy, metadata: meta('pharmacy', 'ph-1') }).thenThrows(code('PATIENT_PROFILE.NOT_ALLOWED'));
    });

    it('removes a recorded allergy on a clinician\u2019s decision', () => {
      spec
        .given([{ type: 'AllergyRecorded', data: allergy }])
        .when(remove('723', meta('provider', 'dr')))
        .then([{ type: 'AllergyRemoved', data: { patientId, rxcui: '723', reason: 'tolerated on challenge' } }]);
    });

    it('refuses the patient removing a recorded allergy', () => {
      spec.given([{ type: 'AllergyRecorded', data: allergy }]).when(remove('723', meta('patient', patientId))).thenThrows(code('PATIENT_PROFILE.NOT_ALLOWED'));
    });

    it('refuses removing an allergy that is not recorded', () => {
      spec.given([{ type: 'AllergyRecorded', data: allergy }]).when(remove('999', meta('provider', 'dr'))).thenThrows(code('PATIENT_PROFILE.ALLERGY_NOT_FOUND'));
    });
  });
});
