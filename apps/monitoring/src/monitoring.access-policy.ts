import type { Pool } from 'pg';
import { quoteIdent } from '@carebridge/event-store';
import { type AccessPolicyTable, type CareRelationships, type PatientLookups, param, patientOfRow, query, rule } from '@carebridge/access-audit';

const patient = param('patientId');
const device = param('deviceId', 'device');

/**
 * Who may call what in monitoring, as data (libs/access-audit enforces it, the OpenAPI document
 * carries it, the policy test iterates it). A provider reaches a patient's data only as a member
 * of the patient's care team (or by break-the-glass); handlers still narrow a patient to their own.
 */
export const MONITORING_ACCESS_POLICY: AccessPolicyTable = {
  // Enrolling names the care team: it creates the relationship (an attestation, recorded as an event).
  'POST /v1/patients/{patientId}/enrolment': { roles: ['provider', 'ops'], phi: true, relationship: 'none', patient },
  'POST /v1/patients/{patientId}/consent': rule.patient(['patient', 'ops'], patient),
  'GET /v1/patients/{patientId}/care-plan': rule.patient(['patient', 'provider', 'ops'], patient),
  'PUT /v1/patients/{patientId}/care-plan/rules/{ruleId}': rule.patient(['provider', 'ops'], patient),
  'POST /v1/patients/{patientId}/interactive-minutes': rule.patient(['provider', 'ops'], patient),
  'POST /v1/devices': rule.open(['provider', 'ops']),
  'GET /v1/devices/{deviceId}': rule.patient(['provider', 'ops'], device),
  'POST /v1/devices/{deviceId}/assignments': { roles: ['provider', 'ops'], phi: true, relationship: 'care', patient: { from: 'body', name: 'patientId' } },
  'POST /v1/devices/{deviceId}/assignments/{assignmentId}/key': rule.patient(['provider', 'ops'], device),
  'POST /v1/devices/{deviceId}/assignments/{assignmentId}/end': rule.patient(['provider', 'ops'], device),
  // Writes of readings are events already; the answer names no patient data.
  'POST /v1/readings/batch': rule.open(['patient', 'ops']),
  'POST /v1/devices/{deviceId}/readings': rule.public(),
  'GET /v1/patients/{patientId}/readings': rule.patient(['patient', 'provider', 'ops'], patient),
  'GET /v1/patients/{patientId}/readings/live': rule.patient(['patient', 'provider', 'ops'], patient),
  'GET /v1/patients/{patientId}/alerts': rule.patient(['patient', 'provider', 'ops'], patient),
  'GET /v1/patients/{patientId}/adherence': rule.patient(['patient', 'provider', 'ops'], patient),
  'POST /v1/alerts/{alertId}/acknowledge': rule.patient(['provider', 'ops'], param('alertId', 'alert')),
  'POST /v1/alerts/{alertId}/resolve': rule.patient(['provider', 'ops'], param('alertId', 'alert')),
  'POST /v1/rpm/periods/close-due': rule.open(['ops']),
  'GET /v1/patients/{patientId}/rpm-periods': rule.patient(['patient', 'provider', 'ops'], patient),
  'GET /v1/fhir/Observation': rule.patient(['patient', 'provider', 'ops'], query('patient')),
  'GET /v1/fhir/Observation/{id}': rule.patient(['patient', 'provider', 'ops'], param('id', 'reading')),
  'GET /v1/fhir/Device/{id}': rule.patient(['patient', 'provider', 'ops'], param('id', 'device')),
  'GET /v1/fhir/metadata': rule.public(),
  'GET /v1/fhir/Patient/{id}': rule.patient(['patient', 'provider', 'ops'], param('id')),
  'GET /v1/openapi.json': rule.public(),
};


/** Care relationship in monitoring: the provider is on the patient's care team (enrolment). */
export function monitoringRelationships(pool: Pool, schema: string): CareRelationships & { lookups: PatientLookups } {
  const s = quoteIdent(schema);
  return {
    async has(providerId, patientId) {
      const { rowCount } = await pool.query(`SELECT 1 FROM ${s}.monitored_patients WHERE patient_id = $1 AND $2 = ANY(care_team)`, [patientId.toLowerCase(), providerId]);
      return (rowCount ?? 0) > 0;
    },
    lookups: {
      // The patient the device is (or was last) assigned to.
      device: patientOfRow(pool, `SELECT patient_id FROM ${s}.device_assignments WHERE device_id = $1 ORDER BY valid_from DESC LIMIT 1`),
      alert: patientOfRow(pool, `SELECT patient_id FROM ${s}.alerts WHERE alert_id = $1`),
      reading: patientOfRow(pool, `SELECT patient_id FROM ${s}.readings WHERE reading_id = $1::uuid`),
    },
  };
}
