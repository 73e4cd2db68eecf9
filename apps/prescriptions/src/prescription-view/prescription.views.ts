import { evolve, initialState, type PrescriptionState } from '../prescription/prescription.decider';
import type { PrescriptionDraftedData, PrescriptionEvent } from '../prescription/prescription.events';

/** What readers see of a prescription: the decider's state plus the history a reader asks about. */
export interface PrescriptionView {
  readonly prescriptionId: string;
  readonly status: PrescriptionState['status'];
  readonly rx: PrescriptionDraftedData;
  readonly findings: readonly { findingId: string; kind: string; severity: string; detail: string; source: string }[];
  readonly signedAt: string | null;
  readonly overrides: readonly { findingId: string; reason: string }[];
  readonly pharmacy: { readonly pharmacyId: string; readonly ncpdpId: string } | null;
  readonly fills: readonly { fillStatus: string; quantityDispensed: number | null; filledAt: string }[];
  readonly renewals: readonly { renewalRequestId: string; requestedBy: string; decision: string | null; reason: string | null; refillsAuthorized: number }[];
  readonly changeRequests: readonly { changeRequestId: string; changeType: string; decision: string | null }[];
  readonly cancel: { readonly reason: string; readonly decision: string | null } | null;
  readonly state: PrescriptionState;
}

export function applyToView(view: PrescriptionView | null, event: PrescriptionEvent, at: string): PrescriptionView | null {
  const state = evolve(view?.state ?? initialState(), event);
  if (event.type === 'PrescriptionDrafted') {
    return {
      prescriptionId: event.data.prescriptionId,
      status: state.status,
      rx: event.data,
      findings: [],
      signedAt: null,
      overrides: [],
      pharmacy: null,
      fills: [],
      renewals: [],
      changeRequests: [],
      cancel: null,
      state,
    };
  }
  if (view === null) return null;
  const next = { ...view, state, status: state.status };
  switch (event.type) {
    case 'PrescriptionDraftRevised':
      return { ...next, rx: event.data, findings: [] };
    case 'PrescriptionChecked':
      return { ...next, findings: event.data.findings };
    case 'PrescriptionSigned':
      return { ...next, signedAt: event.data.signedAt, overrides: event.data.overrides };
    case 'PrescriptionTransmitted':
      return { ...next, pharmacy: { pharmacyId: event.data.pharmacyId, ncpdpId: event.data.pharmacyNcpdpId } };
    case 'PrescriptionFillReported':
      return { ...next, fills: [...view.fills, { fillStatus: event.data.fillStatus, quantityDispensed: event.data.quantityDispensed, filledAt: at }] };
    case 'RenewalRequested':
      return {
        ...next,
        renewals: [...view.renewals, { renewalRequestId: event.data.renewalRequestId, requestedBy: event.data.requestedBy, decision: null, reason: null, refillsAuthorized: 0 }],
      };
    case 'RenewalResponded':
      return {
        ...next,
        renewals: view.renewals.map((r) =>
          r.renewalRequestId === event.data.renewalRequestId
            ? { ...r, decision: event.data.decision, reason: event.data.reason, refillsAuthorized: event.data.refillsAuthorized }
            : r,
        ),
      };
    case 'ChangeRequested':
      return { ...next, changeRequests: [...view.changeRequests, { changeRequestId: event.data.changeRequestId, changeType: event.data.changeType, decision: null }] };
    case 'ChangeResponded':
      return {
        ...next,
        changeRequests: view.changeRequests.map((c) => (c.changeRequestId === event.data.changeRequestId ? { ...c, decision: event.data.decision } : c)),
      };
    case 'CancelRequested':
      return { ...next, cancel: { reason: event.data.reason, decision: null } };
    case 'CancelResponded':
      return { ...next, cancel: { reason: view.cancel?.reason ?? '', decision: event.data.decision } };
    case 'PrescriptionCancelled':
      return { ...next, cancel: { reason: event.data.reason, decision: view.cancel?.decision ?? null } };
    case 'PharmacyAcknowledged':
    case 'PharmacyErrorReported':
      return next;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
