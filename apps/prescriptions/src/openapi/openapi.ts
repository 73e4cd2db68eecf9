import { fhirOpenApiPaths } from '@carebridge/fhir-http';
import { PRESCRIPTIONS_FHIR } from '../prescription-view/medication-request.fhir-server';
import { z } from 'zod';
import { allergyBody, preferredPharmacyBody } from '../patient-profile/patient-profile.http';
import { pharmacyDetailsBody, registerPharmacyBody } from '../pharmacy/pharmacy-directory.http';
import { cancelBody } from '../prescription/cancel-prescription.http';
import { draftPrescriptionBody, reviseDraftBody } from '../prescription/draft-prescription.http';
import { changeResponseBody, pharmacyMessageBody } from '../prescription/pharmacy-messages.http';
import { renewalRequestBody, renewalResponseBody } from '../prescription/renewals.http';
import { signBody } from '../prescription/sign-prescription.http';
import { deaRegistrationBody, identityProofingBody, revocationBody, stateLicenceBody } from '../prescriber-credential/prescriber-credential.http';

type Role = 'provider' | 'patient' | 'pharmacy' | 'ops';

interface Operation {
  readonly method: 'get' | 'post' | 'put';
  readonly path: string;
  readonly summary: string;
  readonly roles: readonly Role[];
  readonly body?: z.ZodType;
  readonly success: number;
  /** Query parameters the controller reads (checked by the request gate before the handler). */
  readonly query?: readonly { name: string; schema: Record<string, unknown> }[];
  /** `login`, `one-time-code`: stricter rate limits (README, "Input limits and rate limits"). */
  readonly rateLimit?: 'login' | 'one-time-code';
}

