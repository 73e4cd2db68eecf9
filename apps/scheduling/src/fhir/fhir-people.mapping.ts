import type { ProviderProfile } from '../provider/provider.decider';

/** A patient as scheduling knows one: by id (contact details are not shared over FHIR). */
export const fhirPatient = (patientId: string) => ({ resourceType: 'Patient' as const, id: patientId, active: true });

/** A provider as scheduling knows one: state licences (https://hl7.org/fhir/R4/practitioner.html#qualification) and the clinic. */
export function fhirPractitioner(profile: ProviderProfile) {
  const licences = profile.licensedStates.map((state) => profile.licences?.find((l) => l.state === state) ?? { state });
  return {
    resourceType: 'Practitioner' as const,
    id: profile.providerId,
    active: true,
    ...(profile.clinicAddress && {
      address: [{ use: 'work', line: [profile.clinicAddress.line1], city: profile.clinicAddress.city, state: profile.clinicAddress.state, postalCode: profile.clinicAddress.postalCode, country: 'US' }],
    }),
    qualification: licences.map((l) => ({
      code: { text: `Licensed to practise in ${l.state}` },
      ...(l.expiresOn !== undefined && { period: { end: l.expiresOn } }),
      issuer: { display: `${l.state} licensing board` },
    })),
  };
}
