import { assertNever, DomainError, type Command } from '@carebridge/shared-kernel';
import { InvalidTransitionError, PrescriptionNotFoundError, requirePrescriber, scriptOf, type PrescriptionState } from './prescription-lifecycle.rules';
import type { PrescriptionEvent } from './prescription.events';

/** The prescriber cancels: at once before transmission, by NCPDP SCRIPT CancelRx after it. */
export type CancelPrescription = Command<'CancelPrescription', { readonly reason: string }>;

// --- errors (stable codes; kind picks the HTTP status at the edge) ---
export class CancelReasonRequiredError extends DomainError {
  readonly code = 'PRESCRIPTION.CANCEL_REASON_REQUIRED';
}

export class AlreadyDispensedError extends DomainError {
  readonly code = 'PRESCRIPTION.ALREADY_DISPENSED';
  override readonly kind = 'conflict';
}

// --- deciding ---
export function cancelPrescription(command: CancelPrescription, state: PrescriptionState): PrescriptionEvent[] {
  if (state.status === 'none') throw new PrescriptionNotFoundError();
  requirePrescriber(state.rx, command.metadata.actor);
  const { reason } = command.data;
  if (!reason.trim()) throw new CancelReasonRequiredError('A cancellation needs a reason');
  const prescriptionId = state.rx.prescriptionId;
  switch (state.status) {
    case 'drafted':
    case 'checked':
    case 'signed':
      return [{ type: 'PrescriptionCancelled', data: { prescriptionId, reason, pharmacyConfirmed: false } }];
    case 'transmitted':
    case 'not-dispensed':
      // NCPDP SCRIPT CancelRx: the pharmacy answers with CancelRxResponse.
      return [{ type: 'CancelRequested', data: { prescriptionId, pharmacyNcpdpId: state.pharmacy.ncpdpId, reason, ...scriptOf(state) } }];
    case 'dispensed':
      throw new AlreadyDispensedError('A dispensed prescription cannot be cancelled');
    case 'cancel-requested':
    case 'cancelled':
      return [];
    case 'transferred':
      throw new InvalidTransitionError(command.type, state.status);
    default:
      return assertNever(state, 'prescription state');
  }
}
