import { z } from 'zod';
import { documentWithAccessPolicy } from '@carebridge/access-audit';
import { fhirOperations } from '@carebridge/fhir-http';
import { type ApiOperation, type ApiParameter, idempotencyKeyParameter, openApiDocument } from '@carebridge/platform';
import { MONITORING_ACCESS_POLICY } from '../monitoring.access-policy';
import { MONITORING_FHIR } from '../fhir/monitoring.fhir-server';
import { adjustRuleBody, assignDeviceBody, endAssignmentBody, enrolBody, minutesBody, registerDeviceBody } from '../enrolment/enrolment.schemas';
import { batchBody } from '../readings/readings.schemas';
import { READING_KINDS } from '../readings/readings.events';
import { closeBody } from '../rpm/rpm.http';
import * as answers from './responses.schemas';

/** Request bodies come from the same zod schemas the controllers parse with, so the document cannot drift from them. */
const idempotency = [idempotencyKeyParameter(true)];
/** Query parameters the controllers read, declared so the platform's request gate checks them before any handler. */
const instant = { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'string', format: 'date' }] };
const query = (name: string, schema: Record<string, unknown>, required = false): ApiParameter => ({ name, in: 'query', required, schema });
/** Devices and gateways: their own, larger rate limits (README, "Input limits and rate limits"). */
const deviceIngestion = { 'x-carebridge-rate-limit': 'device-ingestion' } as const;
const ok = (description: string, schema: z.ZodType) => ({ description, schema });
const batchResult = ok('One result per reading, in request order: accepted, duplicate or rejected with a reason', answers.batchResult);

