import type { FhirServerSpec } from '@carebridge/fhir-http';

export const US_CORE_BLOOD_PRESSURE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure';

/** What visits serves over FHIR R4 (CapabilityStatement, OpenAPI entries and the conformance test come from it). */
export const VISITS_FHIR: FhirServerSpec = {
  service: 'visits',
  bases: ['/fhir/R4'],
  description: 'Carebridge visits: the encounter of a telehealth visit and the vital signs taken in it. Every read is recorded in the visit record with the reader and the X-Purpose-Of-Use.',
  resources: [
    { type: 'Encounter', interactions: ['read'], summary: 'a visit as an Encounter (participants only; audited)', documentation: 'Virtual (VR) encounters. Not US Core: no identifier, and the type is our modality code.' },
    {
      type: 'Observation',
      interactions: ['search-type'],
      summary: 'vital signs recorded in one encounter (participants only; audited)',
      documentation: 'One Observation per measurement; blood pressure as a panel with systolic and diastolic components (US Core Blood Pressure; not the base FHIR bp profile, whose component slices the Medplum validator does not match with our coded displays). Other vital signs claim the base FHIR vital-signs profiles.',
      supportedProfiles: [
        US_CORE_BLOOD_PRESSURE,
        'http://hl7.org/fhir/StructureDefinition/heartrate',
        'http://hl7.org/fhir/StructureDefinition/bodytemp',
        'http://hl7.org/fhir/StructureDefinition/bodyweight',
        'http://hl7.org/fhir/StructureDefinition/oxygensat',
      ],
      searchParams: [
        { name: 'encounter', type: 'reference', target: 'Encounter', required: true, documentation: 'Encounter/<visit id> or the id' },
        { name: 'category', type: 'token', pattern: '^(http://terminology.hl7.org/CodeSystem/observation-category\\|)?vital-signs$', documentation: 'vital-signs (the only category recorded in a visit)' },
      ],
    },
    { type: 'Patient', interactions: ['read'], summary: 'a patient with visits here (id only)', documentation: 'Visits knows a patient by id only; read is audited. Not US Core (no name, gender or identifier here).' },
    { type: 'Practitioner', interactions: ['read'], summary: 'a provider: state licences with number and expiry', documentation: 'State licences as qualifications. Not US Core: visits holds no NPI or name.' },
  ],
};