/** Path parameters: ids are UUIDs, except the external identifiers (NCPDP, DEA, state codes). */
const PATH_SCHEMAS: Record<string, Record<string, unknown>> = {
  ncpdpId: { type: 'string', pattern: '^\\d{7}$' },
  deaNumber: { type: 'string', pattern: '^[A-Z][A-Z9]\\d{7}$' },
  state: { type: 'string', pattern: '^[A-Z]{2}$' },
};
const id = (name: string) => ({ name, in: 'path', required: true, schema: PATH_SCHEMAS[name] ?? (name.endsWith('Id') ? { type: 'string', format: 'uuid' } : { type: 'string', maxLength: 200 }) });
const OPERATIONS: readonly Operation[] = [
  { method: 'post', path: '/v1/pharmacies', summary: 'List a pharmacy in the directory', roles: ['ops'], body: registerPharmacyBody, success: 201 },
  { method: 'get', path: '/v1/pharmacies', summary: 'Search the pharmacy directory (state, city)', roles: ['provider', 'patient', 'pharmacy', 'ops'], query: [{ name: 'state', schema: { type: 'string', pattern: '^[A-Z]{2}$' } }, { name: 'city', schema: { type: 'string', maxLength: 100 } }], success: 200 },
  { method: 'put', path: '/v1/pharmacies/{ncpdpId}', summary: "Change a pharmacy's details (hours, e-prescribing flag)", roles: ['ops'], body: pharmacyDetailsBody, success: 200 },
  { method: 'get', path: '/v1/pharmacies/{ncpdpId}', summary: 'One pharmacy by NCPDP id', roles: ['provider', 'patient', 'pharmacy', 'ops'], success: 200 },
  { method: 'get', path: '/v1/rules/horizon', summary: 'DEA telemedicine rule sets ending within 120 days with no successor (the Ryan Haight baseline is no successor), and every rule set with its sources', roles: ['ops', 'provider'], query: [{ name: 'on', schema: { type: 'string', format: 'date' } }], success: 200 },
  { method: 'put', path: '/v1/patients/{patientId}/preferred-pharmacy', summary: "Choose the patient's preferred pharmacy", roles: ['patient'], body: preferredPharmacyBody, success: 200 },
  { method: 'post', path: '/v1/patients/{patientId}/allergies', summary: 'Record an allergy (RxNorm ingredient)', roles: ['patient', 'provider'], body: allergyBody, success: 201 },
  { method: 'get', path: '/v1/patients/{patientId}/medication-profile', summary: 'Preferred pharmacy and allergies', roles: ['patient', 'provider'], success: 200 },
  { method: 'post', path: '/v1/prescribers/me/one-time-code', summary: "Enrol the prescriber's TOTP authenticator", roles: ['provider'], success: 201, rateLimit: 'login' },
  {
    method: 'put',
    path: '/v1/prescribers/{providerId}/identity-proofing',
    summary: "Record the prescriber's identity proofing: credential service provider, NIST SP 800-63-3 IAL2 or higher, date, reference (21 CFR 1311.105)",
    roles: ['ops'],
    body: identityProofingBody,
    success: 200,
  },
  { method: 'put', path: '/v1/prescribers/{providerId}/dea-registrations/{deaNumber}', summary: 'Record a DEA registration: schedules, state, expiry', roles: ['ops'], body: deaRegistrationBody, success: 200 },
  { method: 'put', path: '/v1/prescribers/{providerId}/state-licences/{state}', summary: 'Record a state licence: number, expiry', roles: ['ops'], body: stateLicenceBody, success: 200 },
  {
    method: 'post',
    path: '/v1/prescribers/{providerId}/epcs-access/approvals',
    summary: 'Approve EPCS access; the second approval by a different individual grants it (one of the two a DEA registrant, neither the prescriber; 21 CFR 1311.125)',
    roles: ['ops', 'provider'],
    success: 201,
  },
  { method: 'post', path: '/v1/prescribers/{providerId}/epcs-access/revocation', summary: 'Revoke EPCS access (one individual suffices)', roles: ['ops', 'provider'], body: revocationBody, success: 200 },
  { method: 'get', path: '/v1/prescribers/{providerId}/credential', summary: "The prescriber's EPCS credential as recorded (ops, or the prescriber)", roles: ['ops', 'provider'], success: 200 },
  { method: 'post', path: '/v1/prescriptions', summary: 'Draft a NewRx', roles: ['provider'], body: draftPrescriptionBody, success: 201 },
  { method: 'put', path: '/v1/prescriptions/{prescriptionId}', summary: 'Complete or correct a draft (e.g. drafted from a visit intent)', roles: ['provider'], body: reviseDraftBody, success: 200 },
  { method: 'post', path: '/v1/prescriptions/{prescriptionId}/check', summary: 'Run allergy, duplicate-therapy and interaction checks', roles: ['provider'], success: 200 },
  { method: 'post', path: '/v1/prescriptions/{prescriptionId}/sign', summary: 'Sign and transmit; schedule II-V need identity proofing, a two-person EPCS grant, a DEA registration valid for the schedule and the TOTP code (403 naming what is missing); the record is signed with ES256', roles: ['provider'], body: signBody, success: 200, rateLimit: 'one-time-code' },
  { method: 'post', path: '/v1/prescriptions/{prescriptionId}/cancel', summary: 'Cancel (CancelRx once transmitted)', roles: ['provider'], body: cancelBody, success: 200 },
  { method: 'post', path: '/v1/prescriptions/{prescriptionId}/renewal-requests', summary: 'Ask for a renewal', roles: ['patient'], body: renewalRequestBody, success: 201 },
  {
    method: 'post',
    path: '/v1/prescriptions/{prescriptionId}/renewal-requests/{renewalRequestId}/response',
    summary: 'Approve, approve with changes or deny a renewal (RxRenewalResponse)',
    roles: ['provider'],
    body: renewalResponseBody,
    success: 200,
  },
  { method: 'post', path: '/v1/prescriptions/{prescriptionId}/pharmacy-messages', summary: 'A pharmacy answers (Status, Verify, Error, RxFill, RxChangeRequest, CancelRxResponse, RxRenewalRequest)', roles: ['pharmacy'], body: pharmacyMessageBody, success: 202 },
  {
    method: 'post',
    path: '/v1/prescriptions/{prescriptionId}/change-requests/{changeRequestId}/response',
    summary: 'Answer a pharmacy change request (RxChangeResponse)',
    roles: ['provider'],
    body: changeResponseBody,
    success: 200,
  },
  { method: 'get', path: '/v1/prescriptions', summary: "The caller's prescriptions (prescribed by, for, or routed to them)", roles: ['provider', 'patient', 'pharmacy'], query: [{ name: 'patientId', schema: { type: 'string', format: 'uuid' } }], success: 200 },
  { method: 'get', path: '/v1/prescriptions/{prescriptionId}', summary: 'One prescription (audited read)', roles: ['provider', 'patient', 'pharmacy'], success: 200 },
  {
    method: 'get',
    path: '/v1/prescriptions/{prescriptionId}/signature',
    summary: "The application's ES256 signature of the record: format, key id, SHA-256 digest of the canonical NewRx JSON, signature (21 CFR 1311.120(b))",
    roles: ['provider', 'patient', 'pharmacy'],
    success: 200,
  },
  {
    method: 'get',
    path: '/v1/prescriptions/{prescriptionId}/signature/verification',
    summary: 'Recompute the canonical NewRx content from the stored record and verify digest and signature',
    roles: ['provider', 'patient', 'pharmacy'],
    success: 200,
  },
  { method: 'get', path: '/v1/prescription-signing-keys', summary: 'Public keys of record signatures (JWKS, RFC 7517); no token needed', roles: [], success: 200 },
];

const problem = { description: 'application/problem+json (RFC 9457) with a stable code', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

/** The OpenAPI 3.1 description of the REST API, request bodies generated from the zod schemas the controllers parse with. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => id(m[1]!));
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      description: op.roles.length > 0 ? `Roles: ${op.roles.join(', ')}.` : 'Public.',
      security: op.roles.length > 0 ? [{ bearer: [] }] : [],
      parameters: [...params, ...(op.query ?? []).map((q) => ({ ...q, in: 'query', required: false })), ...(op.method === 'get' ? [] : [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', maxLength: 200 } }])],
      ...(op.rateLimit && { 'x-carebridge-rate-limit': op.rateLimit }),
      ...(op.body && { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(op.body, { io: 'input', unrepresentable: 'any' }) } } } }),
      responses: { [op.success]: { description: 'OK' }, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Carebridge prescriptions', version: '1' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            code: { type: 'string', examples: ['PRESCRIPTION.HARD_STOP'] },
            errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
    paths: { ...paths, ...fhirOpenApiPaths(PRESCRIPTIONS_FHIR) },
  };
}
