import { z } from 'zod';
import { documentWithAccessPolicy } from '@carebridge/access-audit';
import { fhirOperations } from '@carebridge/fhir-http';
import { type ApiOperation, idempotencyKeyParameter, FILE, openApiDocument } from '@carebridge/platform';
import { VISITS_ACCESS_POLICY } from '../visits.access-policy';
import { purposeQuery } from '../visits.http-support';
import { licencesBody, dutyBody } from '../provider/licences.http';
import { joinQueueBody } from '../urgent-care/urgent-care.http';
import { diagnosisBody, noteBody, orderBody, symptomsBody, vitalsBody } from '../visit/clinical-record.http';
import { consultBody, discussionBody } from '../visit/consults.http';
import { asyncVisitBody, messageBody } from '../visit/messages.http';
import { completeBody, escalateBody } from '../visit/outcome.http';
import { connectionBody, modalityBody } from '../visit/video-room.http';
import { checkInBody } from '../visit/waiting-room.http';
import { ATTACHMENT_TYPES, MAX_UPLOAD_BYTES } from '../visit/attachment.rules';
import { VISITS_FHIR } from '../fhir/visits.fhir-server';
import * as answers from './responses.schemas';

/** Request bodies, queries and answers come from the zod schemas the controllers parse with and answer by (./responses). */
const idempotency = [idempotencyKeyParameter(true)];
const ok = (description: string, schema: z.ZodType) => ({ description, schema });
const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$' };
type Write = Pick<ApiOperation, 'method' | 'path' | 'operationId' | 'summary'> & { body?: z.ZodType; idempotent?: boolean; status?: number; answer: z.ZodType; ok?: string };
const write = (w: Write): ApiOperation => ({
  method: w.method,
  path: w.path,
  operationId: w.operationId,
  summary: w.summary,
  ...(w.idempotent && { headers: idempotency }),
  ...(w.body && { body: w.body }),
  responses: { [w.status ?? 200]: ok(w.ok ?? 'OK', w.answer) },
});
const visit = (path: string) => `/v1/visits/{visitId}${path}`;

