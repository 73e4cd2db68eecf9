import type { Pool } from 'pg';
import { type EventStore, quoteIdent } from '@carebridge/event-store';
import { type AccessPolicyTable, type CareRelationships, type PatientLookups, body, param, patientOfRow, query, rule } from '@carebridge/access-audit';
import { isUuid } from '@carebridge/shared-kernel';
import type { WaitlistJoined } from './waitlist/waitlist.events';
import { waitlistStreamId } from './waitlist/waitlist.stream';

const appointment = param('appointmentId', 'appointment');
const clinical = ['patient', 'provider', 'ops'] as const;

/**
 * Who may call what in scheduling, as data (libs/access-audit enforces it, the OpenAPI document
 * carries it, the policy test iterates it). A provider reaches a patient's appointments, intake and
 * photos only with a booked appointment of that patient (or by break-the-glass); handlers still
 * narrow a provider to their own appointments and a patient to their own.
 */
export const SCHEDULING_ACCESS_POLICY: AccessPolicyTable = {
  'POST /v1/providers': rule.open(['provider', 'ops']),
  'GET /v1/providers/{providerId}': rule.open(['patient', 'provider', 'pharmacy', 'payer', 'ops']),
  'PUT /v1/providers/{providerId}/availability': rule.open(['provider', 'ops']),
  'PUT /v1/providers/{providerId}/licences': rule.open(['provider', 'ops']),
  'POST /v1/providers/{providerId}/availability/exceptions': rule.open(['provider', 'ops']),
  'POST /v1/providers/{providerId}/group-sessions': rule.open(['provider', 'ops']),
  'GET /v1/slots': rule.open(clinical),
  'GET /v1/group-sessions': rule.open(clinical),
  'POST /v1/slot-holds': rule.open(['patient', 'ops']),
  // Booking creates the relationship (the appointment); it is recorded against the patient.
  'POST /v1/appointments': { roles: clinical, phi: true, relationship: 'none', patient: body('patientId') },
  'POST /v1/appointment-series': { roles: clinical, phi: true, relationship: 'none', patient: body('patientId') },
  'GET /v1/appointments': rule.open(clinical, true),
  'GET /v1/triage-reviews': rule.open(['provider', 'ops'], true),
  'POST /v1/appointments/{appointmentId}/triage-review': rule.patient(['provider'], appointment),
  'GET /v1/appointments/{appointmentId}': rule.patient(clinical, appointment),
  'POST /v1/appointments/{appointmentId}/cancel': rule.patient(clinical, appointment),
  'POST /v1/appointments/{appointmentId}/reschedule': rule.patient(clinical, appointment),
  'POST /v1/appointments/{appointmentId}/check-in': rule.patient(['patient', 'ops'], appointment),
  'POST /v1/appointments/{appointmentId}/no-show': rule.patient(['provider', 'ops'], appointment),
  'GET /v1/appointments/{appointmentId}/intake': rule.patient(['patient', 'provider'], appointment),
  'POST /v1/appointments/{appointmentId}/attachments': rule.patient(['patient'], appointment),
  'GET /v1/appointments/{appointmentId}/attachments/{sha256}': rule.patient(['patient', 'provider'], appointment),
  'PUT /v1/patients/{patientId}/contact': rule.patient(['patient', 'ops'], param('patientId')),
  'GET /v1/patients/{patientId}/contact': rule.patient(['patient', 'ops'], param('patientId')),
  'DELETE /v1/patients/{patientId}/contact': rule.patient(['patient', 'ops'], param('patientId')),
  'POST /v1/waitlist': { roles: ['patient', 'ops'], phi: true, relationship: 'none', patient: body('patientId') },
  'GET /v1/waitlist/{entryId}': rule.patient(['patient', 'ops'], param('entryId', 'waitlist')),
  'GET /fhir/R4/Schedule/{id}': rule.open(clinical),
  'GET /fhir/R4/Slot': rule.open(clinical),
  'GET /fhir/R4/Appointment': rule.patient(clinical, query('patient')),
  'GET /fhir/R4/Appointment/{id}': rule.patient(clinical, param('id', 'appointment')),
  'GET /fhir/R4/metadata': rule.public(),
  'GET /fhir/R4/Slot/{id}': rule.open(clinical),
  // Minimal (id only) but still a read of who is a patient here: audited, and only for the patient and their providers.
  'GET /fhir/R4/Patient/{id}': rule.patient(clinical, param('id')),
  'GET /fhir/R4/Practitioner/{id}': rule.open(clinical),
  'GET /v1/openapi.json': rule.public(),
};


/** Care relationship in scheduling: an appointment (not cancelled) of the patient with the provider, as lead or additional provider. */
export function schedulingRelationships(pool: Pool, schema: string, store: EventStore): CareRelationships & { lookups: PatientLookups } {
  const s = quoteIdent(schema);
  return {
    async has(providerId, patientId) {
      const { rowCount } = await pool.query(
        `SELECT 1 FROM ${s}.appointments
          WHERE lower(patient_id) = lower($1) AND (provider_id = $2 OR $2 = ANY(additional_provider_ids)) AND status <> 'cancelled' LIMIT 1`,
        [patientId, providerId],
      );
      return (rowCount ?? 0) > 0;
    },
    lookups: {
      appointment: patientOfRow(pool, `SELECT patient_id FROM ${s}.appointments WHERE appointment_id = $1`),
      // From the entry's own stream: the waitlist_entries table exists only where the offer jobs run.
      async waitlist(id) {
        if (!isUuid(id)) return undefined;
        const joined = (await store.readStream(waitlistStreamId(id.toLowerCase()))).find((e) => e.type === 'WaitlistJoined');
        return (joined?.data as WaitlistJoined['data'] | undefined)?.patientId.toLowerCase();
      },
    },
  };
}
