import { documentWithAccessPolicy } from '@carebridge/access-audit';
import { fhirOperations } from '@carebridge/fhir-http';
import { type ApiOperation, FILE, idempotencyKeyParameter, openApiDocument } from '@carebridge/platform';
import { SCHEDULING_ACCESS_POLICY } from '../scheduling.access-policy';
import { MAX_ATTACHMENT_BYTES } from '../appointment/attachment.rules';
import { availabilityExceptionBody, licencesBody, registerProviderBody, weeklyAvailabilityBody } from '../provider/provider.schemas';
import { seriesBody } from '../appointment/book-series.http';
import { groupSessionBody, holdSlotBody } from '../provider-day/provider-day.schemas';
import { bookAppointmentBody, cancelBody, rescheduleBody } from '../appointment/appointment.schemas';
import { joinWaitlistBody } from '../waitlist/join-waitlist.http';
import { triageQueueQuery, triageReviewBody } from '../appointment/triage-review.http';
import { findGroupSessionsQuery } from '../slot-search/find-group-sessions.http';
import { findSlotsQuery } from '../slot-search/find-slots.http';
import { appointmentListQuery } from '../appointment/appointments.http';
import { intakeQuery } from '../appointment/read-intake.http';
import { SCHEDULING_FHIR } from '../fhir/scheduling.fhir-server';
import { contactReadQuery, patientContactBody } from '../notifications/patient-contact.http';
import * as answers from './responses.schemas';

/** Request bodies, queries and answers come from the zod schemas the controllers parse with and answer by (./responses). */
const idempotency = [idempotencyKeyParameter(true)];
const optionalKey = [idempotencyKeyParameter(false)];
const ok = (description: string, schema: ApiOperation['responses'][number]['schema']) => ({ description, schema });
/** Triage dispositions are answers, not errors: 201 booked (virtual-ok or needs-review), 200 not booked (emergency, in person). */
const notBooked = ok('Not booked, by triage: emergency (call 911; crisis: 988 and 911), or in-person (no video or phone visit; in-person slots and a waitlist request offered)', answers.notBooked);
const booked = ok('Booked. triage.disposition is virtual-ok, or needs-review (a nurse or provider reviews the intake first; the guidance says how to get urgent help meanwhile)', answers.booked);

const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$' };

