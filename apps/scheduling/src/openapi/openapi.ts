import { z } from 'zod';
import { MAX_ATTACHMENT_BYTES } from '../provider-day/attachment.rules';
import { availabilityExceptionBody, licencesBody, registerProviderBody, weeklyAvailabilityBody } from '../provider/provider.schemas';
import { seriesBody } from '../provider-day/book-series.http';
import { bookAppointmentBody, cancelBody, groupSessionBody, holdSlotBody, rescheduleBody } from '../provider-day/provider-day.schemas';
import { joinWaitlistBody } from '../waitlist/join-waitlist.http';
import { bookedTriageSchema, emergencyAnswerSchema, inPersonAnswerSchema } from '../provider-day/booking-answer';
import { triageQueueQuery, triageReviewBody } from '../provider-day/triage-review.http';
import { findGroupSessionsQuery } from '../slot-search/find-group-sessions.http';
import { findSlotsQuery } from '../slot-search/find-slots.http';
import { appointmentListQuery } from '../appointments/appointments.http';
import { intakeQuery } from '../appointments/read-intake.http';
import { fhirOpenApiPaths } from '@carebridge/fhir-http';
import { SCHEDULING_FHIR } from '../fhir/fhir-server';
import { contactReadQuery, patientContactBody } from '../notifications/patient-contact.http';

/** Request bodies come from the same zod schemas the controllers parse with, so the document cannot drift from them. */
const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

const problem = { description: 'problem+json (RFC 9457) with a stable `code`', content: { 'application/problem+json': {} } };
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };
const json = { content: { 'application/json': {} } };

function post(summary: string, body: z.ZodType, idempotent: boolean, ok: Record<string, unknown>) {
  return {
    post: {
      summary,
      ...(idempotent && {
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', minLength: 8, maxLength: 200 } }],
      }),
      requestBody: { required: true, content: { 'application/json': { schema: schema(body) } } },
      responses: { ...ok, ...errors },
    },
  };
}

/** Query parameters from the zod schema the controller parses the query with. */
function queryParameters(query: z.ZodType) {
  const doc = schema(query) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(doc.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: (doc.required ?? []).includes(name), schema: s }));
}

/** Response bodies from the zod schemas the booking answers are typed by (booking-answer.ts). */
const answer = (description: string, body: Record<string, unknown>) => ({ description, content: { 'application/json': { schema: body } } });
const bookedAnswer = {
  type: 'object',
  required: ['booked', 'appointmentId', 'status'],
  properties: {
    booked: { const: true },
    appointmentId: { type: 'string', format: 'uuid' },
    providerId: { type: 'string', format: 'uuid' },
    patientId: { type: 'string', format: 'uuid' },
    start: { type: 'string', format: 'date-time' },
    end: { type: 'string', format: 'date-time' },
    modality: { type: 'string' },
    status: { const: 'booked' },
    triage: schema(bookedTriageSchema),
  },
};
/** Triage dispositions are answers, not errors: 201 booked (virtual-ok or needs-review), 200 not booked (emergency, in person). */
const bookingAnswers = {
  201: answer('Booked. triage.disposition is virtual-ok, or needs-review (a nurse or provider reviews the intake first; the guidance says how to get urgent help meanwhile)', bookedAnswer),
  200: answer('Not booked, by triage: emergency (call 911; crisis: 988 and 911), or in-person (no video or phone visit; in-person slots and a waitlist request offered)', {
    // Told apart by triage.disposition (OpenAPI's discriminator only reads top-level properties).
    oneOf: [schema(emergencyAnswerSchema), schema(inPersonAnswerSchema)],
  }),
};

const get = (summary: string) => ({ get: { summary, responses: { 200: { description: 'OK', ...json }, ...errors } } });

