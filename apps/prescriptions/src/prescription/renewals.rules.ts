import { assertNever, DomainError, type Command } from '@carebridge/shared-kernel';
import { addMonths, maxRefills, SCHEDULE_III_IV_REFILL_MONTHS } from './controlled-substance.rules';
import { InvalidTransitionError, PrescriptionNotFoundError, requirePrescriber, scriptOf, type PrescriptionState, type RoutedState } from './prescription-lifecycle.rules';
import type { PrescriptionDraftedData, PrescriptionEvent, RenewalRespondedData } from './prescription.events';

/** Renewals (NCPDP SCRIPT RxRenewalRequest / RxRenewalResponse): the patient or the pharmacy asks, the prescriber answers. */

export type RequestRenewal = Command<'RequestRenewal', { readonly renewalRequestId: string; readonly note: string | null }>;
export type RespondToRenewal = Command<
  'RespondToRenewal',
  | { readonly renewalRequestId: string; readonly decision: 'approved'; readonly refillsAuthorized: number }
  | { readonly renewalRequestId: string; readonly decision: 'approved-with-changes'; readonly replacementPrescriptionId: string }
  | { readonly renewalRequestId: string; readonly decision: 'denied'; readonly reason: string }
>;

// --- errors (stable codes; kind picks the HTTP status at the edge) ---
export class NotPatientError extends DomainError {
  readonly code = 'PRESCRIPTION.NOT_PATIENT';
  override readonly kind = 'forbidden';
}

/** 21 CFR 1306.12(a): a schedule II prescription cannot be refilled. */
export class RenewalNotPermittedError extends DomainError {
  readonly code = 'PRESCRIPTION.RENEWAL_NOT_PERMITTED';
}

export class RenewalNotFoundError extends DomainError {
  readonly code = 'PRESCRIPTION.RENEWAL_NOT_FOUND';
  override readonly kind = 'not-found';
}

/** 21 CFR 1306.22(a): schedule III-IV, at most five refills in all. */
export class RefillsExceedScheduleLimitError extends DomainError {
  readonly code = 'PRESCRIPTION.REFILLS_EXCEED_SCHEDULE_LIMIT';
}

/** 21 CFR 1306.22(a): schedule III-IV, no refill more than six months after the date of issue. */
export class RefillWindowClosedError extends DomainError {
  readonly code = 'PRESCRIPTION.REFILL_WINDOW_CLOSED';
}

/** A denied renewal or change request says why. */
export class DenialReasonRequiredError extends DomainError {
  readonly code = 'PRESCRIPTION.DENIAL_REASON_REQUIRED';
}

/**
 * Approved with changes: the replacement must be a draft of the same prescriber for the same
 * patient that names this prescription in renewalOf. Checked by the adapter, which reads both streams.
 */
export class ReplacementInvalidError extends DomainError {
  readonly code = 'PRESCRIPTION.REPLACEMENT_INVALID';
}

// --- deciding ---
export function requestRenewal(command: RequestRenewal, state: PrescriptionState): PrescriptionEvent[] {
  if (state.status === 'none') throw new PrescriptionNotFoundError();
  if (state.status !== 'transmitted' && state.status !== 'dispensed') throw new InvalidTransitionError(command.type, state.status);
  const { actor } = command.metadata;
  if (actor.role !== 'patient' || actor.patientId !== state.rx.patientId) {
    throw new NotPatientError('Only the patient may request a renewal of their prescription');
  }
  if (state.pendingRenewals.includes(command.data.renewalRequestId)) return [];
  requireRenewable(state.rx);
  return [
    {
      type: 'RenewalRequested',
      data: {
        prescriptionId: state.rx.prescriptionId,
        renewalRequestId: command.data.renewalRequestId,
        requestedBy: 'patient',
        note: command.data.note,
      },
    },
  ];
}

export function respondToRenewal(command: RespondToRenewal, state: PrescriptionState): PrescriptionEvent[] {
  if (state.status === 'none') throw new PrescriptionNotFoundError();
  requirePrescriber(state.rx, command.metadata.actor);
  if (state.status !== 'transmitted' && state.status !== 'dispensed' && state.status !== 'not-dispensed') {
    throw new InvalidTransitionError(command.type, state.status);
  }
  const data = command.data;
  if (!state.pendingRenewals.includes(data.renewalRequestId)) {
    throw new RenewalNotFoundError('No pending renewal request with this id');
  }
  const base = { prescriptionId: state.rx.prescriptionId, renewalRequestId: data.renewalRequestId, pharmacyNcpdpId: state.pharmacy.ncpdpId, ...scriptOf(state) };
  const responded = (response: Omit<RenewalRespondedData, keyof typeof base>): PrescriptionEvent[] => [
    { type: 'RenewalResponded', data: { ...base, ...response } },
  ];
  switch (data.decision) {
    case 'approved':
      requireRefillsAllowed(state, data.refillsAuthorized, command.metadata.now);
      return responded({ decision: 'approved', refillsAuthorized: data.refillsAuthorized, replacementPrescriptionId: null, reason: null });
    case 'approved-with-changes':
      return responded({ decision: 'approved-with-changes', refillsAuthorized: 0, replacementPrescriptionId: data.replacementPrescriptionId, reason: null });
    case 'denied':
      if (!data.reason.trim()) throw new DenialReasonRequiredError('A denied renewal needs a reason');
      return responded({ decision: 'denied', refillsAuthorized: 0, replacementPrescriptionId: null, reason: data.reason });
    default:
      return assertNever(data, 'renewal decision');
  }
}

export function requireRenewable(rx: PrescriptionDraftedData): void {
  if (rx.medication.deaSchedule === 'II') {
    throw new RenewalNotPermittedError('Schedule II prescriptions cannot be refilled; a new prescription is needed (21 CFR 1306.12(a))');
  }
}

/** Refills a renewal may add: one or more, within the schedule's total and, for III-IV, its six months. */
function requireRefillsAllowed(state: RoutedState, refills: number, now: Date): void {
  const limit = maxRefills(state.rx.medication.deaSchedule);
  const alreadyAuthorized = state.rx.refills + state.refillsAuthorized;
  if (!Number.isInteger(refills) || refills < 1 || (limit !== null && alreadyAuthorized + refills > limit)) {
    throw new RefillsExceedScheduleLimitError(
      limit === null
        ? 'refillsAuthorized must be 1 or more'
        : `At most ${limit} refills in total for schedule ${state.rx.medication.deaSchedule}; ${alreadyAuthorized} already authorized (21 CFR 1306.22(a))`,
    );
  }
  if (limit !== null && now.getTime() > addMonths(new Date(state.issuedAt), SCHEDULE_III_IV_REFILL_MONTHS).getTime()) {
    throw new RefillWindowClosedError(
      'Schedule III-IV prescriptions cannot be refilled more than six months after issue; a new prescription is needed (21 CFR 1306.22(a))',
    );
  }
}
