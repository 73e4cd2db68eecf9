import type { FhirServerSpec } from '@carebridge/fhir-http';
import { UUID_SOURCE } from '@carebridge/shared-kernel';

const DATE = 'Date range as FHIR prefixes (ge/gt/le/lt/eq), given at most twice';
const DATE_VALUE = '^(ge|gt|le|lt|eq)?\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+(Z|[+-]\\d{2}:\\d{2}))?$';

/** What scheduling serves over FHIR R4 (CapabilityStatement, OpenAPI entries and the conformance test come from it). */
export const SCHEDULING_FHIR: FhirServerSpec = {
  service: 'scheduling',
  bases: ['/fhir/R4'],
  description: 'Carebridge scheduling: provider schedules, slots and appointments (read-only views of the booking streams).',
  resources: [
    {
      type: 'Appointment',
      interactions: ['read', 'search-type'],
      summary: 'appointments of a patient or a practitioner (patients: their own; providers: their own)',
      documentation: 'Booked, arrived, cancelled and no-show appointments; default date window: yesterday to 60 days ahead.',
      searchParams: [
        { name: 'patient', type: 'reference', target: 'Patient', documentation: 'Patient/<id> or the id' },
        { name: 'practitioner', type: 'reference', target: 'Practitioner', documentation: 'Practitioner/<id> or the id' },
        { name: 'date', type: 'date', repeats: true, pattern: DATE_VALUE, documentation: DATE },
      ],
    },
    {
      type: 'Slot',
      interactions: ['read', 'search-type'],
      idPattern: `^${UUID_SOURCE}\\.\\d{1,15}$`,
      summary: 'free and busy slots of one schedule',
      documentation: 'Slots are computed from the availability: the id is <schedule id>.<start in epoch ms>. Search needs schedule; default window: 7 days from now, at most 62.',
      searchParams: [
        { name: 'schedule', type: 'reference', target: 'Schedule', required: true, documentation: 'Schedule/<id> (the practitioner id) or the id' },
        { name: 'start', type: 'date', repeats: true, pattern: DATE_VALUE, documentation: DATE },
      ],
    },
    { type: 'Schedule', interactions: ['read'], summary: 'a provider schedule (its id is the practitioner id)', documentation: 'One Schedule per registered provider.' },
    {
      type: 'Patient',
      interactions: ['read'],
      summary: 'a patient with appointments here (id only: scheduling keeps no demographics)',
      documentation: 'Scheduling knows a patient by id only (contact details stay out of FHIR); read is audited. Not US Core (no name, gender or identifier here).',
    },
    {
      type: 'Practitioner',
      interactions: ['read'],
      summary: 'a registered provider: state licences and practice address',
      documentation: 'State licences as qualifications, the clinic address. Not US Core: scheduling holds no NPI or name.',
    },
  ],
};
