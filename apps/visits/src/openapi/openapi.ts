import { z } from 'zod';
import { licencesBody, dutyBody } from '../provider/licences.http';
import { joinQueueBody } from '../urgent-care/urgent-care.http';
import { diagnosisBody, noteBody, orderBody, symptomsBody, vitalsBody } from '../visit/clinical-record.http';
import { consultBody, discussionBody } from '../visit/consults.http';
import { asyncVisitBody, messageBody } from '../visit/messages.http';
import { completeBody, escalateBody } from '../visit/outcome.http';
import { connectionBody, modalityBody } from '../visit/video-room.http';
import { checkInBody } from '../visit/waiting-room.http';
import { ATTACHMENT_TYPES, MAX_UPLOAD_BYTES } from '../visit/attachment.rules';
import { fhirOpenApiPaths } from '@carebridge/fhir-http';
import { VISITS_FHIR } from '../fhir/fhir-server';

/** Request bodies come from the same zod schemas the controllers parse with, so the document cannot drift from them. */
const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

const problem = { description: 'problem+json (RFC 9457) with a stable `code`', content: { 'application/problem+json': {} } };
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };
const json = { content: { 'application/json': {} } };
const idempotencyKey = { name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', minLength: 8, maxLength: 200 } };
const purpose = { name: 'purpose', in: 'query', required: true, schema: { type: 'string', enum: ['treatment', 'payment', 'operations', 'patient-access'] } };

function write(method: 'post' | 'put', summary: string, body: z.ZodType | undefined, options: { idempotent?: boolean; status?: number } = {}) {
  return {
    [method]: {
      summary,
      ...(options.idempotent && { parameters: [idempotencyKey] }),
      ...(body && { requestBody: { required: true, content: { 'application/json': { schema: schema(body) } } } }),
      responses: { [options.status ?? 200]: { description: 'OK', ...json }, ...errors },
    },
  };
}
const post = (summary: string, body?: z.ZodType, options?: { idempotent?: boolean; status?: number }) => write('post', summary, body, options);
const put = (summary: string, body: z.ZodType) => write('put', summary, body);
const get = (summary: string, audited = false) => ({
  get: { summary, ...(audited && { parameters: [purpose] }), responses: { 200: { description: 'OK', ...json }, ...errors } },
});

export function visitsOpenApi() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Carebridge visits',
      version: '1.0.0',
      description:
        'Waiting room, video room tokens, connection trouble and modality switch, the clinical record, shared results, consults, red-flag escalation, outcomes; urgent-care queue; FHIR R4 Encounter and Observation views. Every read of a record is audited with actor and purpose.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths: {
      '/v1/providers/{providerId}/licences': { ...put('Register the provider state licences with expiry (credentialing)', licencesBody), ...get('The provider licences') },
      '/v1/providers/{providerId}/urgent-care-duty': put('Go on or off urgent-care duty', dutyBody),
      '/v1/appointments/{appointmentId}/visit': get('The visit opened for a booked appointment'),
      '/v1/waiting-room': get('Patients waiting for me, and for how long (provider)'),
      '/v1/visits/{visitId}': get('The visit record (audited read)', true),
      '/v1/visits/{visitId}/summary': get('After-visit summary (audited read)', true),
      '/v1/visits/{visitId}/access-log': get('Who read the record, when and why'),
      '/v1/visits/{visitId}/check-in': post('Check in with the device check and the confirmed location', checkInBody),
      '/v1/visits/{visitId}/leave': post('Leave the waiting room (left before seen)'),
      '/v1/visits/{visitId}/admit': post('Admit the patient (licence in the patient location checked again)'),
      '/v1/visits/{visitId}/room-token': {
        post: {
          summary: 'A short-lived join token for this participant and this visit room (LiveKit-compatible)',
          responses: { 201: { description: 'Token', ...json }, 503: problem, ...errors },
        },
      },
      '/v1/visits/{visitId}/connection': post('Report a media disconnect or reconnect', connectionBody),
      '/v1/visits/{visitId}/modality': post('Switch between video and phone (no-video after the configured time, or requested)', modalityBody),
      '/v1/visits/{visitId}/symptoms': put('History and symptoms reviewed (red flags escalate)', symptomsBody),
      '/v1/visits/{visitId}/vitals': post('Home vitals (ranges and units checked: 422 names field and range)', vitalsBody, { idempotent: true, status: 201 }),
      '/v1/visits/{visitId}/note': put('The SOAP note', noteBody),
      '/v1/visits/{visitId}/diagnoses': post('An ICD-10-CM diagnosis', diagnosisBody, { status: 201 }),
      '/v1/visits/{visitId}/orders': post('An order (lab, imaging)', orderBody, { idempotent: true, status: 201 }),
      '/v1/visits/{visitId}/attachments': {
        post: {
          summary: 'Share a file (raw body): photos, DICOM, PDF, short mp4/webm clips',
          // The largest type's limit; each type's own is checked by the handler, after authentication.
          'x-carebridge-max-body-bytes': MAX_UPLOAD_BYTES,
          requestBody: { required: true, content: Object.fromEntries(ATTACHMENT_TYPES.map((t) => [t, {}])) },
          responses: { 201: { description: 'Shared', ...json }, 413: problem, 415: problem, ...errors },
        },
      },
      '/v1/visits/{visitId}/attachments/{sha256}': get('Download a shared file (always as an attachment, nosniff; audited read)', true),
      '/v1/visits/{visitId}/messages': post('A secure message (asynchronous modality)', messageBody, { idempotent: true, status: 201 }),
      '/v1/asynchronous-visits': post('Write to a provider: opens an asynchronous visit', asyncVisitBody, { idempotent: true, status: 201 }),
      '/v1/visits/{visitId}/consults': post('Invite a specialist or a care team', consultBody, { idempotent: true, status: 201 }),
      '/v1/visits/{visitId}/consults/{consultId}/join': post('An invited provider joins the consult'),
      '/v1/visits/{visitId}/consults/{consultId}/discussion': post('Provider-to-provider discussion', discussionBody, { status: 201 }),
      '/v1/visits/{visitId}/escalate': post('Escalate to emergency care', escalateBody),
      '/v1/visits/{visitId}/complete': post('Complete with an outcome; answers the after-visit summary', completeBody),
      '/v1/urgent-care/queue': post('Join the urgent-care queue of the state you are in', joinQueueBody, { idempotent: true, status: 201 }),
      '/v1/urgent-care/queue/{visitId}': get('Queue position and estimated wait'),
      '/v1/urgent-care/next': post('Take the next patient (provider on duty, licensed in the patient state)', undefined, { idempotent: true }),
      ...fhirOpenApiPaths(VISITS_FHIR),
    },
  };
}
