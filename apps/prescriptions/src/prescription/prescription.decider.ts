import { assertNever, DomainError, type Command, type Decider, type DomainErrorKind } from '@carebridge/shared-kernel';
import { clinicalFindings, INTERACTION_TABLE_VERSION, type ActiveMedication, type RecordedAllergy } from './clinical-checks.rules';
import { CONTROLLED_SUBSTANCE_TABLE_VERSION, isLowerSchedule, tableScheduleFor } from './controlled-substance-table.rules';
import { addMonths, isValidDeaNumber, maxRefills, SCHEDULE_III_IV_REFILL_MONTHS, telemedicinePolicy } from './controlled-substance.rules';
import { epcsReadiness, type EpcsCredential } from './epcs-signing.rules';
import { signedNewRxContent } from './record-signature.rules';
import type {
  ChangeRequestType,
  ClinicalFinding,
  FillStatus,
  PrescriptionDraftedData,
  PrescriptionEvent,
  RecordSignature,
} from './prescription.events';

// ---------------------------------------------------------------------------------------------
// Commands: time, ids and actor come in the metadata.

/** Why the prescriber records a schedule lower than the controlled-substance table's (null: not lowered). */
interface ScheduleReason {
  readonly deaScheduleLoweredReason?: string | null;
}
export type DraftPrescription = Command<'DraftPrescription', Omit<PrescriptionDraftedData, 'controlledSubstanceTable'> & ScheduleReason>;
/**
 * The prescriber completes or corrects a draft (e.g. one drafted from a visit's prescription
 * intent, which lacks NPI, strength and dose form). Who, for whom and from where do not change.
 */
export type ReviseDraft = Command<
  'ReviseDraft',
  Omit<PrescriptionDraftedData, 'prescriptionId' | 'patientId' | 'visitId' | 'renewalOf' | 'prescriber' | 'controlledSubstanceTable'> &
    ScheduleReason & {
      readonly prescriber: { readonly npi: string; readonly deaNumber: string | null };
    }
>;
export type CheckPrescription = Command<
  'CheckPrescription',
  { readonly allergies: readonly RecordedAllergy[]; readonly activeMedications: readonly ActiveMedication[] }
>;
export type SignPrescription = Command<
  'SignPrescription',
  {
    readonly overrides: readonly { readonly findingId: string; readonly reason: string }[];
    /** Set by the adapter after it verified the prescriber's one-time code (RFC 6238). */
    readonly secondFactor: { readonly method: 'totp'; readonly verifiedAt: string; readonly enrolledAt: string } | null;
    readonly pharmacy: { readonly pharmacyId: string; readonly ncpdpId: string; readonly acceptsEPrescribing: boolean };
    /** The prescriber's credential (prescriber-credential stream), read by the adapter; null when none is recorded. */
    readonly epcsCredential: EpcsCredential | null;
    /**
     * The application's signature, made by the adapter over `signedContent`; the decider checks
     * that it is exactly the content being signed now (signedNewRxContent), so a draft revised
     * between the adapter's read and the append cannot carry a signature of other content.
     */
    readonly recordSignature: { readonly signedContent: string; readonly signature: RecordSignature };
  }
>;
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
export type RequestRenewal = Command<'RequestRenewal', { readonly renewalRequestId: string; readonly note: string | null }>;
export type RespondToRenewal = Command<
  'RespondToRenewal',
  | { readonly renewalRequestId: string; readonly decision: 'approved'; readonly refillsAuthorized: number }
  | { readonly renewalRequestId: string; readonly decision: 'approved-with-changes'; readonly replacementPrescriptionId: string }
  | { readonly renewalRequestId: string; readonly decision: 'denied'; readonly reason: string }
>;
export type RespondToChangeRequest = Command<
  'RespondToChangeRequest',
  { readonly changeRequestId: string; readonly decision: 'approved' | 'denied'; readonly reason: string | null }
>;
export type CancelPrescription = Command<'CancelPrescription', { readonly reason: string }>;

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

// ---------------------------------------------------------------------------------------------
// State: a union on status (FHIR MedicationRequest.status in the read view).