const OPERATIONS: readonly ApiOperation[] = [
  write({ method: 'put', path: '/v1/providers/{providerId}/licences', operationId: 'registerProviderLicences', summary: 'Register the provider state licences with expiry (credentialing)', body: licencesBody, answer: answers.licences }),
  { method: 'get', path: '/v1/providers/{providerId}/licences', operationId: 'getProviderLicences', summary: 'The provider licences', responses: { 200: ok('Licences and the states they are valid in today', answers.licences) } },
  write({ method: 'put', path: '/v1/providers/{providerId}/urgent-care-duty', operationId: 'setUrgentCareDuty', summary: 'Go on or off urgent-care duty', body: dutyBody, answer: answers.licences }),
  { method: 'get', path: '/v1/appointments/{appointmentId}/visit', operationId: 'getAppointmentVisit', summary: 'The visit opened for a booked appointment', responses: { 200: ok('The visit', answers.appointmentVisit) } },
  { method: 'get', path: '/v1/waiting-room', operationId: 'getWaitingRoom', summary: 'Patients waiting for me, and for how long (provider)', responses: { 200: ok('Patients waiting', answers.waitingRoom) } },
  { method: 'get', path: visit(''), operationId: 'readVisitRecord', summary: 'The visit record (audited read)', query: purposeQuery, responses: { 200: ok('The record', answers.record) } },
  { method: 'get', path: visit('/summary'), operationId: 'readVisitSummary', summary: 'After-visit summary (audited read)', query: purposeQuery, responses: { 200: ok('The summary', answers.summary) } },
  { method: 'get', path: visit('/access-log'), operationId: 'readVisitAccessLog', summary: 'Who read the record, when and why', responses: { 200: ok('Reads of the record', answers.accessLog) } },
  write({ method: 'post', path: visit('/check-in'), operationId: 'checkInVisit', summary: 'Check in with the device check and the confirmed location', body: checkInBody, answer: answers.checkedIn }),
  write({ method: 'post', path: visit('/leave'), operationId: 'leaveWaitingRoom', summary: 'Leave the waiting room (left before seen)', answer: answers.visitStatus }),
  write({ method: 'post', path: visit('/admit'), operationId: 'admitPatient', summary: 'Admit the patient (licence in the patient location checked again)', answer: answers.admitted }),
  {
    method: 'post',
    path: visit('/room-token'),
    operationId: 'issueRoomToken',
    summary: 'A short-lived join token for this participant and this visit room (LiveKit-compatible)',
    responses: { 201: ok('Token', answers.roomToken) },
    problems: [400, 401, 403, 404, 409, 422, 429, 503],
  },
  write({ method: 'post', path: visit('/connection'), operationId: 'reportConnection', summary: 'Report a media disconnect or reconnect', body: connectionBody, answer: answers.connection }),
  write({ method: 'post', path: visit('/modality'), operationId: 'switchModality', summary: 'Switch between video and phone (no-video after the configured time, or requested)', body: modalityBody, answer: answers.modality }),
  write({ method: 'put', path: visit('/symptoms'), operationId: 'reviewSymptoms', summary: 'History and symptoms reviewed (red flags escalate)', body: symptomsBody, answer: answers.symptomsReviewed }),
  write({ method: 'post', path: visit('/vitals'), operationId: 'recordVitals', summary: 'Home vitals (ranges and units checked: 422 names field and range)', body: vitalsBody, idempotent: true, status: 201, answer: answers.vitalsRecorded }),
  write({ method: 'put', path: visit('/note'), operationId: 'writeNote', summary: 'The SOAP note', body: noteBody, answer: answers.note }),
  write({ method: 'post', path: visit('/diagnoses'), operationId: 'addDiagnosis', summary: 'An ICD-10-CM diagnosis', body: diagnosisBody, status: 201, answer: answers.diagnoses }),
  write({ method: 'post', path: visit('/orders'), operationId: 'placeOrder', summary: 'An order (lab, imaging)', body: orderBody, idempotent: true, status: 201, answer: answers.order }),
  {
    method: 'post',
    path: visit('/attachments'),
    operationId: 'shareFile',
    summary: 'Share a file (raw body): photos, DICOM, PDF, short mp4/webm clips',
    body: { media: Object.fromEntries(ATTACHMENT_TYPES.map((t) => [t, undefined])) },
    responses: { 201: ok('Shared', answers.attachmentShared) },
    // The largest type's limit; each type's own is checked by the handler, after authentication.
    extensions: { 'x-carebridge-max-body-bytes': MAX_UPLOAD_BYTES },
  },
  {
    method: 'get',
    path: visit('/attachments/{sha256}'),
    operationId: 'downloadFile',
    summary: 'Download a shared file (always as an attachment, nosniff; audited read)',
    pathParameters: { sha256 },
    query: purposeQuery,
    responses: { 200: { description: 'The file, with its stored type', schema: FILE, mediaType: [...ATTACHMENT_TYPES] } },
  },
  write({ method: 'post', path: visit('/messages'), operationId: 'sendMessage', summary: 'A secure message (asynchronous modality)', body: messageBody, idempotent: true, status: 201, answer: answers.message }),
  write({ method: 'post', path: '/v1/asynchronous-visits', operationId: 'openAsynchronousVisit', summary: 'Write to a provider: opens an asynchronous visit', body: asyncVisitBody, idempotent: true, status: 201, answer: answers.asyncVisit }),
  write({ method: 'post', path: visit('/consults'), operationId: 'inviteConsult', summary: 'Invite a specialist or a care team', body: consultBody, idempotent: true, status: 201, answer: answers.consult }),
  write({ method: 'post', path: visit('/consults/{consultId}/join'), operationId: 'joinConsult', summary: 'An invited provider joins the consult', answer: answers.consultJoined }),
  write({ method: 'post', path: visit('/consults/{consultId}/discussion'), operationId: 'discussConsult', summary: 'Provider-to-provider discussion', body: discussionBody, status: 201, answer: answers.consult }),
  write({ method: 'post', path: visit('/escalate'), operationId: 'escalateVisit', summary: 'Escalate to emergency care', body: escalateBody, answer: answers.summary, ok: 'Escalated: the after-visit summary' }),
  write({ method: 'post', path: visit('/complete'), operationId: 'completeVisit', summary: 'Complete with an outcome; answers the after-visit summary', body: completeBody, answer: answers.summary, ok: 'Completed: the after-visit summary' }),
  write({ method: 'post', path: '/v1/urgent-care/queue', operationId: 'joinUrgentCareQueue', summary: 'Join the urgent-care queue of the state you are in', body: joinQueueBody, idempotent: true, status: 201, answer: answers.queued }),
  { method: 'get', path: '/v1/urgent-care/queue/{visitId}', operationId: 'getUrgentCarePosition', summary: 'Queue position and estimated wait', responses: { 200: ok('Position and estimated wait', answers.queuePosition) } },
  write({ method: 'post', path: '/v1/urgent-care/next', operationId: 'takeNextUrgentCarePatient', summary: 'Take the next patient (provider on duty, licensed in the patient state)', idempotent: true, answer: answers.nextPatient }),
  // FHIR R4 at `/fhir/R4`, from the spec the CapabilityStatement and the conformance test use.
  ...fhirOperations(VISITS_FHIR),
];

/** The document as served, checked by the request gate and linted (`npm run lint`): with the access policy's x-roles, x-phi, x-relationship. */
export function visitsOpenApi() {
  const document = openApiDocument({
    title: 'Carebridge visits',
    version: '1.0.0',
    description:
      'Waiting room, video room tokens, connection trouble and modality switch, the clinical record, shared results, consults, red-flag escalation, outcomes; urgent-care queue; FHIR R4 Encounter and Observation views. Every read of a record is audited with actor and purpose.',
    operations: OPERATIONS,
  });
  return documentWithAccessPolicy(document, VISITS_ACCESS_POLICY);
}
