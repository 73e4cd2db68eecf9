import { US_CORE_MEDICATION_REQUEST } from './medication-request.fhir-server';
import type { PrescriptionView } from './prescription.views';

/** FHIR R4 MedicationRequest.status for our lifecycle (http://hl7.org/fhir/R4/valueset-medicationrequest-status.html). */
function fhirStatus(view: PrescriptionView): string {
  switch (view.status) {
    case 'drafted':
    case 'checked':
      return 'draft';
    case 'signed':
    case 'transmitted':
    case 'cancel-requested':
      return 'active';
    case 'dispensed':
      return 'completed';
    case 'not-dispensed':
      return 'stopped';
    case 'transferred':
      return 'active';
    case 'cancelled':
      return 'cancelled';
    case 'none':
      return 'unknown';
  }
}

/** A read-only FHIR R4 MedicationRequest of a prescription. */
export function toMedicationRequest(view: PrescriptionView) {
  const rx = view.rx;
  return {
    resourceType: 'MedicationRequest',
    id: view.prescriptionId,
    meta: { profile: [US_CORE_MEDICATION_REQUEST] },
    status: fhirStatus(view),
    intent: 'order',
    medicationCodeableConcept: {
      coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: rx.medication.rxnormCode, display: rx.medication.name }],
      text: `${rx.medication.name} ${rx.medication.strength} ${rx.medication.doseForm}`.trim(),
    },
    subject: { reference: `Patient/${rx.patientId}` },
    ...(rx.visitId && { encounter: { reference: `Encounter/${rx.visitId}` } }),
    ...(view.signedAt && { authoredOn: view.signedAt }),
    requester: {
      reference: `Practitioner/${rx.prescriber.providerId}`,
      identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: rx.prescriber.npi },
    },
    dosageInstruction: [{ text: rx.sig }],
    dispenseRequest: {
      numberOfRepeatsAllowed: rx.refills,
      quantity: { value: rx.quantity.value, unit: rx.quantity.unit },
      expectedSupplyDuration: { value: rx.daysSupply, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' },
      ...(view.pharmacy && {
        performer: { identifier: { system: 'http://terminology.hl7.org/NamingSystem/NCPDPProviderIdentificationNumber', value: view.pharmacy.ncpdpId } },
      }),
    },
    substitution: { allowedBoolean: rx.substitutionAllowed },
    ...(rx.noteToPharmacist && { note: [{ text: rx.noteToPharmacist }] }),
    ...(rx.renewalOf && { priorPrescription: { reference: `MedicationRequest/${rx.renewalOf}` } }),
  };
}
