import { assertNever, DomainError, isUsJurisdiction, type Command, type Decider } from '@carebridge/shared-kernel';
import type { PharmacyDetails, PharmacyEvent, PharmacyRegisteredData } from './pharmacy.events';

export type RegisterPharmacy = Command<'RegisterPharmacy', PharmacyRegisteredData>;
export type ChangePharmacyDetails = Command<'ChangePharmacyDetails', PharmacyDetails>;
export type PharmacyCommand = RegisterPharmacy | ChangePharmacyDetails;

export type PharmacyState =
  | { readonly status: 'unknown' }
  | { readonly status: 'listed'; readonly pharmacy: PharmacyRegisteredData };

// --- errors (stable codes; kind picks the HTTP status at the edge) ---
/** The directory is curated by operations, not by pharmacies or patients. */
export class DirectoryForbiddenError extends DomainError {
  readonly code = 'PHARMACY.DIRECTORY_FORBIDDEN';
  override readonly kind = 'forbidden';
}
export class PharmacyAlreadyListedError extends DomainError {
  readonly code = 'PHARMACY.ALREADY_LISTED';
  override readonly kind = 'conflict';
}
export class PharmacyNotFoundError extends DomainError {
  readonly code = 'PHARMACY.NOT_FOUND';
  override readonly kind = 'not-found';
}
/** NCPDP Provider ID: 7 digits. */
export class InvalidNcpdpIdError extends DomainError {
  readonly code = 'PHARMACY.INVALID_NCPDP_ID';
}
export class InvalidNpiError extends DomainError {
  readonly code = 'PHARMACY.INVALID_NPI';
}
export class InvalidStateError extends DomainError {
  readonly code = 'PHARMACY.INVALID_STATE';
}
export class InvalidHoursError extends DomainError {
  readonly code = 'PHARMACY.INVALID_HOURS';
}
/** An e-prescribing pharmacy states which NCPDP SCRIPT versions it accepts. */
export class ScriptVersionsRequiredError extends DomainError {
  readonly code = 'PHARMACY.SCRIPT_VERSIONS_REQUIRED';
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const initialState = (): PharmacyState => ({ status: 'unknown' });

function registerPharmacy(command: RegisterPharmacy, state: PharmacyState): PharmacyEvent[] {
  if (state.status === 'listed') {
    throw new PharmacyAlreadyListedError(`NCPDP ${command.data.ncpdpId} is already in the directory`);
  }
  if (!/^\d{7}$/.test(command.data.ncpdpId)) throw new InvalidNcpdpIdError('An NCPDP Provider ID has 7 digits');
  if (!/^\d{10}$/.test(command.data.npi)) throw new InvalidNpiError('An NPI has 10 digits');
  validateDetails(command.data);
  return [{ type: 'PharmacyRegistered', data: command.data }];
}

function changePharmacyDetails(command: ChangePharmacyDetails, state: PharmacyState): PharmacyEvent[] {
  if (state.status === 'unknown') throw new PharmacyNotFoundError('No such pharmacy');
  validateDetails(command.data);
  return [{ type: 'PharmacyDetailsChanged', data: { ...command.data, ncpdpId: state.pharmacy.ncpdpId } }];
}

export function decide(command: PharmacyCommand, state: PharmacyState): PharmacyEvent[] {
  if (command.metadata.actor.role !== 'ops' && command.metadata.actor.role !== 'system') {
    throw new DirectoryForbiddenError('Only operations may change the pharmacy directory');
  }
  switch (command.type) {
    case 'RegisterPharmacy':
      return registerPharmacy(command, state);
    case 'ChangePharmacyDetails':
      return changePharmacyDetails(command, state);
    default: {
      const exhaustive: never = command;
      return assertNever(exhaustive, 'pharmacy command');
    }
  }
}

function validateDetails(details: PharmacyDetails): void {
  if (details.acceptsEPrescribing && (details.scriptVersions ?? []).length === 0) {
    throw new ScriptVersionsRequiredError('A pharmacy that accepts e-prescriptions states the SCRIPT versions it accepts (2017071, 2023011)', { field: 'scriptVersions' });
  }
  if (!isUsJurisdiction(details.address.state)) {
    throw new InvalidStateError(`${details.address.state} is not a USPS state code`);
  }
  for (const [day, hours] of Object.entries(details.hours)) {
    if (!hours || !TIME.test(hours.opens) || !TIME.test(hours.closes) || hours.opens >= hours.closes) {
      throw new InvalidHoursError(`Opening hours of day ${day} must be HH:MM with opens before closes`);
    }
  }
}

export function evolve(state: PharmacyState, event: PharmacyEvent): PharmacyState {
  switch (event.type) {
    case 'PharmacyRegistered':
      return { status: 'listed', pharmacy: event.data };
    case 'PharmacyDetailsChanged':
      return state.status === 'listed' ? { status: 'listed', pharmacy: { ...state.pharmacy, ...event.data } } : state;
    default: {
      const exhaustive: never = event;
      return assertNever(exhaustive, 'pharmacy event');
    }
  }
}

export const pharmacyDecider: Decider<PharmacyCommand, PharmacyEvent, PharmacyState> = { decide, evolve, initialState };
