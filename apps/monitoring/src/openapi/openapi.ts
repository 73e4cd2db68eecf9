import { fhirOpenApiPaths } from '@carebridge/fhir-http';
import { MONITORING_FHIR } from '../fhir/fhir-server';
import { z } from 'zod';
import { withPathParameters } from '@carebridge/platform';
import { adjustRuleBody, assignDeviceBody, endAssignmentBody, enrolBody, minutesBody, registerDeviceBody } from '../enrolment/enrolment.schemas';
import { batchBody, readingBody } from '../readings/readings.schemas';
import { READING_KINDS } from '../readings/readings.events';
import { closeBody } from '../rpm/rpm.http';

/** Request bodies come from the same zod schemas the controllers parse with, so the document cannot drift from them. */
const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

const problem = { description: 'problem+json (RFC 9457) with a stable `code`', content: { 'application/problem+json': {} } };
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };
const json = { content: { 'application/json': {} } };
const idempotency = [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', minLength: 8, maxLength: 200 } }];

function post(summary: string, body: z.ZodType | undefined, idempotent: boolean, ok: Record<string, unknown>) {
  return {
    post: {
      summary,
      ...(idempotent && { parameters: idempotency }),
      ...(body && { requestBody: { required: true, content: { 'application/json': { schema: schema(body) } } } }),
      responses: { ...ok, ...errors },
    },
  };
}
const get = (summary: string, content: Record<string, unknown> = json, parameters?: readonly Record<string, unknown>[]) => ({
  get: { summary, ...(parameters && { parameters }), responses: { 200: { description: 'OK', ...content }, ...errors } },
});

/** Query parameters the controllers read, declared so the platform's request gate checks them before any handler. */
const instant = { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'string', format: 'date' }] };
const query = (name: string, schema: Record<string, unknown>, required = false) => ({ name, in: 'query', required, schema });
/** Devices and gateways: their own, larger rate limits (README, "Input limits and rate limits"). */
const deviceIngestion = { 'x-carebridge-rate-limit': 'device-ingestion' };

const batchResult = {
  description: 'One result per reading, in request order: accepted, duplicate or rejected with a reason',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          accepted: { type: 'integer' },
          duplicates: { type: 'integer' },
          rejected: { type: 'integer' },
          results: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                index: { type: 'integer' },
                status: { enum: ['accepted', 'duplicate', 'rejected'] },
                readingId: { type: 'string', format: 'uuid' },
                reason: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
};

export function monitoringOpenApi() {
  return withPathParameters(monitoringDocument(), ['ruleId']);
}

function monitoringDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'Carebridge monitoring', version: '1.0.0', description: 'Remote patient monitoring: devices, readings, care plans, alerts, live view, RPM periods, FHIR R4 views.' },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        deviceKey: { type: 'apiKey', in: 'header', name: 'X-Device-Key' },
      },
      schemas: { Reading: schema(readingBody) },
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/patients/{patientId}/enrolment': post('Enrol a patient (conditions, care team in escalation order)', enrolBody, true, { 201: { description: 'Enrolled', ...json } }),
      '/v1/patients/{patientId}/consent': post('The patient consents to remote monitoring', undefined, false, { 201: { description: 'Recorded', ...json } }),
      '/v1/patients/{patientId}/care-plan': get('Conditions and effective rules with their clinical source'),
      '/v1/patients/{patientId}/care-plan/rules/{ruleId}': {
        put: { summary: 'Adjust one rule for this patient', requestBody: { required: true, content: { 'application/json': { schema: schema(adjustRuleBody) } } }, responses: { 200: { description: 'Adjusted', ...json }, ...errors } },
      },
      '/v1/patients/{patientId}/interactive-minutes': post('Log RPM management or interpretation minutes', minutesBody, true, { 201: { description: 'Logged', ...json } }),
      '/v1/devices': post('Register a device', registerDeviceBody, true, { 201: { description: 'Registered', ...json } }),
      '/v1/devices/{deviceId}': get('A device and its assignments'),
      '/v1/devices/{deviceId}/assignments': post('Assign a device to a patient for a period (returns the device API key once)', assignDeviceBody, true, {
        201: { description: 'Assigned', ...json },
      }),
      '/v1/devices/{deviceId}/assignments/{assignmentId}/key': post('A new API key for the assignment, returned once; the previous key stops working', undefined, true, {
        201: { description: 'Key renewed', ...json },
      }),
      '/v1/devices/{deviceId}/assignments/{assignmentId}/end': post('End an assignment', endAssignmentBody, false, { 201: { description: 'Ended', ...json } }),
      '/v1/readings/batch': { post: { ...post('Up to 1,000 readings (device gateways with an ops token, or a patient for their own devices)', batchBody, false, { 200: batchResult }).post, ...deviceIngestion } },
      '/v1/devices/{deviceId}/readings': {
        post: {
          summary: 'A device posts its own readings with the API key of its assignment',
          security: [{ deviceKey: [] }],
          ...deviceIngestion,
          requestBody: { required: true, content: { 'application/json': { schema: schema(batchBody) } } },
          responses: { 200: batchResult, ...errors },
        },
      },
      '/v1/patients/{patientId}/readings': get('Readings by kind and time', json, [query('kind', { enum: [...READING_KINDS] }), query('from', instant), query('to', instant)]),
      '/v1/patients/{patientId}/readings/live': get('Live readings (Server-Sent Events)', { content: { 'text/event-stream': {} } }),
      '/v1/patients/{patientId}/alerts': get('Alerts, optionally by status', json, [query('status', { enum: ['open', 'acknowledged', 'resolved'] })]),
      '/v1/patients/{patientId}/adherence': get('Pharmacy fills in force and doses taken or missed over the last `days` days (default 7)', json, [
        query('days', { type: 'integer', minimum: 1, maximum: 90 }),
      ]),
      '/v1/alerts/{alertId}/acknowledge': post('Acknowledge (stops escalation)', undefined, false, { 200: { description: 'Acknowledged', ...json } }),
      '/v1/alerts/{alertId}/resolve': post('Resolve', undefined, false, { 200: { description: 'Resolved', ...json } }),
      '/v1/rpm/periods/close-due': post('Close ended RPM periods (ops); optionally only some patients (patientIds)', closeBody, false, { 200: { description: 'Closed periods with codes', ...json } }),
      '/v1/patients/{patientId}/rpm-periods': get('Closed RPM periods with codes'),
      ...fhirOpenApiPaths(MONITORING_FHIR),
    },
  };
}
