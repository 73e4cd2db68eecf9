import type { Pool } from 'pg';
import { quoteIdent } from '@carebridge/event-store';
import { type AccessPolicyTable, type CareRelationships, type OperationPolicy, type PatientLookups, param, patientOfRow, query, rule } from '@carebridge/access-audit';

/**
 * A visit's record: the handlers admit only its participants (the patient, the attending provider,
 * the consultants they invited), so the table needs no relationship rule of its own here; the
 * locator names the patient each access is recorded against.
 */
const participants = (roles: OperationPolicy['roles'], locator = param('visitId', 'visit')): OperationPolicy => ({ roles, phi: true, relationship: 'none', patient: locator });

/**
 * Who may call what in visits, as data (libs/access-audit enforces it, the OpenAPI document
 * carries it, the policy test iterates it).
 */
export const VISITS_ACCESS_POLICY: AccessPolicyTable = {
  'PUT /v1/providers/{providerId}/licences': rule.open(['provider', 'ops']),
  'GET /v1/providers/{providerId}/licences': rule.open(['provider', 'ops']),
  'PUT /v1/providers/{providerId}/urgent-care-duty': rule.open(['provider', 'ops']),
  'GET /v1/appointments/{appointmentId}/visit': participants(['patient', 'provider'], param('appointmentId', 'appointment')),
  'GET /v1/waiting-room': rule.open(['provider'], true),
  'GET /v1/visits/{visitId}': participants(['patient', 'provider']),
  'GET /v1/visits/{visitId}/summary': participants(['patient', 'provider']),
  'GET /v1/visits/{visitId}/access-log': participants(['patient', 'provider']),
  'POST /v1/visits/{visitId}/check-in': participants(['patient']),
  'POST /v1/visits/{visitId}/leave': participants(['patient']),
  'POST /v1/visits/{visitId}/admit': participants(['provider']),
  'POST /v1/visits/{visitId}/room-token': participants(['patient', 'provider']),
  'POST /v1/visits/{visitId}/connection': participants(['patient', 'provider']),
  'POST /v1/visits/{visitId}/modality': participants(['patient', 'provider']),
  'PUT /v1/visits/{visitId}/symptoms': participants(['provider']),
  'POST /v1/visits/{visitId}/vitals': participants(['patient', 'provider']),
  'PUT /v1/visits/{visitId}/note': participants(['provider']),
  'POST /v1/visits/{visitId}/diagnoses': participants(['provider']),
  'POST /v1/visits/{visitId}/orders': participants(['provider']),
  'POST /v1/visits/{visitId}/attachments': participants(['patient', 'provider']),
  'GET /v1/visits/{visitId}/attachments/{sha256}': participants(['patient', 'provider']),
  'POST /v1/visits/{visitId}/messages': participants(['patient', 'provider']),
  'POST /v1/asynchronous-visits': rule.open(['patient'], true),
  'POST /v1/visits/{visitId}/consults': participants(['provider']),
  'POST /v1/visits/{visitId}/consults/{consultId}/join': participants(['provider']),
  'POST /v1/visits/{visitId}/consults/{consultId}/discussion': participants(['provider']),
  'POST /v1/visits/{visitId}/escalate': participants(['provider']),
  'POST /v1/visits/{visitId}/complete': participants(['provider']),
  'POST /v1/urgent-care/queue': rule.open(['patient'], true),
  'GET /v1/urgent-care/queue/{visitId}': participants(['patient', 'provider']),
  'POST /v1/urgent-care/next': rule.open(['provider'], true),
  'GET /fhir/R4/Encounter/{id}': participants(['patient', 'provider'], param('id', 'visit')),
  'GET /fhir/R4/Observation': participants(['patient', 'provider'], query('encounter', 'encounter')),
  'GET /fhir/R4/metadata': rule.public(),
  // Minimal (id only) but still a read of who is a patient here: audited, the patient and their providers only.
  'GET /fhir/R4/Patient/{id}': rule.patient(['patient', 'provider'], param('id')),
  'GET /fhir/R4/Practitioner/{id}': rule.open(['patient', 'provider', 'ops']),
  'GET /v1/openapi.json': rule.public(),
};


/** Care relationship in visits: the provider attends a visit of the patient (consultants: checked by the handlers per visit). */
export function visitsRelationships(pool: Pool, schema: string): CareRelationships & { lookups: PatientLookups } {
  const s = quoteIdent(schema);
  const visit = patientOfRow(pool, `SELECT patient_id FROM ${s}.visits WHERE visit_id = $1`);
  return {
    async has(providerId, patientId) {
      const { rowCount } = await pool.query(`SELECT 1 FROM ${s}.visits WHERE lower(patient_id) = lower($1) AND provider_id = $2 LIMIT 1`, [patientId, providerId]);
      return (rowCount ?? 0) > 0;
    },
    lookups: {
      visit,
      encounter: (reference) => visit(reference.replace(/^Encounter\//, '')),
      appointment: patientOfRow(pool, `SELECT patient_id FROM ${s}.visits WHERE appointment_id = $1`),
    },
  };
}
