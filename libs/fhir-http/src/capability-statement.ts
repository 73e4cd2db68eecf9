import type { FhirServerSpec } from './fhir-server';

/** When this process started: the CapabilityStatement's `date` (its content changes only with a deployment). */
const STARTED = new Date().toISOString();

/**
 * The service's CapabilityStatement (https://hl7.org/fhir/R4/capabilitystatement.html), kind
 * `instance`: exactly the resources, interactions, search parameters and profiles of its spec.
 */
export function capabilityStatement(spec: FhirServerSpec, baseUrl: string, version = '1.0.0') {
  return {
    resourceType: 'CapabilityStatement' as const,
    status: 'active',
    date: STARTED,
    publisher: 'Carebridge',
    kind: 'instance',
    software: { name: `carebridge-${spec.service}`, version },
    implementation: { description: spec.description, url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'JSON only (application/fhir+json; XML and other formats: 406). Errors are OperationOutcome. Unknown search parameters are ignored unless `Prefer: handling=strict`; `_count` pages (self and next links). The purpose of use of a read is the X-Purpose-Of-Use header (default TREAT, PATIENT-REQUEST for a patient).',
        security: {
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'OAuth' }] }],
          description: 'Bearer JWT from the configured OpenID Connect issuer; role and ownership checked per request, every read of PHI audited.',
        },
        resource: spec.resources.map((r) => ({
          type: r.type,
          ...(r.supportedProfiles && r.supportedProfiles.length > 0 && { supportedProfile: [...r.supportedProfiles] }),
          documentation: r.documentation,
          interaction: r.interactions.map((code) => ({ code })),
          ...(r.searchParams &&
            r.searchParams.length > 0 && {
              searchParam: r.searchParams.map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
            }),
        })),
      },
    ],
  };
}
