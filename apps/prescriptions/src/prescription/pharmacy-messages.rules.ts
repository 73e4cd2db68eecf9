import { assertNever, DomainError, type Command } from '@carebridge/shared-kernel';
import {
  InvalidTransitionError,
  PrescriptionNotFoundError,
  requirePrescriber,
  scriptOf,
  type PrescriptionState,
  type RoutedState,
} from './prescription-lifecycle.rules';
import type { ChangeRequestType, FillStatus, PrescriptionEvent } from './prescription.events';
import { DenialReasonRequiredError, requireRenewable } from './renewals.rules';

/** The conversation with the pharmacy after transmission: its NCPDP SCRIPT messages and the prescriber's answers to change requests. */

export type PharmacyMessage =
  | { readonly kind: 'Status' | 'Verify'; readonly messageId: string }
  | { readonly kind: 'Error'; readonly messageId: string; readonly code: string; readonly description: string }
  | {
      readonly kind: 'RxFill';
      readonly messageId: string;
      readonly fillStatus: FillStatus;
      readonly quantityDispensed: number | null;
      readonly reason: string | null;
    }
  | {
      readonly kind: 'RxChangeRequest';
      readonly messageId: string;
      readonly changeType: ChangeRequestType;
      readonly detail: string;
    }
  | { readonly kind: 'CancelRxResponse'; readonly messageId: string; readonly approved: boolean; readonly reason: string | null }
  | { readonly kind: 'RxRenewalRequest'; readonly messageId: string; readonly note: string | null };
export type RecordPharmacyMessage = Command<'RecordPharmacyMessage', PharmacyMessage>;
export type RespondToChangeRequest = Command<
  'RespondToChangeRequest',
  { readonly changeRequestId: string; readonly decision: 'approved' | 'denied'; readonly reason: string | null }
>;

// --- errors (stable codes; kind picks the HTTP status at the edge) ---
export class NotTransmittedError extends DomainError {
  readonly code = 'PRESCRIPTION.NOT_TRANSMITTED';
  override readonly kind = 'conflict';
}

export class ChangeRequestNotFoundError extends DomainError {
  readonly code = 'PRESCRIPTION.CHANGE_REQUEST_NOT_FOUND';
  override readonly kind = 'not-found';
}

// --- deciding ---
export function recordPharmacyMessage(command: RecordPharmacyMessage, state: PrescriptionState): PrescriptionEvent[] {
  const routed = routedFor(command, state);
  const message = command.data;
  // A pharmacy may resend a message (HTTP retry, redelivery): recorded once.
  if (routed.messageIds.includes(message.messageId)) return [];
  const prescriptionId = routed.rx.prescriptionId;
  switch (message.kind) {
    case 'Status':
    case 'Verify':
      return [{ type: 'PharmacyAcknowledged', data: { prescriptionId, messageId: message.messageId, acknowledgement: message.kind } }];
    case 'Error':
      return [
        { type: 'PharmacyErrorReported', data: { prescriptionId, messageId: message.messageId, code: message.code, description: message.description } },
      ];
    case 'RxFill':
      // Recorded in cancel-requested too: a pharmacy that dispensed before reading our CancelRx reports a fact.
      return [
        {
          type: 'PrescriptionFillReported',
          data: {
            prescriptionId,
            patientId: routed.rx.patientId,
            rxnormCode: routed.rx.medication.rxnormCode,
            daysSupply: routed.rx.daysSupply,
            messageId: message.messageId,
            fillStatus: message.fillStatus,
            quantityDispensed: message.quantityDispensed,
            filledAt: command.metadata.now.toISOString(),
            reason: message.reason,
          },
        },
      ];
    case 'RxChangeRequest':
      if (routed.status !== 'transmitted') throw new InvalidTransitionError('RxChangeRequest', routed.status);
      return [
        {
          type: 'ChangeRequested',
          data: { prescriptionId, messageId: message.messageId, changeRequestId: message.messageId, changeType: message.changeType, detail: message.detail },
        },
      ];
    case 'CancelRxResponse': {
      if (routed.status !== 'cancel-requested') throw new InvalidTransitionError('CancelRxResponse', routed.status);
      const responded = {
        type: 'CancelResponded' as const,
        data: { prescriptionId, messageId: message.messageId, decision: message.approved ? ('approved' as const) : ('denied' as const), reason: message.reason },
      };
      if (!message.approved) return [responded];
      return [
        responded,
        { type: 'PrescriptionCancelled', data: { prescriptionId, reason: routed.cancelReason ?? 'cancelled', pharmacyConfirmed: true } },
      ];
    }
    case 'RxRenewalRequest':
      if (routed.status !== 'transmitted' && routed.status !== 'dispensed') throw new InvalidTransitionError('RxRenewalRequest', routed.status);
      requireRenewable(routed.rx);
      return [
        { type: 'RenewalRequested', data: { prescriptionId, renewalRequestId: message.messageId, requestedBy: 'pharmacy', note: message.note } },
      ];
    default:
      return assertNever(message, 'pharmacy message');
  }
}

/** NCPDP SCRIPT RxChangeResponse: the prescriber approves or denies (with a reason) a pending change request. */
export function respondToChangeRequest(command: RespondToChangeRequest, state: PrescriptionState): PrescriptionEvent[] {
  if (state.status === 'none') throw new PrescriptionNotFoundError();
  requirePrescriber(state.rx, command.metadata.actor);
  if (state.status !== 'transmitted') throw new InvalidTransitionError(command.type, state.status);
  const { changeRequestId, decision, reason } = command.data;
  if (!state.pendingChanges.includes(changeRequestId)) {
    throw new ChangeRequestNotFoundError('No pending change request with this id');
  }
  if (decision === 'denied' && !reason?.trim()) {
    throw new DenialReasonRequiredError('A denied change request needs a reason');
  }
  return [
    {
      type: 'ChangeResponded',
      data: { prescriptionId: state.rx.prescriptionId, pharmacyNcpdpId: state.pharmacy.ncpdpId, changeRequestId, decision, reason, ...scriptOf(state) },
    },
  ];
}

/** The prescription as the pharmacy has it; a message about one never sent is refused. */
function routedFor(command: RecordPharmacyMessage, state: PrescriptionState): RoutedState {
  if (state.status === 'none') throw new PrescriptionNotFoundError();
  if (state.status === 'drafted' || state.status === 'checked' || state.status === 'signed') {
    throw new NotTransmittedError('The prescription has not been sent to a pharmacy');
  }
  if (!('pharmacy' in state)) throw new InvalidTransitionError(command.type, state.status);
  return state;
}
