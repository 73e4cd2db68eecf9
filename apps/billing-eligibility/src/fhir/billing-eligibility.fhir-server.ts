import type { FhirServerSpec } from '@carebridge/fhir-http';

/** What billing-eligibility serves over FHIR R4, at `/fhir` and `/fhir/R4` (CapabilityStatement, OpenAPI entries and the conformance test come from it). */
export const BILLING_FHIR: FhirServerSpec = {
  service: 'billing-eligibility',
  bases: ['/fhir', '/fhir/R4'],
  description: 'Carebridge billing-eligibility: is this telehealth visit covered, and why (CoverageEligibilityRequest in, CoverageEligibilityResponse out), and the coverages on record.',
  resources: [
    {
      type: 'CoverageEligibilityRequest',
      interactions: ['create'],
      summary: 'check a telehealth visit; answers the CoverageEligibilityResponse (200), not the stored request',
      documentation:
        'The telehealth facts (modality, patient location, provider licences) travel as a JSON string in the extension https://carebridge.dev/fhir/StructureDefinition/telehealth-visit. Idempotency-Key is optional: without it the key is derived from the caller, the request and the UTC day, so a client retrying the same request gets the same determination. If-None-Exist is accepted and not evaluated. A payer gets the response without the rule messages.',
    },
    {
      type: 'Coverage',
      interactions: ['search-type'],
      summary: 'coverages of a patient (a payer: only its own)',
      documentation: 'Coverages on record per patient. Not US Core Coverage: the payer is an identifier, not an Organization reference, and type is text.',
      searchParams: [{ name: 'patient', type: 'reference', target: 'Patient', required: true, documentation: 'Patient/<id> or the id' }],
    },
  ],
};