const OPERATIONS: readonly ApiOperation[] = [
  { method: 'post', path: '/v1/providers', operationId: 'registerProvider', summary: 'Register a provider', headers: idempotency, body: registerProviderBody, responses: { 201: ok('Registered', answers.provider) } },
  { method: 'get', path: '/v1/providers/{providerId}', operationId: 'getProvider', summary: 'A provider with availability', responses: { 200: ok('The provider', answers.provider) } },
  { method: 'put', path: '/v1/providers/{providerId}/availability', operationId: 'setWeeklyAvailability', summary: 'Set weekly availability', headers: optionalKey, body: weeklyAvailabilityBody, responses: { 200: ok('Set', answers.provider) } },
  { method: 'put', path: '/v1/providers/{providerId}/licences', operationId: 'updateProviderLicences', summary: 'Renew or change state licences (with expiry dates)', headers: optionalKey, body: licencesBody, responses: { 200: ok('Updated', answers.provider) } },
  {
    method: 'post',
    path: '/v1/providers/{providerId}/availability/exceptions',
    operationId: 'addAvailabilityException',
    summary: 'Add time off or extra hours',
    headers: idempotency,
    body: availabilityExceptionBody,
    responses: { 201: ok('Added', answers.provider) },
  },
  {
    method: 'post',
    path: '/v1/providers/{providerId}/group-sessions',
    operationId: 'scheduleGroupSession',
    summary: 'Schedule a group session (slot start, capacity) patients book seats of', headers: idempotency,
    body: groupSessionBody,
    responses: { 201: ok('Scheduled', answers.groupSession) },
  },
  { method: 'get', path: '/v1/slots', operationId: 'findSlots', summary: 'Free slots by specialty, modality, patient state and dates, in the requester time zone', query: findSlotsQuery, responses: { 200: ok('Free slots', answers.slots) } },
  {
    method: 'get',
    path: '/v1/group-sessions',
    operationId: 'findGroupSessions',
    summary: 'Group sessions with free seats by specialty, modality, patient state and dates (book a seat with groupSessionId)',
    query: findGroupSessionsQuery,
    responses: { 200: ok('Group sessions', answers.groupSessions) },
  },
  { method: 'post', path: '/v1/slot-holds', operationId: 'holdSlot', summary: 'Hold a slot ($hold)', headers: idempotency, body: holdSlotBody, responses: { 201: ok('Held', answers.hold) } },
  {
    method: 'post',
    path: '/v1/appointments',
    operationId: 'bookAppointment',
    summary: 'Book ($book) after triage of the coded symptoms and everything the patient wrote; several providers with additionalProviderIds (all or none)',
    headers: idempotency,
    body: bookAppointmentBody,
    responses: { 201: booked, 200: notBooked },
  },
  { method: 'get', path: '/v1/appointments', operationId: 'listAppointments', summary: 'My appointments (patient) or my schedule (provider)', query: appointmentListQuery, responses: { 200: ok('Appointments', answers.appointments) } },
  {
    method: 'post',
    path: '/v1/appointment-series',
    operationId: 'bookAppointmentSeries',
    summary: 'Book a weekly or monthly series (triage as for one booking: the first occurrence answers an emergency or in-person redirection)',
    headers: idempotency,
    body: seriesBody,
    responses: { 201: ok('Booked', answers.series), 200: notBooked },
  },
  {
    method: 'get',
    path: '/v1/triage-reviews',
    operationId: 'listTriageReviews',
    summary: "The review queue: booked appointments whose intake needs a nurse's or provider's review (provider: own; ops: all)",
    query: triageQueueQuery,
    responses: { 200: ok('The queue', answers.triageReviews) },
  },
  {
    method: 'post',
    path: '/v1/appointments/{appointmentId}/triage-review',
    operationId: 'reviewTriage',
    summary: 'Review a needs-review intake (TriageReviewed; in-person or emergency cancels a video or phone visit)',
    body: triageReviewBody,
    responses: { 200: ok('Reviewed', answers.triageReviewed) },
  },
  { method: 'get', path: '/v1/appointments/{appointmentId}', operationId: 'getAppointment', summary: 'One appointment, with coverage', responses: { 200: ok('The appointment', answers.appointment) } },
  { method: 'post', path: '/v1/appointments/{appointmentId}/cancel', operationId: 'cancelAppointment', summary: 'Cancel', headers: optionalKey, body: cancelBody, responses: { 200: ok('Cancelled', answers.appointment) } },
  { method: 'post', path: '/v1/appointments/{appointmentId}/reschedule', operationId: 'rescheduleAppointment', summary: 'Reschedule', headers: optionalKey, body: rescheduleBody, responses: { 200: ok('Moved', answers.appointment) } },
  { method: 'post', path: '/v1/appointments/{appointmentId}/check-in', operationId: 'checkInAppointment', summary: 'Check in', headers: optionalKey, responses: { 200: ok('Checked in', answers.appointment) } },
  { method: 'post', path: '/v1/appointments/{appointmentId}/no-show', operationId: 'markNoShow', summary: 'Mark a no-show', headers: optionalKey, responses: { 200: ok('Marked', answers.appointment) } },
  { method: 'get', path: '/v1/appointments/{appointmentId}/intake', operationId: 'readIntake', summary: 'Intake (every read recorded with actor and purpose)', query: intakeQuery, responses: { 200: ok('The intake', answers.intake) } },
  {
    method: 'post',
    path: '/v1/appointments/{appointmentId}/attachments',
    operationId: 'addIntakePhoto',
    summary: 'Upload a photo (raw body)',
    body: { media: { 'image/jpeg': undefined, 'image/png': undefined, 'image/heic': undefined } },
    responses: { 201: ok('Stored', answers.attachmentStored) },
    extensions: { 'x-carebridge-max-body-bytes': MAX_ATTACHMENT_BYTES },
  },
  {
    method: 'get',
    path: '/v1/appointments/{appointmentId}/attachments/{sha256}',
    operationId: 'downloadIntakePhoto',
    summary: 'Download an intake photo (always as an attachment, nosniff; ?purpose= recorded)',
    pathParameters: { sha256 },
    responses: { 200: { description: 'The photo, with its stored type', schema: FILE, mediaType: ['image/jpeg', 'image/png', 'image/heic'] } },
  },
  {
    method: 'put',
    path: '/v1/patients/{patientId}/contact',
    operationId: 'savePatientContact',
    summary: "Record the patient's e-mail, phone, accepted channels and time zone (never in events or on Kafka)",
    body: patientContactBody,
    responses: { 200: ok('Recorded', answers.contact) },
  },
  { method: 'get', path: '/v1/patients/{patientId}/contact', operationId: 'getPatientContact', summary: "The patient's contact (the read is recorded with its purpose)", query: contactReadQuery, responses: { 200: ok('The contact', answers.contact) } },
  { method: 'delete', path: '/v1/patients/{patientId}/contact', operationId: 'erasePatientContact', summary: 'Erase the contact', responses: { 204: { description: 'Erased' } } },
  { method: 'post', path: '/v1/waitlist', operationId: 'joinWaitlist', summary: 'Join the waitlist', headers: idempotency, body: joinWaitlistBody, responses: { 201: ok('Joined', answers.waitlistEntry) } },
  { method: 'get', path: '/v1/waitlist/{entryId}', operationId: 'getWaitlistEntry', summary: 'A waitlist entry and its offers', responses: { 200: ok('The entry', answers.waitlistEntry) } },
  // FHIR R4 at `/fhir/R4`, from the spec the CapabilityStatement and the conformance test use.
  ...fhirOperations(SCHEDULING_FHIR),
];

/** The document as served, checked by the request gate and linted (`npm run lint`): with the access policy's x-roles, x-phi, x-relationship. */
export function schedulingOpenApi() {
  const document = openApiDocument({
    title: 'Carebridge scheduling',
    version: '1.0.0',
    description: 'Providers, availability, slot search, booking with triage, waitlist, FHIR R4 views.',
    operations: OPERATIONS,
  });
  return documentWithAccessPolicy(document, SCHEDULING_ACCESS_POLICY);
}
