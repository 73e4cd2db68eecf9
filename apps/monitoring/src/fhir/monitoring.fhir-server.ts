import type { FhirServerSpec } from '@carebridge/fhir-http';

export const US_CORE_BLOOD_PRESSURE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure';
export const VITAL_SIGNS = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';

/** What monitoring serves over FHIR R4 (CapabilityStatement, OpenAPI entries and the conformance test come from it). */
export const MONITORING_FHIR: FhirServerSpec = {
  service: 'monitoring',
  bases: ['/v1/fhir'],
  description: 'Carebridge remote patient monitoring: device readings as Observations, the devices, and the enrolled patients.',
  resources: [
    {
      type: 'Observation',
      interactions: ['read', 'search-type'],
      summary: 'device readings of an enrolled patient (the patient, the care team, ops)',
      documentation:
        'One Observation per reading, newest first (at most 500 per search). Blood pressure claims US Core Blood Pressure; heart rate, body weight and temperature the base FHIR vital-signs profiles; glucose and medication intake claim none.',
      supportedProfiles: [
        VITAL_SIGNS,
        US_CORE_BLOOD_PRESSURE,
        'http://hl7.org/fhir/StructureDefinition/heartrate',
        'http://hl7.org/fhir/StructureDefinition/bodyweight',
        'http://hl7.org/fhir/StructureDefinition/bodytemp',
        'http://hl7.org/fhir/StructureDefinition/oxygensat',
      ],
      searchParams: [
        { name: 'patient', type: 'reference', target: 'Patient', required: true, documentation: 'Patient/<id> or the id' },
        { name: 'code', type: 'token', pattern: '^(http://loinc\\.org\\|)?[0-9]{1,7}-[0-9]$', documentation: 'A LOINC code, with or without the system (http://loinc.org|8867-4)' },
      ],
    },
    { type: 'Device', interactions: ['read'], summary: 'a monitoring device (seen by ops and by who may see a patient it was assigned to)', documentation: 'Serial, manufacturer, model; the patient it is assigned to now.' },
    {
      type: 'Patient',
      interactions: ['read'],
      summary: 'an enrolled patient (id and care team)',
      documentation: 'Monitoring knows a patient by id and care team only; read is audited. Not US Core (no name, gender or identifier here).',
    },
  ],
};