const OPERATIONS: readonly ApiOperation[] = [
  { method: 'post', path: '/v1/patients/{patientId}/enrolment', operationId: 'enrolPatient', summary: 'Enrol a patient (conditions, care team in escalation order)', headers: idempotency, body: enrolBody, responses: { 201: ok('Enrolled', answers.enrolled) } },
  { method: 'post', path: '/v1/patients/{patientId}/consent', operationId: 'recordConsent', summary: 'The patient consents to remote monitoring', responses: { 201: ok('Recorded', answers.consented) } },
  { method: 'get', path: '/v1/patients/{patientId}/care-plan', operationId: 'getCarePlan', summary: 'Conditions and effective rules with their clinical source', responses: { 200: ok('The care plan', answers.carePlan) } },
  {
    method: 'put',
    path: '/v1/patients/{patientId}/care-plan/rules/{ruleId}',
    operationId: 'adjustCarePlanRule',
    summary: 'Adjust one rule for this patient',
    pathParameters: { ruleId: { type: 'string', minLength: 1, maxLength: 100 } },
    body: adjustRuleBody,
    responses: { 200: ok('Adjusted: the effective rule', answers.adjustedRule) },
  },
  { method: 'post', path: '/v1/patients/{patientId}/interactive-minutes', operationId: 'logInteractiveMinutes', summary: 'Log RPM management or interpretation minutes', headers: idempotency, body: minutesBody, responses: { 201: ok('Logged', answers.minutesLogged) } },
  { method: 'post', path: '/v1/devices', operationId: 'registerDevice', summary: 'Register a device', headers: idempotency, body: registerDeviceBody, responses: { 201: ok('Registered', answers.deviceRegistered) } },
  { method: 'get', path: '/v1/devices/{deviceId}', operationId: 'getDevice', summary: 'A device and its assignments', responses: { 200: ok('The device', answers.device) } },
  {
    method: 'post',
    path: '/v1/devices/{deviceId}/assignments',
    operationId: 'assignDevice',
    summary: 'Assign a device to a patient for a period (returns the device API key once)',
    headers: idempotency,
    body: assignDeviceBody,
    responses: { 201: ok('Assigned', answers.assignment) },
  },
  {
    method: 'post',
    path: '/v1/devices/{deviceId}/assignments/{assignmentId}/key',
    operationId: 'renewDeviceKey',
    summary: 'A new API key for the assignment, returned once; the previous key stops working',
    headers: idempotency,
    responses: { 201: ok('Key renewed', answers.keyRenewed) },
  },
  { method: 'post', path: '/v1/devices/{deviceId}/assignments/{assignmentId}/end', operationId: 'endDeviceAssignment', summary: 'End an assignment', body: endAssignmentBody, responses: { 201: ok('Ended', answers.assignmentEnded) } },
  {
    method: 'post',
    path: '/v1/readings/batch',
    operationId: 'postReadingsBatch',
    summary: 'Up to 1,000 readings (device gateways with an ops token, or a patient for their own devices)',
    body: batchBody,
    responses: { 200: batchResult },
    extensions: deviceIngestion,
  },
  {
    method: 'post',
    path: '/v1/devices/{deviceId}/readings',
    operationId: 'postDeviceReadings',
    summary: 'A device posts its own readings with the API key of its assignment',
    security: [{ deviceKey: [] }],
    body: batchBody,
    responses: { 200: batchResult },
    extensions: deviceIngestion,
  },
  {
    method: 'get',
    path: '/v1/patients/{patientId}/readings',
    operationId: 'listReadings',
    summary: 'Readings by kind and time',
    query: [query('kind', { enum: [...READING_KINDS] }), query('from', instant), query('to', instant)],
    responses: { 200: ok('Readings, oldest first', answers.readings) },
  },
  {
    method: 'get',
    path: '/v1/patients/{patientId}/readings/live',
    operationId: 'streamLiveReadings',
    summary: 'Live readings (Server-Sent Events)',
    responses: { 200: { description: 'A stream of `reading` events, each a JSON reading', schema: { type: 'string' }, mediaType: 'text/event-stream' } },
  },
  {
    method: 'get',
    path: '/v1/patients/{patientId}/alerts',
    operationId: 'listAlerts',
    summary: 'Alerts, optionally by status',
    query: [query('status', { enum: ['open', 'acknowledged', 'resolved'] })],
    responses: { 200: ok('Alerts', answers.alerts) },
  },
  {
    method: 'get',
    path: '/v1/patients/{patientId}/adherence',
    operationId: 'getAdherence',
    summary: 'Pharmacy fills in force and doses taken or missed over the last `days` days (default 7)',
    query: [query('days', { type: 'integer', minimum: 1, maximum: 90 })],
    responses: { 200: ok('Adherence', answers.adherence) },
  },
  { method: 'post', path: '/v1/alerts/{alertId}/acknowledge', operationId: 'acknowledgeAlert', summary: 'Acknowledge (stops escalation)', responses: { 200: ok('Acknowledged: the alert', answers.alert) } },
  { method: 'post', path: '/v1/alerts/{alertId}/resolve', operationId: 'resolveAlert', summary: 'Resolve', responses: { 200: ok('Resolved: the alert', answers.alert) } },
  {
    method: 'post',
    path: '/v1/rpm/periods/close-due',
    operationId: 'closeDueRpmPeriods',
    summary: 'Close ended RPM periods (ops); optionally only some patients (patientIds)',
    body: closeBody,
    responses: { 200: ok('Closed periods with codes', answers.closedPeriods) },
  },
  { method: 'get', path: '/v1/patients/{patientId}/rpm-periods', operationId: 'listRpmPeriods', summary: 'Closed RPM periods with codes', responses: { 200: ok('Closed periods', answers.rpmPeriods) } },
  // FHIR R4 at `/v1/fhir`, from the spec the CapabilityStatement and the conformance test use.
  ...fhirOperations(MONITORING_FHIR),
];

/** The document as served, checked by the request gate and linted (`npm run lint`): with the access policy's x-roles, x-phi, x-relationship. */
export function monitoringOpenApi() {
  const document = openApiDocument({
    title: 'Carebridge monitoring',
    version: '1.0.0',
    description: 'Remote patient monitoring: devices, readings, care plans, alerts, live view, RPM periods, FHIR R4 views.',
    securitySchemes: { deviceKey: { type: 'apiKey', in: 'header', name: 'X-Device-Key' } },
    operations: OPERATIONS,
  });
  return documentWithAccessPolicy(document, MONITORING_ACCESS_POLICY);
}