interface Routed {
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
}

export type PrescriptionState =
  | { readonly status: 'none' }
  | { readonly status: 'drafted'; readonly rx: PrescriptionDraftedData }
  | { readonly status: 'checked'; readonly rx: PrescriptionDraftedData; readonly findings: readonly ClinicalFinding[] }
  | { readonly status: 'signed'; readonly rx: PrescriptionDraftedData }
  | ({ readonly status: 'transmitted' | 'cancel-requested' | 'dispensed' | 'not-dispensed' } & Routed)
  | { readonly status: 'transferred'; readonly rx: PrescriptionDraftedData }
  | { readonly status: 'cancelled'; readonly rx: PrescriptionDraftedData };

export type PrescriptionStatus = PrescriptionState['status'];

// ---------------------------------------------------------------------------------------------
// Errors with stable codes.

export class PrescriptionError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    override readonly kind: DomainErrorKind,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

const notFound = () => new PrescriptionError('PRESCRIPTION.NOT_FOUND', 'No such prescription', 'not-found');
const outOfOrder = (command: string, status: PrescriptionStatus) =>
  new PrescriptionError('PRESCRIPTION.INVALID_TRANSITION', `${command} is not possible when the prescription is ${status}`, 'conflict', {
    command,
    status,
  });

/** A NewRx missing required elements: one entry per field, so the API answers 422 naming each. */
export class IncompleteNewRxError extends DomainError {
  readonly code = 'PRESCRIPTION.INCOMPLETE_NEWRX';
  override readonly kind = 'rule' as const;
  constructor(readonly fields: readonly { field: string; message: string }[]) {
    super(`NewRx is missing required elements: ${fields.map((f) => `${f.field} (${f.message})`).join('; ')}`, { fields });
  }
}

// ---------------------------------------------------------------------------------------------

export const initialState = (): PrescriptionState => ({ status: 'none' });

