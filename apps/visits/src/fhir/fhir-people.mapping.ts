import type { Licence } from '../visit/visit.events';

/** A patient as visits knows one: by id. */
export const fhirPatient = (patientId: string) => ({ resourceType: 'Patient' as const, id: patientId, active: true });

/** A provider as visits knows one: state licences (https://hl7.org/fhir/R4/practitioner.html#qualification). */
export function fhirPractitioner(providerId: string, licences: readonly Licence[]) {
  return {
    resourceType: 'Practitioner' as const,
    id: providerId,
    active: true,
    qualification: licences.map((l) => ({
      identifier: [{ system: `https://carebridge.dev/fhir/state-licence/${l.state}`, value: l.number }],
      code: { text: `Licensed to practise in ${l.state}` },
      period: { end: l.expiresOn },
      issuer: { display: `${l.state} licensing board` },
    })),
  };
}
