import { assertNever, type Decider } from '@carebridge/shared-kernel';
import { cancelPrescription, type CancelPrescription } from './cancellation.rules';
import {
  checkPrescription,
  draftPrescription,
  reviseDraft,
  type CheckPrescription,
  type DraftPrescription,
  type ReviseDraft,
} from './drafting.rules';
import {
  recordPharmacyMessage,
  respondToChangeRequest,
  type RecordPharmacyMessage,
  type RespondToChangeRequest,
} from './pharmacy-messages.rules';
import type { PrescriptionState, RoutedState } from './prescription-lifecycle.rules';
import type { FillStatus, PrescriptionEvent } from './prescription.events';
import { requestRenewal, respondToRenewal, type RequestRenewal, type RespondToRenewal } from './renewals.rules';
import { signPrescription, type SignPrescription } from './signing.rules';

/**
 * The `prescription-<id>` stream: one function per command, each in the rules file of its use case
 * (drafting, signing, pharmacy messages, renewals, cancellation), with its typed errors. Time,
 * ids and actor come in the command's metadata.
 */

export type { CancelPrescription } from './cancellation.rules';
export type { CheckPrescription, DraftPrescription, ReviseDraft } from './drafting.rules';
export type { PharmacyMessage, RecordPharmacyMessage, RespondToChangeRequest } from './pharmacy-messages.rules';
export type { PrescriptionState, PrescriptionStatus } from './prescription-lifecycle.rules';
export type { RequestRenewal, RespondToRenewal } from './renewals.rules';
export type { SignPrescription } from './signing.rules';

export type PrescriptionCommand =
  | DraftPrescription
  | ReviseDraft
  | CheckPrescription
  | SignPrescription
  | RecordPharmacyMessage
  | RequestRenewal
  | RespondToRenewal
  | RespondToChangeRequest
  | CancelPrescription;

export const initialState = (): PrescriptionState => ({ status: 'none' });

export function decide(command: PrescriptionCommand, state: PrescriptionState): PrescriptionEvent[] {
  switch (command.type) {
    case 'DraftPrescription':
      return draftPrescription(command, state);
    case 'ReviseDraft':
      return reviseDraft(command, state);
    case 'CheckPrescription':
      return checkPrescription(command, state);
    case 'SignPrescription':
      return signPrescription(command, state);
    case 'RecordPharmacyMessage':
      return recordPharmacyMessage(command, state);
    case 'RequestRenewal':
      return requestRenewal(command, state);
    case 'RespondToRenewal':
      return respondToRenewal(command, state);
    case 'RespondToChangeRequest':
      return respondToChangeRequest(command, state);
    case 'CancelPrescription':
      return cancelPrescription(command, state);
    default: {
      const exhaustive: never = command;
      return assertNever(exhaustive, 'prescription command');
    }
  }
}

export function evolve(state: PrescriptionState, event: PrescriptionEvent): PrescriptionState {
  switch (event.type) {
    case 'PrescriptionDrafted':
    case 'PrescriptionDraftRevised':
      return { status: 'drafted', rx: event.data };
    case 'PrescriptionChecked':
      return 'rx' in state ? { status: 'checked', rx: state.rx, findings: event.data.findings } : state;
    case 'PrescriptionSigned':
      return 'rx' in state ? { status: 'signed', rx: state.rx } : state;
    case 'PrescriptionTransmitted':
      return 'rx' in state
        ? {
            status: 'transmitted',
            rx: state.rx,
            pharmacy: { pharmacyId: event.data.pharmacyId, ncpdpId: event.data.pharmacyNcpdpId },
            pendingRenewals: [],
            pendingChanges: [],
            messageIds: [],
            cancelReason: null,
            issuedAt: event.data.transmittedAt,
            refillsAuthorized: 0,
            script: event.data.script === undefined ? null : { delivery: event.data.script, rx: event.data.newRx, writtenAt: event.data.transmittedAt },
          }
        : state;
    case 'PharmacyAcknowledged':
    case 'PharmacyErrorReported':
      return routed(state, (s) => ({ ...s, messageIds: [...s.messageIds, event.data.messageId] }));
    case 'PrescriptionFillReported': {
      const fill = event.data.fillStatus;
      if (fill === 'transferred') return 'rx' in state ? { status: 'transferred', rx: state.rx } : state;
      return routed(state, (s) => ({
        ...s,
        status: fillStatusToState(fill, s.status),
        messageIds: [...s.messageIds, event.data.messageId],
      }));
    }
    case 'ChangeRequested':
      return routed(state, (s) => ({
        ...s,
        pendingChanges: [...s.pendingChanges, event.data.changeRequestId],
        messageIds: [...s.messageIds, event.data.messageId],
      }));
    case 'ChangeResponded':
      return routed(state, (s) => ({ ...s, pendingChanges: s.pendingChanges.filter((id) => id !== event.data.changeRequestId) }));
    case 'RenewalRequested':
      return routed(state, (s) => ({
        ...s,
        pendingRenewals: [...s.pendingRenewals, event.data.renewalRequestId],
        messageIds: event.data.requestedBy === 'pharmacy' ? [...s.messageIds, event.data.renewalRequestId] : s.messageIds,
      }));
    case 'RenewalResponded':
      return routed(state, (s) => ({
        ...s,
        pendingRenewals: s.pendingRenewals.filter((id) => id !== event.data.renewalRequestId),
        refillsAuthorized: s.refillsAuthorized + event.data.refillsAuthorized,
      }));
    case 'CancelRequested':
      return routed(state, (s) => ({ ...s, status: 'cancel-requested', cancelReason: event.data.reason }));
    case 'CancelResponded':
      return routed(state, (s) => ({
        ...s,
        status: event.data.decision === 'denied' ? 'transmitted' : s.status,
        cancelReason: event.data.decision === 'denied' ? null : s.cancelReason,
        messageIds: [...s.messageIds, event.data.messageId],
      }));
    case 'PrescriptionCancelled':
      return 'rx' in state ? { status: 'cancelled', rx: state.rx } : state;
    default: {
      const exhaustive: never = event;
      return assertNever(exhaustive, 'prescription event');
    }
  }
}

function routed(state: PrescriptionState, change: (s: RoutedState) => RoutedState): PrescriptionState {
  return 'pharmacy' in state ? change(state) : state;
}

function fillStatusToState(fill: Exclude<FillStatus, 'transferred'>, current: RoutedState['status']): RoutedState['status'] {
  switch (fill) {
    case 'dispensed':
    case 'partially-dispensed':
      return 'dispensed';
    case 'not-dispensed':
      return current === 'dispensed' ? 'dispensed' : 'not-dispensed';
    default:
      return assertNever(fill, 'fill status');
  }
}

export const prescriptionDecider: Decider<PrescriptionCommand, PrescriptionEvent, PrescriptionState> = {
  decide,
  evolve,
  initialState,
};