export function decide(command: PrescriptionCommand, state: PrescriptionState): PrescriptionEvent[] {
  const { metadata } = command;
  switch (command.type) {
    case 'DraftPrescription': {
      if (state.status !== 'none') {
        throw new PrescriptionError('PRESCRIPTION.ALREADY_EXISTS', 'This prescription already exists', 'conflict');
      }
      // A visit's prescription intent (issue 5: "drafted from a visit's prescription intent") is
      // drafted by the system for the prescriber named in it, and may lack NewRx elements the
      // visit does not know (NPI, strength, dose form): the prescriber completes it (ReviseDraft)
      // and the NewRx rule runs again before the checks.
      const fromVisitIntent = metadata.actor.role === 'system' && command.data.visitId !== null && command.data.renewalOf === null;
      if (!fromVisitIntent && (metadata.actor.role !== 'provider' || metadata.actor.id !== command.data.prescriber.providerId)) {
        throw new PrescriptionError('PRESCRIPTION.NOT_PRESCRIBER', 'Only the prescriber may draft their prescription', 'forbidden');
      }
      const { deaScheduleLoweredReason, ...content } = command.data;
      const rx = applyControlledSubstanceTable(content, deaScheduleLoweredReason ?? null);
      if (!fromVisitIntent) validateNewRx(rx);
      return [{ type: 'PrescriptionDrafted', data: rx }];
    }

    case 'ReviseDraft': {
      if (state.status === 'none') throw notFound();
      if (state.status !== 'drafted' && state.status !== 'checked') throw outOfOrder(command.type, state.status);
      requirePrescriber(state.rx, metadata.actor);
      const { deaScheduleLoweredReason, ...content } = command.data;
      // Where the patient is: kept when the revision does not say; a draft from a visit keeps the
      // state the patient checked in from (the DEA registration is checked against it).
      const recordedState = state.rx.encounter.patientLocationState;
      const givenState = content.encounter.patientLocationState;
      if (state.rx.visitId !== null && recordedState !== undefined && givenState !== undefined && givenState !== recordedState) {
        throw new PrescriptionError(
          'PRESCRIPTION.PATIENT_LOCATION_FROM_VISIT',
          `The patient was in ${recordedState} during the visit this draft comes from; it cannot say ${givenState}`,
          'rule',
        );
      }
      const encounter = givenState === undefined && recordedState !== undefined ? { ...content.encounter, patientLocationState: recordedState } : content.encounter;
      const rx = applyControlledSubstanceTable(
        {
          ...content,
          encounter,
          prescriptionId: state.rx.prescriptionId,
        patientId: state.rx.patientId,
        visitId: state.rx.visitId,
          renewalOf: state.rx.renewalOf,
          prescriber: { providerId: state.rx.prescriber.providerId, npi: command.data.prescriber.npi, deaNumber: command.data.prescriber.deaNumber },
        },
        deaScheduleLoweredReason ?? null,
      );
      validateNewRx(rx);
      // Earlier check findings were about the old content: the revised draft is checked again.
      return [{ type: 'PrescriptionDraftRevised', data: rx }];
    }

    case 'CheckPrescription': {
      if (state.status === 'none') throw notFound();
      if (state.status !== 'drafted' && state.status !== 'checked') throw outOfOrder(command.type, state.status);
      requirePrescriber(state.rx, metadata.actor);
      // A draft from a visit's intent may still be incomplete: 422 naming each missing element.
      validateNewRx(state.rx);
      return [
        {
          type: 'PrescriptionChecked',
          data: {
            prescriptionId: state.rx.prescriptionId,
            findings: clinicalFindings(
              state.rx.medication,
              command.data.allergies,
              command.data.activeMedications.filter((m) => m.prescriptionId !== state.rx.prescriptionId),
            ),
            interactionTableVersion: INTERACTION_TABLE_VERSION,
          },
        },
      ];
    }

    case 'SignPrescription': {
      if (state.status === 'none') throw notFound();
      if (state.status === 'drafted') {
        throw new PrescriptionError('PRESCRIPTION.NOT_CHECKED', 'Run the checks before signing', 'conflict');
      }
      if (state.status !== 'checked') throw outOfOrder(command.type, state.status);
      const { rx, findings } = state;
      requirePrescriber(rx, metadata.actor);

      const hardStops = findings.filter((f) => f.severity === 'hard-stop');
      if (hardStops.length > 0) {
        throw new PrescriptionError('PRESCRIPTION.HARD_STOP', `Cannot sign: ${hardStops.map((f) => f.detail).join('; ')}`, 'rule', {
          findings: hardStops.map((f) => f.findingId),
        });
      }
      const reasons = new Map(command.data.overrides.map((o) => [o.findingId, o.reason.trim()]));
      const unexplained = findings.filter((f) => !reasons.get(f.findingId));
      if (unexplained.length > 0) {
        throw new PrescriptionError(
          'PRESCRIPTION.OVERRIDE_REASON_REQUIRED',
          `Each finding needs an override reason: ${unexplained.map((f) => f.findingId).join(', ')}`,
          'rule',
          { findings: unexplained.map((f) => f.findingId) },
        );
      }

      let controlledSubstance = null;
      const schedule = rx.medication.deaSchedule;
      if (schedule !== null) {
        // 21 CFR 1311.105, 1311.125: a proofed identity, a two-person access grant and a DEA
        // registration valid today for this schedule; the code names the first thing missing.
        const epcs = epcsReadiness(command.data.epcsCredential, schedule, rx.prescriber.deaNumber, rx.encounter, metadata.now);
        if (!epcs.ready) {
          const [first] = epcs.gaps;
          throw new PrescriptionError(first!.code, `Cannot sign a schedule ${schedule} prescription: ${epcs.gaps.map((g) => g.message).join('; ')}`, 'forbidden', {
            missing: epcs.gaps.map((g) => g.code),
          });
        }
        // 21 CFR 1311.140(a)(5): two-factor authentication when signing a controlled prescription.
        if (command.data.secondFactor === null) {
          throw new PrescriptionError(
            'PRESCRIPTION.SECOND_FACTOR_REQUIRED',
            'A controlled-substance prescription needs the prescriber\u2019s one-time code to be signed',
            'forbidden',
          );
        }
        // The access grant covers the authenticator enrolled when it was approved: a device
        // enrolled later (possible with the first factor alone) needs a new two-person grant.
        if (command.data.secondFactor.enrolledAt > epcs.authorisation.accessGrantedAt) {
          throw new PrescriptionError(
            'PRESCRIPTION.EPCS_TOKEN_ENROLLED_AFTER_GRANT',
            'The one-time-code device was enrolled after EPCS access was granted; two people must approve access again (21 CFR 1311.125)',
            'forbidden',
          );
        }
        const policy = telemedicinePolicy(schedule, rx.encounter, rx.daysSupply, metadata.now);
        if (!policy.allowed) {
          throw new PrescriptionError('PRESCRIPTION.TELEMEDICINE_POLICY', policy.reason, 'rule', { ruleSetId: policy.ruleSetId });
        }
        controlledSubstance = {
          deaSchedule: schedule,
          deaNumber: rx.prescriber.deaNumber!,
          secondFactor: command.data.secondFactor,
          telemedicinePolicy: { ruleSetId: policy.ruleSetId, ruleId: policy.ruleId },
          epcs: epcs.authorisation,
        };
      }
      if (!command.data.pharmacy.acceptsEPrescribing) {
        throw new PrescriptionError('PRESCRIPTION.PHARMACY_NOT_E_PRESCRIBING', 'The chosen pharmacy does not accept e-prescriptions', 'rule');
      }
      const at = metadata.now.toISOString();
      if (command.data.recordSignature.signedContent !== signedNewRxContent(rx, at, metadata.actor.id)) {
        throw new PrescriptionError(
          'PRESCRIPTION.SIGNED_CONTENT_CHANGED',
          'The prescription changed while it was being signed; sign again',
          'conflict',
        );
      }
      return [
        {
          type: 'PrescriptionSigned',
          data: {
            prescriptionId: rx.prescriptionId,
            signedBy: metadata.actor.id,
            signedAt: at,
            overrides: findings.map((f) => ({ findingId: f.findingId, reason: reasons.get(f.findingId)! })),
            controlledSubstance,
            recordSignature: command.data.recordSignature.signature,
          },
        },
        {
          type: 'PrescriptionTransmitted',
          data: {
            prescriptionId: rx.prescriptionId,
            pharmacyId: command.data.pharmacy.pharmacyId,
            pharmacyNcpdpId: command.data.pharmacy.ncpdpId,
            transmittedAt: at,
            newRx: rx,
          },
        },
      ];
    }

    case 'RecordPharmacyMessage':
      return decidePharmacyMessage(command, state);

    case 'RequestRenewal': {
      if (state.status === 'none') throw notFound();
      if (state.status !== 'transmitted' && state.status !== 'dispensed') throw outOfOrder(command.type, state.status);
      if (metadata.actor.role !== 'patient' || metadata.actor.id !== state.rx.patientId) {
        throw new PrescriptionError('PRESCRIPTION.NOT_PATIENT', 'Only the patient may request a renewal of their prescription', 'forbidden');
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

    case 'RespondToRenewal': {
      if (state.status === 'none') throw notFound();
      requirePrescriber(state.rx, metadata.actor);
      if (state.status !== 'transmitted' && state.status !== 'dispensed' && state.status !== 'not-dispensed') {
        throw outOfOrder(command.type, state.status);
      }
      const data = command.data;
      if (!state.pendingRenewals.includes(data.renewalRequestId)) {
        throw new PrescriptionError('PRESCRIPTION.RENEWAL_NOT_FOUND', 'No pending renewal request with this id', 'not-found');
      }
      const base = { prescriptionId: state.rx.prescriptionId, renewalRequestId: data.renewalRequestId, pharmacyNcpdpId: state.pharmacy.ncpdpId };
      switch (data.decision) {
        case 'approved': {
          const limit = maxRefills(state.rx.medication.deaSchedule);
          const alreadyAuthorized = state.rx.refills + state.refillsAuthorized;
          if (!Number.isInteger(data.refillsAuthorized) || data.refillsAuthorized < 1 || (limit !== null && alreadyAuthorized + data.refillsAuthorized > limit)) {
            throw new PrescriptionError(
              'PRESCRIPTION.REFILLS_EXCEED_SCHEDULE_LIMIT',
              limit === null
                ? 'refillsAuthorized must be 1 or more'
                : `At most ${limit} refills in total for schedule ${state.rx.medication.deaSchedule}; ${alreadyAuthorized} already authorized (21 CFR 1306.22(a))`,
              'rule',
            );
          }
          if (limit !== null && metadata.now.getTime() > addMonths(new Date(state.issuedAt), SCHEDULE_III_IV_REFILL_MONTHS).getTime()) {
            throw new PrescriptionError(
              'PRESCRIPTION.REFILL_WINDOW_CLOSED',
              'Schedule III-IV prescriptions cannot be refilled more than six months after issue; a new prescription is needed (21 CFR 1306.22(a))',
              'rule',
            );
          }
          return [{ type: 'RenewalResponded', data: { ...base, decision: 'approved', refillsAuthorized: data.refillsAuthorized, replacementPrescriptionId: null, reason: null } }];
        }
        case 'approved-with-changes':
          return [
            {
              type: 'RenewalResponded',
              data: { ...base, decision: 'approved-with-changes', refillsAuthorized: 0, replacementPrescriptionId: data.replacementPrescriptionId, reason: null },
            },
          ];
        case 'denied':
          if (!data.reason.trim()) {
            throw new PrescriptionError('PRESCRIPTION.DENIAL_REASON_REQUIRED', 'A denied renewal needs a reason', 'rule');
          }
          return [{ type: 'RenewalResponded', data: { ...base, decision: 'denied', refillsAuthorized: 0, replacementPrescriptionId: null, reason: data.reason } }];
        default:
          return assertNever(data, 'renewal decision');
      }
    }

    case 'RespondToChangeRequest': {
      if (state.status === 'none') throw notFound();
      requirePrescriber(state.rx, metadata.actor);
      if (state.status !== 'transmitted') throw outOfOrder(command.type, state.status);
      if (!state.pendingChanges.includes(command.data.changeRequestId)) {
        throw new PrescriptionError('PRESCRIPTION.CHANGE_REQUEST_NOT_FOUND', 'No pending change request with this id', 'not-found');
      }
      if (command.data.decision === 'denied' && !command.data.reason?.trim()) {
        throw new PrescriptionError('PRESCRIPTION.DENIAL_REASON_REQUIRED', 'A denied change request needs a reason', 'rule');
      }
      return [
        {
          type: 'ChangeResponded',
          data: {
            prescriptionId: state.rx.prescriptionId,
            pharmacyNcpdpId: state.pharmacy.ncpdpId,
            changeRequestId: command.data.changeRequestId,
            decision: command.data.decision,
            reason: command.data.reason,
          },
        },
      ];
    }

    case 'CancelPrescription': {
      if (state.status === 'none') throw notFound();
      requirePrescriber(state.rx, metadata.actor);
      if (!command.data.reason.trim()) {
        throw new PrescriptionError('PRESCRIPTION.CANCEL_REASON_REQUIRED', 'A cancellation needs a reason', 'rule');
      }
      switch (state.status) {
        case 'drafted':
        case 'checked':
        case 'signed':
          return [{ type: 'PrescriptionCancelled', data: { prescriptionId: state.rx.prescriptionId, reason: command.data.reason, pharmacyConfirmed: false } }];
        case 'transmitted':
        case 'not-dispensed':
          // NCPDP SCRIPT CancelRx: the pharmacy answers with CancelRxResponse.
          return [
            { type: 'CancelRequested', data: { prescriptionId: state.rx.prescriptionId, pharmacyNcpdpId: state.pharmacy.ncpdpId, reason: command.data.reason } },
          ];
        case 'dispensed':
          throw new PrescriptionError('PRESCRIPTION.ALREADY_DISPENSED', 'A dispensed prescription cannot be cancelled', 'conflict');
        case 'cancel-requested':
        case 'cancelled':
          return [];
        case 'transferred':
          throw outOfOrder(command.type, state.status);
        default:
          return assertNever(state, 'prescription state');
      }
    }

    default:
      return assertNever(command, 'prescription command');
  }
}

function decidePharmacyMessage(command: RecordPharmacyMessage, state: PrescriptionState): PrescriptionEvent[] {
  if (state.status === 'none') throw notFound();
  if (state.status === 'drafted' || state.status === 'checked' || state.status === 'signed') {
    throw new PrescriptionError('PRESCRIPTION.NOT_TRANSMITTED', 'The prescription has not been sent to a pharmacy', 'conflict');
  }
  if (!('pharmacy' in state)) throw outOfOrder(command.type, state.status);
  const message = command.data;
  // A pharmacy may resend a message (HTTP retry, redelivery): recorded once.
  if (state.messageIds.includes(message.messageId)) return [];
  const prescriptionId = state.rx.prescriptionId;
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
            patientId: state.rx.patientId,
            rxnormCode: state.rx.medication.rxnormCode,
            daysSupply: state.rx.daysSupply,
            messageId: message.messageId,
            fillStatus: message.fillStatus,
            quantityDispensed: message.quantityDispensed,
            filledAt: command.metadata.now.toISOString(),
            reason: message.reason,
          },
        },
      ];
    case 'RxChangeRequest':
      if (state.status !== 'transmitted') throw outOfOrder('RxChangeRequest', state.status);
      return [
        {
          type: 'ChangeRequested',
          data: { prescriptionId, messageId: message.messageId, changeRequestId: message.messageId, changeType: message.changeType, detail: message.detail },
        },
      ];
    case 'CancelRxResponse': {
      if (state.status !== 'cancel-requested') throw outOfOrder('CancelRxResponse', state.status);
      const responded = {
        type: 'CancelResponded' as const,
        data: { prescriptionId, messageId: message.messageId, decision: message.approved ? ('approved' as const) : ('denied' as const), reason: message.reason },
      };
      if (!message.approved) return [responded];
      return [
        responded,
        { type: 'PrescriptionCancelled', data: { prescriptionId, reason: state.cancelReason ?? 'cancelled', pharmacyConfirmed: true } },
      ];
    }
    case 'RxRenewalRequest':
      if (state.status !== 'transmitted' && state.status !== 'dispensed') throw outOfOrder('RxRenewalRequest', state.status);
      requireRenewable(state.rx);
      return [
        { type: 'RenewalRequested', data: { prescriptionId, renewalRequestId: message.messageId, requestedBy: 'pharmacy', note: message.note } },
      ];
    default:
      return assertNever(message, 'pharmacy message');
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
    default:
      return assertNever(event, 'prescription event');
  }
}

