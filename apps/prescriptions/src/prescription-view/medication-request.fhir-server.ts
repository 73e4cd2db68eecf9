import type { FhirServerSpec } from '@carebridge/fhir-http';

export const US_CORE_MEDICATION_REQUEST = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequest';

/** What prescriptions serves over FHIR R4 (CapabilityStatement, OpenAPI entries and the conformance test come from it). */
export const PRESCRIPTIONS_FHIR: FhirServerSpec = {
  service: 'prescriptions',
  bases: ['/v1/fhir'],
  description: 'Carebridge e-prescribing: prescriptions as MedicationRequest (patients: their own; providers: theirs as prescriber of record; pharmacies: routed to them). Every read is audited.',
  resources: [
    {
      type: 'MedicationRequest',
      interactions: ['read', 'search-type'],
      summary: 'prescriptions (audited read)',
      documentation: 'RxNorm-coded orders; drafts are status draft. Claims US Core MedicationRequest 5.0.1.',
      supportedProfiles: [US_CORE_MEDICATION_REQUEST],
      searchParams: [{ name: 'patient', type: 'reference', target: 'Patient', documentation: 'Patient/<id> or the id (a provider: that patient of theirs; a patient: only their own)' }],
    },
    {
      type: 'Patient',
      interactions: ['read'],
      summary: 'a patient with prescriptions here (id only)',
      documentation: 'Prescriptions knows a patient by id (and allergies and preferred pharmacy, not shared here); read is audited. Not US Core (no name, gender or identifier here).',
    },
  ],
};
