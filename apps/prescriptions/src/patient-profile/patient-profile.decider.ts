import { assertNever, DomainError, type Command, type Decider } from '@carebridge/shared-kernel';
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

// --- errors (stable codes; kind picks the HTTP status at the edge) ---
export class NotOwnerError extends DomainError {
  readonly code = 'PATIENT_PROFILE.NOT_OWNER';
  override readonly kind = 'forbidden';
}
export class PharmacyNotEPrescribingError extends DomainError {
  readonly code = 'PATIENT_PROFILE.PHARMACY_NOT_E_PRESCRIBING';
}
export class NotAllowedError extends DomainError {
  readonly code = 'PATIENT_PROFILE.NOT_ALLOWED';
  override readonly kind = 'forbidden';
}
export class AllergyNotFoundError extends DomainError {
  readonly code = 'PATIENT_PROFILE.ALLERGY_NOT_FOUND';
  override readonly kind = 'not-found';
}

export const initialState = (): PatientProfileState => ({ status: 'empty' });

function choosePreferredPharmacy(command: ChoosePreferredPharmacy, state: PatientProfileState): PatientProfileEvent[] {
  const { actor } = command.metadata;
  const { patientId, pharmacy } = command.data;
  if (actor.role !== 'patient' || actor.patientId !== patientId) {
    throw new NotOwnerError('Only the patient chooses their preferred pharmacy');
  }
  if (!pharmacy.acceptsEPrescribing) {
    throw new PharmacyNotEPrescribingError('This pharmacy does not accept e-prescriptions');
  }
  if (state.status === 'known' && state.preferredPharmacy?.pharmacyId === pharmacy.pharmacyId) return [];
  return [{ type: 'PreferredPharmacyChosen', data: { patientId, pharmacyId: pharmacy.pharmacyId, ncpdpId: pharmacy.ncpdpId } }];
}

function recordAllergy(command: RecordAllergy, state: PatientProfileState): PatientProfileEvent[] {
  const { actor } = command.metadata;
  // The patient reports their own allergies; clinicians record them during care.
  if (!(actor.role === 'provider' || (actor.role === 'patient' && actor.patientId === command.data.patientId))) {
    throw new NotAllowedError('Only the patient or a clinician records allergies');
  }
  if (state.status === 'known' && state.allergies.some((a) => a.rxcui === command.data.rxcui && a.criticality === command.data.criticality)) return [];
  return [{ type: 'AllergyRecorded', data: command.data }];
}

function removeAllergy(command: RemoveAllergy, state: PatientProfileState): PatientProfileEvent[] {
  if (command.metadata.actor.role !== 'provider') {
    throw new NotAllowedError('Only a clinician removes a recorded allergy');
  }
  if (state.status !== 'known' || !state.allergies.some((a) => a.rxcui === command.data.rxcui)) {
    throw new AllergyNotFoundError('No such recorded allergy');
  }
  return [{ type: 'AllergyRemoved', data: command.data }];
}

export function decide(command: PatientProfileCommand, state: PatientProfileState): PatientProfileEvent[] {
  switch (command.type) {
    case 'ChoosePreferredPharmacy':
      return choosePreferredPharmacy(command, state);
    case 'RecordAllergy':
      return recordAllergy(command, state);
    case 'RemoveAllergy':
      return removeAllergy(command, state);
    default: {
      const exhaustive: never = command;
      return assertNever(exhaustive, 'patient profile command');
    }
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
    default: {
      const exhaustive: never = event;
      return assertNever(exhaustive, 'patient profile event');
    }
  }
}

export const patientProfileDecider: Decider<PatientProfileCommand, PatientProfileEvent, PatientProfileState> = { decide, evolve, initialState };
