import { PrescriptionIntended } from '@carebridge/contracts';
import { DeciderSpecification } from '@carebridge/event-store';
import type { DomainError } from '@carebridge/shared-kernel';
import { IncompleteNewRxError } from '../prescription/drafting.rules';
import { prescriptionDecider, type PrescriptionCommand, type ReviseDraft } from '../prescription/prescription.decider';
import type { PrescriptionDraftedData } from '../prescription/prescription.events';
import { amoxicillin, checked, ids, meta, NPI } from '../prescription/prescription.fixtures';
import { draftFromIntent, visitIntentCommandId } from './visits.consumer';

const visitId = '6f1c1f64-0d8b-4b7e-9a57-0a3b5f3c0010';
const intent: typeof PrescriptionIntended.Data = {
  intentId: ids.prescription,
  visitId,
  patientId: ids.patient,
  prescriberId: ids.prescriber,
  rxnormCode: '308191',
  medicationName: 'amoxicillin 500 MG Oral Capsule',
  quantity: { value: 30, unit: 'capsule' },
  daysSupply: 10,
  refills: 0,
  encounterModality: 'audio-only',
};
const spec = DeciderSpecification.for(prescriptionDecider);
const code = (expected: string) => (error: Error) => (error as DomainError).code === expected;
const system = meta('system', 'visits');
const fromIntent = (data: PrescriptionDraftedData = draftFromIntent(intent), m = system): PrescriptionCommand => ({ type: 'DraftPrescription', data, metadata: m });
const completion: ReviseDraft['data'] = {
  prescriber: { npi: NPI, deaNumber: null },
  medication: amoxicillin.medication,
  sig: amoxicillin.sig,
  quantity: amoxicillin.quantity,
  daysSupply: amoxicillin.daysSupply,
  refills: amoxicillin.refills,
  substitutionAllowed: true,
  noteToPharmacist: null,
  encounter: { modality: 'audio-only', priorInPersonEvaluation: false, indication: null },
};
const revise = (data = completion, m = meta()): PrescriptionCommand => ({ type: 'ReviseDraft', data, metadata: m });
const check = (m = meta()): PrescriptionCommand => ({ type: 'CheckPrescription', data: { allergies: [], activeMedications: [] }, metadata: m });

describe('draft from a visit prescription intent', () => {
  it('maps the intent onto the draft: ids, prescriber, medication, sig, amounts and encounter; the rest left for the prescriber', () => {
    expect(draftFromIntent(intent)).toEqual({
      prescriptionId: ids.prescription,
      patientId: ids.patient,
      visitId,
      prescriber: { providerId: ids.prescriber, npi: '', deaNumber: null },
      medication: { rxnormCode: '308191', name: 'amoxicillin 500 MG Oral Capsule', strength: '', doseForm: '', ingredientRxcuis: [], deaSchedule: null },
      sig: '',
      quantity: { value: 30, unit: 'capsule' },
      daysSupply: 10,
      refills: 0,
      substitutionAllowed: true,
      noteToPharmacist: null,
      encounter: { modality: 'audio-only', priorInPersonEvaluation: false, indication: null },
      renewalOf: null,
    });
  });

  it('reads an intent published before medicationName existed (empty, to be completed)', () => {
    const { medicationName: _name, ...older } = intent;
    expect(PrescriptionIntended.schema.parse(older)).toEqual(older);
    expect(draftFromIntent(older).medication.name).toBe('');
  });

  it('has a deterministic command id per intent', () => {
    expect(visitIntentCommandId(intent.intentId)).toBe(`visit-intent:${ids.prescription}`);
  });

  it('the system drafts the incomplete NewRx for the prescriber named in the intent', () => {
    spec.given([]).when(fromIntent()).then([{ type: 'PrescriptionDrafted', data: { ...draftFromIntent(intent), origin: 'visit-intent' } }]);
  });

  it('the system may not draft outside a visit intent (no visit, or a renewal replacement)', () => {
    spec.given([]).when(fromIntent({ ...amoxicillin, visitId: null })).thenThrows(code('PRESCRIPTION.NOT_PRESCRIBER'));
    spec.given([]).when(fromIntent({ ...draftFromIntent(intent), renewalOf: ids.activeRx })).thenThrows(code('PRESCRIPTION.NOT_PRESCRIBER'));
  });

  it('an incomplete draft cannot be checked: 422 naming each missing element', () => {
    spec
      .given([{ type: 'PrescriptionDrafted', data: draftFromIntent(intent) }])
      .when(check())
      .thenThrows(IncompleteNewRxError, (error) => {
        expect(error.fields.map((f) => f.field)).toEqual(['prescriber.npi', 'medication.strength', 'medication.doseForm', 'medication.ingredientRxcuis', 'sig']);
      });
  });

  it('the prescriber completes it; who, for whom and from which visit stay as drafted', () => {
    const revised: PrescriptionDraftedData = { ...amoxicillin, visitId, encounter: completion.encounter };
    spec
      .given([{ type: 'PrescriptionDrafted', data: draftFromIntent(intent) }])
      .when(revise())
      .then([{ type: 'PrescriptionDraftRevised', data: revised }]);
    const state = [{ type: 'PrescriptionDrafted', data: draftFromIntent(intent) } as const, { type: 'PrescriptionDraftRevised', data: revised } as const].reduce(
      prescriptionDecider.evolve,
      prescriptionDecider.initialState(),
    );
    expect(state).toEqual({ status: 'drafted', rx: revised });
  });

  it('a revision keeps where the patient was during the visit, and may not name another state', () => {
    const fromVisit = draftFromIntent({ ...intent, patientLocationState: 'IL' });
    const drafted = [{ type: 'PrescriptionDrafted' as const, data: fromVisit }];
    // The completion does not say where the patient is: the visit's state stays.
    spec.given(drafted).when(revise()).then([{ type: 'PrescriptionDraftRevised', data: { ...amoxicillin, visitId, encounter: { ...completion.encounter, patientLocationState: 'IL' } } }]);
    spec.given(drafted).when(revise({ ...completion, encounter: { ...completion.encounter, patientLocationState: 'IL' } })).then([
      { type: 'PrescriptionDraftRevised', data: { ...amoxicillin, visitId, encounter: { ...completion.encounter, patientLocationState: 'IL' } } },
    ]);
    spec.given(drafted).when(revise({ ...completion, encounter: { ...completion.encounter, patientLocationState: 'WI' } })).thenThrows(code('PRESCRIPTION.PATIENT_LOCATION_FROM_VISIT'));
  });

  it('a revision goes back to drafted after a check (the checks run again)', () => {
    spec
      .given([{ type: 'PrescriptionDrafted', data: amoxicillin }, checked()])
      .when(revise({ ...completion, refills: 1 }))
      .then([{ type: 'PrescriptionDraftRevised', data: { ...amoxicillin, encounter: completion.encounter, refills: 1 } }]);
  });

  it('a revision must be complete, by the prescriber, before signing', () => {
    const drafted = [{ type: 'PrescriptionDrafted' as const, data: draftFromIntent(intent) }];
    spec.given(drafted).when(revise({ ...completion, prescriber: { npi: '', deaNumber: null } })).thenThrows(IncompleteNewRxError);
    spec.given(drafted).when(revise(completion, meta('provider', ids.otherProvider))).thenThrows(code('PRESCRIPTION.NOT_PRESCRIBER'));
    spec.given(drafted).when(revise(completion, system)).thenThrows(code('PRESCRIPTION.NOT_PRESCRIBER'));
    spec.given([]).when(revise()).thenThrows(code('PRESCRIPTION.NOT_FOUND'));
  });
});
