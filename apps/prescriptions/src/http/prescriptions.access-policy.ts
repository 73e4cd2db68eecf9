import type { Pool } from 'pg';
import { quoteIdent } from '@carebridge/event-store';
import { type AccessPolicyTable, type CareRelationships, type PatientLookups, body, param, patientOfRow, rule } from '@carebridge/access-audit';

const prescription = param('prescriptionId', 'prescription');

/**
 * Who may call what in prescriptions, as data: the interceptor of libs/access-audit enforces it,
 * the OpenAPI document carries it (`x-roles`, `x-phi`, `x-relationship`) and the policy test
 * iterates it. Handlers still narrow to what is the caller's own (their prescriptions, the
 * prescriptions routed to a pharmacy, a patient's own profile).
 */
export const PRESCRIPTIONS_ACCESS_POLICY: AccessPolicyTable = {
  'POST /v1/pharmacies': rule.open(['ops']),
  'GET /v1/pharmacies': rule.open(['provider', 'patient', 'pharmacy', 'ops']),
  'PUT /v1/pharmacies/{ncpdpId}': rule.open(['ops']),
  'GET /v1/pharmacies/{ncpdpId}': rule.open(['provider', 'patient', 'pharmacy', 'ops']),
  // The SCRIPT XML carries whole prescriptions: audited; the handler shows a pharmacy only its own.
  'GET /v1/pharmacies/{ncpdpId}/script-messages': rule.open(['pharmacy'], true),
  'GET /v1/rules/horizon': rule.open(['ops', 'provider']),
  'PUT /v1/patients/{patientId}/preferred-pharmacy': rule.patient(['patient'], param('patientId')),
  'POST /v1/patients/{patientId}/allergies': rule.patient(['patient', 'provider'], param('patientId')),
  'GET /v1/patients/{patientId}/medication-profile': rule.patient(['patient', 'provider'], param('patientId')),
  'POST /v1/prescribers/me/one-time-code': rule.open(['provider']),
  'PUT /v1/prescribers/{providerId}/identity-proofing': rule.open(['ops']),
  'PUT /v1/prescribers/{providerId}/dea-registrations/{deaNumber}': rule.open(['ops']),
  'PUT /v1/prescribers/{providerId}/state-licences/{state}': rule.open(['ops']),
  'POST /v1/prescribers/{providerId}/epcs-access/approvals': rule.open(['ops', 'provider']),
  'POST /v1/prescribers/{providerId}/epcs-access/revocation': rule.open(['ops', 'provider']),
  // Not PHI, but every read of an EPCS credential was audited before (21 CFR 1311): kept.
  'GET /v1/prescribers/{providerId}/credential': rule.open(['ops', 'provider'], true),
  // A draft reveals nothing but itself; its check needs the relationship (it reads the patient's allergies and other prescriptions).
  'POST /v1/prescriptions': { roles: ['provider'], phi: true, relationship: 'none', patient: body('patientId') },
  'PUT /v1/prescriptions/{prescriptionId}': { roles: ['provider'], phi: true, relationship: 'none', patient: prescription },
  'POST /v1/prescriptions/{prescriptionId}/check': rule.patient(['provider'], prescription),
  'POST /v1/prescriptions/{prescriptionId}/sign': rule.patient(['provider'], prescription),
  'POST /v1/prescriptions/{prescriptionId}/cancel': { roles: ['provider'], phi: true, relationship: 'none', patient: prescription },
  'POST /v1/prescriptions/{prescriptionId}/renewal-requests': { roles: ['patient'], phi: true, relationship: 'none', patient: prescription },
  'POST /v1/prescriptions/{prescriptionId}/renewal-requests/{renewalRequestId}/response': { roles: ['provider'], phi: true, relationship: 'none', patient: prescription },
  'POST /v1/prescriptions/{prescriptionId}/pharmacy-messages': { roles: ['pharmacy'], phi: true, relationship: 'none', patient: prescription },
  'POST /v1/prescriptions/{prescriptionId}/change-requests/{changeRequestId}/response': { roles: ['provider'], phi: true, relationship: 'none', patient: prescription },
  'GET /v1/prescriptions': rule.open(['provider', 'patient', 'pharmacy'], true),
  'GET /v1/prescriptions/{prescriptionId}': { roles: ['provider', 'patient', 'pharmacy'], phi: true, relationship: 'none', patient: prescription },
  'GET /v1/prescriptions/{prescriptionId}/signature': { roles: ['provider', 'patient', 'pharmacy'], phi: true, relationship: 'none', patient: prescription },
  'GET /v1/prescriptions/{prescriptionId}/signature/verification': { roles: ['provider', 'patient', 'pharmacy'], phi: true, relationship: 'none', patient: prescription },
  'GET /v1/prescription-signing-keys': rule.public(),
  'GET /v1/fhir/metadata': rule.public(),
  'GET /v1/fhir/MedicationRequest': rule.open(['provider', 'patient', 'pharmacy'], true),
  'GET /v1/fhir/MedicationRequest/{id}': { roles: ['provider', 'patient', 'pharmacy'], phi: true, relationship: 'none', patient: param('id', 'prescription') },
  'GET /v1/fhir/Patient/{id}': rule.patient(['provider', 'patient'], param('id')),
};

/**
 * A provider's care relationship with a patient, from prescriptions' own events: prescriber of
 * record of a prescription drafted from a visit (visits' PrescriptionIntended, origin
 * `visit-intent`) or signed. A draft typed in creates none, even one naming a visit (the visitId
 * of a typed draft is the prescriber's say-so), so drafting cannot open a patient's record.
 */
export function prescriptionsRelationships(pool: Pool, schema: string): CareRelationships & { lookups: PatientLookups } {
  const table = `${quoteIdent(schema)}.prescription_view`;
  return {
    async has(providerId, patientId) {
      const { rowCount } = await pool.query(
        `SELECT 1 FROM ${table}
          WHERE lower(prescriber_id) = lower($1) AND lower(patient_id) = lower($2)
            AND (status NOT IN ('drafted', 'checked') OR view->'rx'->>'origin' = 'visit-intent') LIMIT 1`,
        [providerId, patientId],
      );
      return (rowCount ?? 0) > 0;
    },
    lookups: {
      prescription: patientOfRow(pool, `SELECT patient_id FROM ${table} WHERE prescription_id = $1`),
    },
  };
}