type RoutedState = Extract<PrescriptionState, { pharmacy: unknown }>;

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

function requirePrescriber(rx: PrescriptionDraftedData, actor: { id: string; role: string }): void {
  if (actor.role !== 'provider' || actor.id !== rx.prescriber.providerId) {
    throw new PrescriptionError('PRESCRIPTION.NOT_PRESCRIBER', 'Only the prescriber of this prescription may do this', 'forbidden');
  }
}

function requireRenewable(rx: PrescriptionDraftedData): void {
  if (rx.medication.deaSchedule === 'II') {
    throw new PrescriptionError(
      'PRESCRIPTION.RENEWAL_NOT_PERMITTED',
      'Schedule II prescriptions cannot be refilled; a new prescription is needed (21 CFR 1306.12(a))',
      'rule',
    );
  }
}

/**
 * The controlled-substance table decides the schedule of a product it lists: a draft without a
 * schedule gets the table's (so a visit's intent for oxycodone is controlled at once); a lower
 * schedule than the table's needs the prescriber's recorded reason; a stricter one (state law)
 * is kept.
 */
function applyControlledSubstanceTable(rx: PrescriptionDraftedData, loweredReason: string | null): PrescriptionDraftedData {
  const { controlledSubstanceTable: _previous, ...content } = rx;
  const entry = tableScheduleFor(content.medication.rxnormCode, content.medication.ingredientRxcuis);
  if (!entry) return content;
  const reason = loweredReason?.trim() || null;
  const given = content.medication.deaSchedule;
  let schedule = given;
  if (given === null && reason === null) schedule = entry.schedule;
  else if (isLowerSchedule(given, entry.schedule) && reason === null) {
    throw new PrescriptionError(
      'PRESCRIPTION.SCHEDULE_BELOW_TABLE',
      `${entry.name} is schedule ${entry.schedule} in the controlled-substance table (${entry.source}); record a reason to prescribe it as ${given === null ? 'not controlled' : `schedule ${given}`}`,
      'rule',
      { tableSchedule: entry.schedule, matchedRxcui: entry.rxcui },
    );
  }
  const lowered = isLowerSchedule(schedule, entry.schedule);
  return {
    ...content,
    medication: { ...content.medication, deaSchedule: schedule },
    controlledSubstanceTable: { tableVersion: CONTROLLED_SUBSTANCE_TABLE_VERSION, matchedRxcui: entry.rxcui, tableSchedule: entry.schedule, loweredReason: lowered ? reason : null },
  };
}

