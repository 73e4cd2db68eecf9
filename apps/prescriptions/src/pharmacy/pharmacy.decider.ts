import { assertNever, DomainError, isUsJurisdiction, type Command, type Decider, type DomainErrorKind } from '@carebridge/shared-kernel';
import type { PharmacyDetails, PharmacyEvent, PharmacyRegisteredData } from './pharmacy.events';

export type RegisterPharmacy = Command<'RegisterPharmacy', PharmacyRegisteredData>;
export type ChangePharmacyDetails = Command<'ChangePharmacyDetails', PharmacyDetails>;
export type PharmacyCommand = RegisterPharmacy | ChangePharmacyDetails;

export type PharmacyState =
  | { readonly status: 'unknown' }
  | { readonly status: 'listed'; readonly pharmacy: PharmacyRegisteredData };

export class PharmacyError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    override readonly kind: DomainErrorKind,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const initialState = (): PharmacyState => ({ status: 'unknown' });

export function decide(command: PharmacyCommand, state: PharmacyState): PharmacyEvent[] {
  // The directory is curated by operations, not by pharmacies or patients.
  if (command.metadata.actor.role !== 'ops' && command.metadata.actor.role !== 'system') {
    throw new PharmacyError('PHARMACY.DIRECTORY_FORBIDDEN', 'Only operations may change the pharmacy directory', 'forbidden');
  }
  switch (command.type) {
    case 'RegisterPharmacy': {
      if (state.status === 'listed') {
        throw new PharmacyError('PHARMACY.ALREADY_LISTED', `NCPDP ${command.data.ncpdpId} is already in the directory`, 'conflict');
      }
      if (!/^\d{7}$/.test(command.data.ncpdpId)) {
        throw new PharmacyError('PHARMACY.INVALID_NCPDP_ID', 'An NCPDP Provider ID has 7 digits', 'rule');
      }
      if (!/^\d{10}$/.test(command.data.npi)) throw new PharmacyError('PHARMACY.INVALID_NPI', 'An NPI has 10 digits', 'rule');
      validateDetails(command.data);
      return [{ type: 'PharmacyRegistered', data: command.data }];
    }
    case 'ChangePharmacyDetails':
      if (state.status === 'unknown') throw new PharmacyError('PHARMACY.NOT_FOUND', 'No such pharmacy', 'not-found');
      validateDetails(command.data);
      return [{ type: 'PharmacyDetailsChanged', data: { ...command.data, ncpdpId: state.pharmacy.ncpdpId } }];
    default:
      return assertNever(command, 'pharmacy command');
  }
}

function validateDetails(details: PharmacyDetails): void {
  if (!isUsJurisdiction(details.address.state)) {
    throw new PharmacyError('PHARMACY.INVALID_STATE', `${details.address.state} is not a USPS state code`, 'rule');
  }
  for (const [day, hours] of Object.entries(details.hours)) {
    if (!hours || !TIME.test(hours.opens) || !TIME.test(hours.closes) || hours.opens >= hours.closes) {
      throw new PharmacyError('PHARMACY.INVALID_HOURS', `Opening hours of day ${day} must be HH:MM with opens before closes`, 'rule');
    }
  }
}

export function evolve(state: PharmacyState, event: PharmacyEvent): PharmacyState {
  switch (event.type) {
    case 'PharmacyRegistered':
      return { status: 'listed', pharmacy: event.data };
    case 'PharmacyDetailsChanged':
      return state.status === 'listed' ? { status: 'listed', pharmacy: { ...state.pharmacy, ...event.data } } : state;
    default:
      return assertNever(event, 'pharmacy event');
  }
}

export const pharmacyDecider: Decider<PharmacyCommand, PharmacyEvent, PharmacyState> = { decide, evolve, initialState };
