import { assertNever, DomainError, type Command, type Decider, type DomainErrorKind } from '@carebridge/shared-kernel';
import type { AllergyRecordedData, PatientProfileEvent } from './patient-profile.events';

export type ChoosePreferredPharmacy = Command<
  'ChoosePreferredPharmacy',
  { readonly patientId: string; readonly pharmacy: { readonly pharmacyId: string; readonly ncpdpId: string; readonly acceptsEPrescribing: boolean } }
>;
export type RecordAllergy = Command<'RecordAllergy', AllergyRecordedData>;
export type RemoveAllergy = Command<'RemoveAllergy', { readonly patientId: string; readonly rxcui: string; readonly reason: string }>;
export type PatientProfileCommand = ChoosePreferredPharmacy | RecordAllergy | RemoveAllergy;

export type PatientProfileState =
  | { readonly status: 'empty' }
  | {
      readonly status: 'known';
      readonly patientId: string;
      readonly preferredPharmacy: { readonly pharmacyId: string; readonly ncpdpId: string } | null;
      readonly allergies: readonly AllergyRecordedData[];
    };

export class PatientProfileError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    override readonly kind: DomainErrorKind,
  ) {
    super(message);
  }
}

export const initialState = (): PatientProfileState => ({ status: 'empty' });

export function decide(command: PatientProfileCommand, state: PatientProfileState): PatientProfileEvent[] {
  const actor = command.metadata.actor;
  const { patientId } = command.data;
  switch (command.type) {
    case 'ChoosePreferredPharmacy': {
      if (actor.role !== 'patient' || actor.id !== patientId) {
        throw new PatientProfileError('PATIENT_PROFILE.NOT_OWNER', 'Only the patient chooses their preferred pharmacy', 'forbidden');
      }
      if (!command.data.pharmacy.acceptsEPrescribing) {
        throw new PatientProfileError('PATIENT_PROFILE.PHARMACY_NOT_E_PRESCRIBING', 'This pharmacy does not accept e-prescriptions', 'rule');
      }
      if (state.status === 'known' && state.preferredPharmacy?.pharmacyId === command.data.pharmacy.pharmacyId) return [];
      const { pharmacyId, ncpdpId } = command.data.pharmacy;
      return [{ type: 'PreferredPharmacyChosen', data: { patientId, pharmacyId, ncpdpId } }];
    }
    case 'RecordAllergy':
      // The patient reports their own allergies; clinicians record them during care.
      if (!(actor.role === 'provider' || (actor.role === 'patient' && actor.id === patientId))) {
        throw new PatientProfileError('PATIENT_PROFILE.NOT_ALLOWED', 'Only the patient or a clinician records allergies', 'forbidden');
      }
      if (state.status === 'known' && state.allergies.some((a) => a.rxcui === command.data.rxcui && a.criticality === command.data.criticality)) return [];
      return [{ type: 'AllergyRecorded', data: command.data }];
    case 'RemoveAllergy':
      if (actor.role !== 'provider') {
        throw new PatientProfileError('PATIENT_PROFILE.NOT_ALLOWED', 'Only a clinician removes a recorded allergy', 'forbidden');
      }
      if (state.status !== 'known' || !state.allergies.some((a) => a.rxcui === command.data.rxcui)) {
        throw new PatientProfileError('PATIENT_PROFILE.ALLERGY_NOT_FOUND', 'No such recorded allergy', 'not-found');
      }
      return [{ type: 'AllergyRemoved', data: command.data }];
    default:
      return assertNever(command, 'patient profile command');
  }
}

export function evolve(state: PatientProfileState, event: PatientProfileEvent): PatientProfileState {
  const current =
    state.status === 'known' ? state : { status: 'known' as const, patientId: event.data.patientId, preferredPharmacy: null, allergies: [] };
  switch (event.type) {
    case 'PreferredPharmacyChosen':
      return { ...current, preferredPharmacy: { pharmacyId: event.data.pharmacyId, ncpdpId: event.data.ncpdpId } };
    case 'AllergyRecorded':
      return { ...current, allergies: [...current.allergies.filter((a) => a.rxcui !== event.data.rxcui), event.data] };
    case 'AllergyRemoved':
      return { ...current, allergies: current.allergies.filter((a) => a.rxcui !== event.data.rxcui) };
    default:
      return assertNever(event, 'patient profile event');
  }
}

export const patientProfileDecider: Decider<PatientProfileCommand, PatientProfileEvent, PatientProfileState> = { decide, evolve, initialState };
