import { DomainError, type Command } from '@carebridge/shared-kernel';
import { clinicalFindings, INTERACTION_TABLE_VERSION, type ActiveMedication, type RecordedAllergy } from './clinical-checks.rules';
import { CONTROLLED_SUBSTANCE_TABLE_VERSION, isLowerSchedule, tableScheduleFor } from './controlled-substance-table.rules';
import { isValidDeaNumber, maxRefills } from './controlled-substance.rules';
import {
  InvalidTransitionError,
  NotPrescriberError,
  PrescriptionNotFoundError,
  requirePrescriber,
  type PrescriptionState,
} from './prescription-lifecycle.rules';
import type { PrescriptionDraftedData, PrescriptionEvent } from './prescription.events';

/** The prescription until it is signed: drafted, completed or corrected, checked. */

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

// --- errors (stable codes; kind picks the HTTP status at the edge) ---
export class PrescriptionExistsError extends DomainError {
  readonly code = 'PRESCRIPTION.ALREADY_EXISTS';
  override readonly kind = 'conflict';
}

/** A draft from a visit keeps the state the patient checked in from. */
export class PatientLocationFromVisitError extends DomainError {
  readonly code = 'PRESCRIPTION.PATIENT_LOCATION_FROM_VISIT';
}

/** A schedule lower than the controlled-substance table's needs the prescriber's recorded reason. */
export class ScheduleBelowTableError extends DomainError {
  readonly code = 'PRESCRIPTION.SCHEDULE_BELOW_TABLE';
}

/** A NewRx missing required elements: one entry per field, so the API answers 422 naming each. */
export class IncompleteNewRxError extends DomainError {
  readonly code = 'PRESCRIPTION.INCOMPLETE_NEWRX';
  constructor(readonly fields: readonly { field: string; message: string }[]) {
    super(`NewRx is missing required elements: ${fields.map((f) => `${f.field} (${f.message})`).join('; ')}`, { fields });
  }
}

// --- deciding ---
export function draftPrescription(command: DraftPrescription, state: PrescriptionState): PrescriptionEvent[] {
  if (state.status !== 'none') throw new PrescriptionExistsError('This prescription already exists');
  const { actor } = command.metadata;
  // A visit's prescription intent (issue 5: "drafted from a visit's prescription intent") is
  // drafted by the system for the prescriber named in it, and may lack NewRx elements the
  // visit does not know (NPI, strength, dose form): the prescriber completes it (ReviseDraft)
  // and the NewRx rule runs again before the checks.
  const fromVisitIntent = actor.role === 'system' && command.data.visitId !== null && command.data.renewalOf === null;
  if (!fromVisitIntent && (actor.role !== 'provider' || actor.id !== command.data.prescriber.providerId)) {
    throw new NotPrescriberError('Only the prescriber may draft their prescription');
  }
  const { deaScheduleLoweredReason, ...content } = command.data;
  const rx = applyControlledSubstanceTable(content, deaScheduleLoweredReason ?? null);
  if (!fromVisitIntent) validateNewRx(rx);
  return [{ type: 'PrescriptionDrafted', data: { ...rx, origin: fromVisitIntent ? 'visit-intent' : 'prescriber' } }];
}

export function reviseDraft(command: ReviseDraft, state: PrescriptionState): PrescriptionEvent[] {
  const draft = prescribersDraft(command, state);
  const { deaScheduleLoweredReason, ...content } = command.data;
  // Where the patient is: kept when the revision does not say; a draft from a visit keeps the
  // state the patient checked in from (the DEA registration is checked against it).
  const recordedState = draft.encounter.patientLocationState;
  const givenState = content.encounter.patientLocationState;
  if (draft.visitId !== null && recordedState !== undefined && givenState !== undefined && givenState !== recordedState) {
    throw new PatientLocationFromVisitError(
      `The patient was in ${recordedState} during the visit this draft comes from; it cannot say ${givenState}`,
    );
  }
  const encounter = givenState === undefined && recordedState !== undefined ? { ...content.encounter, patientLocationState: recordedState } : content.encounter;
  const rx = applyControlledSubstanceTable(
    {
      ...content,
      encounter,
      prescriptionId: draft.prescriptionId,
      patientId: draft.patientId,
      visitId: draft.visitId,
      ...(draft.origin !== undefined && { origin: draft.origin }),
      renewalOf: draft.renewalOf,
      prescriber: { providerId: draft.prescriber.providerId, npi: command.data.prescriber.npi, deaNumber: command.data.prescriber.deaNumber },
    },
    deaScheduleLoweredReason ?? null,
  );
  validateNewRx(rx);
  // Earlier check findings were about the old content: the revised draft is checked again.
  return [{ type: 'PrescriptionDraftRevised', data: rx }];
}

export function checkPrescription(command: CheckPrescription, state: PrescriptionState): PrescriptionEvent[] {
  const draft = prescribersDraft(command, state);
  // A draft from a visit's intent may still be incomplete: 422 naming each missing element.
  validateNewRx(draft);
  return [
    {
      type: 'PrescriptionChecked',
      data: {
        prescriptionId: draft.prescriptionId,
        findings: clinicalFindings(
          draft.medication,
          command.data.allergies,
          command.data.activeMedications.filter((m) => m.prescriptionId !== draft.prescriptionId),
        ),
        interactionTableVersion: INTERACTION_TABLE_VERSION,
      },
    },
  ];
}

/** The draft a revision or a check works on: drafted or checked, and the actor is its prescriber. */
function prescribersDraft(command: ReviseDraft | CheckPrescription, state: PrescriptionState): PrescriptionDraftedData {
  if (state.status === 'none') throw new PrescriptionNotFoundError();
  if (state.status !== 'drafted' && state.status !== 'checked') throw new InvalidTransitionError(command.type, state.status);
  requirePrescriber(state.rx, command.metadata.actor);
  return state.rx;
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
    throw new ScheduleBelowTableError(
      `${entry.name} is schedule ${entry.schedule} in the controlled-substance table (${entry.source}); record a reason to prescribe it as ${given === null ? 'not controlled' : `schedule ${given}`}`,
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