export function schedulingOpenApi() {
  return {
    openapi: '3.1.0',
    info: { title: 'Carebridge scheduling', version: '1.0.0', description: 'Providers, availability, slot search, booking with triage, waitlist, FHIR R4 views.' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths: {
      '/v1/providers': post('Register a provider', registerProviderBody, true, { 201: { description: 'Registered', ...json } }),
      '/v1/providers/{providerId}': get('A provider with availability'),
      '/v1/providers/{providerId}/availability': {
        put: {
          summary: 'Set weekly availability',
          requestBody: { required: true, content: { 'application/json': { schema: schema(weeklyAvailabilityBody) } } },
          responses: { 200: { description: 'Set', ...json }, ...errors },
        },
      },
      '/v1/providers/{providerId}/licences': {
        put: {
          summary: 'Renew or change state licences (with expiry dates)',
          requestBody: { required: true, content: { 'application/json': { schema: schema(licencesBody) } } },
          responses: { 200: { description: 'Updated', ...json }, ...errors },
        },
      },
      '/v1/providers/{providerId}/availability/exceptions': post('Add time off or extra hours', availabilityExceptionBody, true, {
        201: { description: 'Added', ...json },
      }),
      '/v1/providers/{providerId}/group-sessions': {
        post: {
          summary: 'Schedule a group session (slot start, capacity) patients book seats of',
          requestBody: { required: true, content: { 'application/json': { schema: schema(groupSessionBody) } } },
          responses: { 201: { description: 'Scheduled', ...json }, ...errors },
        },
      },
      '/v1/slots': {
        get: {
          summary: 'Free slots by specialty, modality, patient state and dates, in the requester time zone',
          parameters: queryParameters(findSlotsQuery),
          responses: { 200: { description: 'OK', ...json }, ...errors },
        },
      },
      '/v1/group-sessions': {
        get: {
          summary: 'Group sessions with free seats by specialty, modality, patient state and dates (book a seat with groupSessionId)',
          parameters: queryParameters(findGroupSessionsQuery),
          responses: { 200: { description: 'OK', ...json }, ...errors },
        },
      },
      '/v1/slot-holds': post('Hold a slot ($hold)', holdSlotBody, true, { 201: { description: 'Held', ...json } }),
      '/v1/appointments': {
        ...post('Book ($book) after triage of the coded symptoms and everything the patient wrote; several providers with additionalProviderIds (all or none)', bookAppointmentBody, true, bookingAnswers),
        get: { ...get('My appointments (patient) or my schedule (provider)').get, parameters: queryParameters(appointmentListQuery) },
      },
      '/v1/appointment-series': post('Book a weekly or monthly series (triage as for one booking: the first occurrence answers an emergency or in-person redirection)', seriesBody, true, {
        201: { description: 'Booked', ...json },
        200: bookingAnswers[200],
      }),
      '/v1/triage-reviews': {
        get: {
          summary: "The review queue: booked appointments whose intake needs a nurse's or provider's review (provider: own; ops: all)",
          parameters: queryParameters(triageQueueQuery),
          responses: { 200: { description: 'OK', ...json }, ...errors },
        },
      },
      '/v1/appointments/{appointmentId}/triage-review': post('Review a needs-review intake (TriageReviewed; in-person or emergency cancels a video or phone visit)', triageReviewBody, false, {
        200: { description: 'Reviewed', ...json },
      }),
      '/v1/appointments/{appointmentId}': get('One appointment, with coverage'),
      '/v1/appointments/{appointmentId}/cancel': post('Cancel', cancelBody, false, { 200: { description: 'Cancelled', ...json } }),
      '/v1/appointments/{appointmentId}/reschedule': post('Reschedule', rescheduleBody, false, { 200: { description: 'Moved', ...json } }),
      '/v1/appointments/{appointmentId}/check-in': { post: { summary: 'Check in', responses: { 200: { description: 'Checked in', ...json }, ...errors } } },
      '/v1/appointments/{appointmentId}/no-show': { post: { summary: 'Mark a no-show', responses: { 200: { description: 'Marked', ...json }, ...errors } } },
      '/v1/appointments/{appointmentId}/intake': {
        get: { ...get('Intake (every read recorded with actor and purpose)').get, parameters: queryParameters(intakeQuery) },
      },
      '/v1/appointments/{appointmentId}/attachments': {
        post: {
          summary: 'Upload a photo (raw body)',
          'x-carebridge-max-body-bytes': MAX_ATTACHMENT_BYTES,
          requestBody: { required: true, content: { 'image/jpeg': {}, 'image/png': {}, 'image/heic': {} } },
          responses: { 201: { description: 'Stored', ...json }, 413: problem, ...errors },
        },
      },
      '/v1/appointments/{appointmentId}/attachments/{sha256}': get('Download an intake photo (always as an attachment, nosniff; ?purpose= recorded)'),
      '/v1/patients/{patientId}/contact': {
        put: {
          summary: "Record the patient's e-mail, phone, accepted channels and time zone (never in events or on Kafka)",
          requestBody: { required: true, content: { 'application/json': { schema: schema(patientContactBody) } } },
          responses: { 200: { description: 'Recorded', ...json }, ...errors },
        },
        get: {
          summary: "The patient's contact (the read is recorded with its purpose)",
          parameters: queryParameters(contactReadQuery),
          responses: { 200: { description: 'OK', ...json }, ...errors },
        },
        delete: { summary: 'Erase the contact', responses: { 204: { description: 'Erased' }, ...errors } },
      },
      '/v1/waitlist': post('Join the waitlist', joinWaitlistBody, true, { 201: { description: 'Joined', ...json } }),
      '/v1/waitlist/{entryId}': get('A waitlist entry and its offers'),
      ...fhirOpenApiPaths(SCHEDULING_FHIR),
    },
  };
}