/** Required NewRx elements (NCPDP SCRIPT MedicationPrescribed, Prescriber, Patient). */
function validateNewRx(rx: PrescriptionDraftedData): void {
  const missing: { field: string; message: string }[] = [];
  const need = (ok: boolean, field: string, message: string) => {
    if (!ok) missing.push({ field, message });
  };
  const m = rx.medication;
  need(!!rx.patientId, 'patientId', 'required');
  need(isValidNpi(rx.prescriber.npi), 'prescriber.npi', 'must be a 10-digit NPI with a valid check digit');
  need(!!m.rxnormCode, 'medication.rxnormCode', 'required');
  need(!!m.name.trim(), 'medication.name', 'required');
  need(!!m.strength.trim(), 'medication.strength', 'required');
  need(!!m.doseForm.trim(), 'medication.doseForm', 'required');
  need(m.ingredientRxcuis.length > 0, 'medication.ingredientRxcuis', 'at least one ingredient is required for the checks');
  need(!!rx.sig.trim(), 'sig', 'required');
  need(rx.quantity.value > 0, 'quantity.value', 'must be greater than 0');
  need(!!rx.quantity.unit.trim(), 'quantity.unit', 'required');
  need(Number.isInteger(rx.daysSupply) && rx.daysSupply > 0, 'daysSupply', 'must be a positive whole number');
  need(Number.isInteger(rx.refills) && rx.refills >= 0, 'refills', 'must be a whole number, 0 or more');
  if (m.deaSchedule !== null) {
    // 21 CFR 1306.05(a): a controlled-substance prescription bears the practitioner's DEA number.
    need(rx.prescriber.deaNumber !== null && rx.prescriber.deaNumber !== '', 'prescriber.deaNumber', `required for a schedule ${m.deaSchedule} medication`);
    if (rx.prescriber.deaNumber) {
      need(isValidDeaNumber(rx.prescriber.deaNumber), 'prescriber.deaNumber', 'is not a valid DEA registration number');
    }
    const limit = maxRefills(m.deaSchedule);
    if (limit !== null) need(rx.refills <= limit, 'refills', `at most ${limit} for schedule ${m.deaSchedule} (21 CFR 1306.12, 1306.22)`);
  }
  if (missing.length > 0) throw new IncompleteNewRxError(missing);
}

/** NPI check digit: Luhn over the 9 digits prefixed by 80840 (CMS, NPI check digit standard). */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi.slice(0, 9)}`.split('').map(Number);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits[digits.length - 1 - i]!;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(npi[9]);
}

export const prescriptionDecider: Decider<PrescriptionCommand, PrescriptionEvent, PrescriptionState> = {
  decide,
  evolve,
  initialState,
};
