import type { EventStore } from '@carebridge/event-store';
import { type AccessPolicyTable, type CareRelationships, type OperationPolicy, param, query, rule } from '@carebridge/access-audit';
import type { EligibilityDetermined } from './eligibility/eligibility.events';
import { eligibilityStreamId } from './eligibility/eligibility.stream';

const everyone = ['patient', 'provider', 'payer', 'ops'] as const;
const patient = param('patientId');

/** The versioned routes; each is also served unversioned (deprecated alias) with the same policy. */
const v1: Record<string, OperationPolicy> = {
  'POST /v1/patients/{patientId}/coverages': rule.patient(everyone, patient),
  'GET /v1/patients/{patientId}/coverages': rule.patient(everyone, patient),
  'PATCH /v1/patients/{patientId}/coverages/{coverageId}': rule.patient(everyone, patient),
  // A provider may ask before booking (purpose PAYMENT); the answer is recorded against the patient.
  'POST /v1/eligibility-checks': { roles: everyone, phi: true, relationship: 'none', patient: { from: 'body', name: 'patientId' } },
  'GET /v1/patients/{patientId}/eligibility-determinations': rule.patient(everyone, patient),
};
const fhir: Record<string, OperationPolicy> = {
  'POST /fhir/CoverageEligibilityRequest': rule.open(everyone, true),
  'GET /fhir/Coverage': rule.patient(everyone, query('patient')),
  'GET /fhir/metadata': rule.public(),
};

/**
 * Who may call what in billing-eligibility, as data (libs/access-audit enforces it, the OpenAPI
 * document carries it, the policy test iterates it). A provider reaches a patient's coverage and
 * determinations only as the treating provider of a booking; handlers still narrow a patient to
 * their own and a payer to its members' coverages.
 */
export const BILLING_ACCESS_POLICY: AccessPolicyTable = {
  ...v1,
  ...Object.fromEntries(Object.entries(v1).map(([key, policy]) => [key.replace(' /v1/', ' /'), policy])),
  ...fhir,
  ...Object.fromEntries(Object.entries(fhir).map(([key, policy]) => [key.replace(' /fhir/', ' /fhir/R4/'), policy])),
  'POST /v1/rules/rule-sets': rule.open(['ops']),
  'GET /v1/rules/rule-sets': rule.open(['ops', 'provider']),
  'GET /v1/rules/horizon': rule.open(['ops', 'provider']),
  'GET /v1/openapi.json': rule.public(),
};

/**
 * Care relationship in billing-eligibility: the provider is the treating provider of an appointment
 * of the patient that scheduling booked (the determinations the inbound consumer recorded, actor
 * `system`) and that was not withdrawn since. A check a provider runs themself creates none.
 */
export function billingRelationships(store: EventStore): CareRelationships {
  return {
    async has(providerId, patientId) {
      const events = await store.readStream(eligibilityStreamId(patientId.toLowerCase()));
      const withdrawn = new Set(events.filter((e) => e.type === 'AppointmentWithdrawn').map((e) => (e.data as { appointmentId: string }).appointmentId));
      return events.some((e) => {
        if (e.type !== 'EligibilityDetermined' || e.metadata.actor.role !== 'system') return false;
        const { request } = e.data as EligibilityDetermined['data'];
        return request.provider.providerId === providerId && request.appointmentId !== undefined && !withdrawn.has(request.appointmentId);
      });
    },
  };
}
