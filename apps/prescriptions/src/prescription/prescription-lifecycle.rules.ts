import { DomainError, type Actor } from '@carebridge/shared-kernel';
import type { ClinicalFinding, PrescriptionDraftedData, ScriptContext } from './prescription.events';

/**
 * The states of a `prescription-<id>` stream, a union on status (FHIR MedicationRequest.status in
 * the read view), and the guards every command of the stream shares. The decider (evolve) moves
 * between them; each use case's rules file decides one group of commands.
 */

/** A prescription the pharmacy has: what its messages and the prescriber's answers work on. */
export interface Routed {
  readonly rx: PrescriptionDraftedData;
  readonly pharmacy: { readonly pharmacyId: string; readonly ncpdpId: string };
  readonly pendingRenewals: readonly string[];
  readonly pendingChanges: readonly string[];
  readonly messageIds: readonly string[];
  /** The prescriber's reason while a CancelRx awaits the pharmacy's answer. */
  readonly cancelReason: string | null;
  /** Date of issue (signing and transmission), from which refill windows run. */
  readonly issuedAt: string;
  /** Refills added by approved renewals, on top of the prescription's own. */
  readonly refillsAuthorized: number;
  /** The SCRIPT version and parties of the NewRx, which the later pharmacy-bound messages repeat; null before SCRIPT XML. */
  readonly script: ScriptContext | null;
}

/** The SCRIPT context a pharmacy-bound event carries (Routing.script), when the transmission had one. */
export const scriptOf = (state: Routed): { readonly script?: ScriptContext } => (state.script === null ? {} : { script: state.script });

export type PrescriptionState =
  | { readonly status: 'none' }
  | { readonly status: 'drafted'; readonly rx: PrescriptionDraftedData }
  | { readonly status: 'checked'; readonly rx: PrescriptionDraftedData; readonly findings: readonly ClinicalFinding[] }
  | { readonly status: 'signed'; readonly rx: PrescriptionDraftedData }
  | ({ readonly status: 'transmitted' | 'cancel-requested' | 'dispensed' | 'not-dispensed' } & Routed)
  | { readonly status: 'transferred'; readonly rx: PrescriptionDraftedData }
  | { readonly status: 'cancelled'; readonly rx: PrescriptionDraftedData };

export type PrescriptionStatus = PrescriptionState['status'];

export type RoutedState = Extract<PrescriptionState, { pharmacy: unknown }>;

// --- errors every command may raise (stable codes; kind picks the HTTP status at the edge) ---
export class PrescriptionNotFoundError extends DomainError {
  readonly code = 'PRESCRIPTION.NOT_FOUND';
  override readonly kind = 'not-found';
  constructor() {
    super('No such prescription');
  }
}

/** The command exists, but not in this status (e.g. a renewal of a draft). */
export class InvalidTransitionError extends DomainError {
  readonly code = 'PRESCRIPTION.INVALID_TRANSITION';
  override readonly kind = 'conflict';
  constructor(command: string, status: PrescriptionStatus) {
    super(`${command} is not possible when the prescription is ${status}`, { command, status });
  }
}

export class NotPrescriberError extends DomainError {
  readonly code = 'PRESCRIPTION.NOT_PRESCRIBER';
  override readonly kind = 'forbidden';
}

export function requirePrescriber(rx: PrescriptionDraftedData, actor: Actor): void {
  if (actor.role !== 'provider' || actor.id !== rx.prescriber.providerId) {
    throw new NotPrescriberError('Only the prescriber of this prescription may do this');
  }
}
