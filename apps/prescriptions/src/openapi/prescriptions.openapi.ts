import { z } from 'zod';
import { documentWithAccessPolicy } from '@carebridge/access-audit';
import { fhirOperations } from '@carebridge/fhir-http';
import { type ApiOperation, openApiDocument as buildDocument } from '@carebridge/platform';
import { PRESCRIPTIONS_ACCESS_POLICY } from '../http/prescriptions.access-policy';
import { allergyBody, preferredPharmacyBody } from '../patient-profile/patient-profile.http';
import { pharmacyDetailsBody, registerPharmacyBody, searchQuery } from '../pharmacy/pharmacy-directory.http';
import { cancelBody } from '../prescription/cancel-prescription.http';
import { draftPrescriptionBody, reviseDraftBody } from '../prescription/draft-prescription.http';
import { changeResponseBody, pharmacyMessageBody } from '../prescription/pharmacy-messages.http';
import { renewalRequestBody, renewalResponseBody } from '../prescription/renewals.http';
import { signBody } from '../prescription/sign-prescription.http';
import { deaRegistrationBody, identityProofingBody, revocationBody, stateLicenceBody } from '../prescriber-credential/prescriber-credential.http';
import { PRESCRIPTIONS_FHIR } from '../prescription-view/medication-request.fhir-server';
import { listQuery } from '../prescription-view/prescription-view.http';
import { scriptMessagesQuery } from '../pharmacy-script-outbox/pharmacy-script-outbox.http';
import { horizonQuery } from '../prescription/rule-horizon.http';
import * as answers from './responses.schemas';

/** One operation: who may call it is the access policy's (x-roles); request and answer schemas are the handlers' zod schemas. */
interface Operation {
  readonly method: 'get' | 'post' | 'put';
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  /** No token needed. */
  readonly public?: true;
  readonly body?: z.ZodType;
  readonly success: number;
  readonly answer: z.ZodType;
  /** The answer's media type when not application/json. */
  readonly mediaType?: string;
  /** The zod schema the handler parses the query with (checked by the request gate before the handler). */
  readonly query?: z.ZodType;
  /** `login`, `one-time-code`: stricter rate limits (README, "Input limits and rate limits"). */
  readonly rateLimit?: 'login' | 'one-time-code';
}

/** Path parameters: ids are UUIDs, except the external identifiers (NCPDP, DEA, state codes). */
const PATH_SCHEMAS = {
  ncpdpId: { type: 'string', pattern: '^\\d{7}$' },
  deaNumber: { type: 'string', pattern: '^[A-Z][A-Z9]\\d{7}$' },
  state: { type: 'string', pattern: '^[A-Z]{2}$' },
};

const OPERATIONS: readonly Operation[] = [
  { method: 'post', path: '/v1/pharmacies', operationId: 'listPharmacy', answer: answers.pharmacyListed, summary: 'List a pharmacy in the directory', body: registerPharmacyBody, success: 201 },
  { method: 'get', path: '/v1/pharmacies', operationId: 'searchPharmacies', answer: answers.pharmacies, summary: 'Search the pharmacy directory (state, city)', query: searchQuery, success: 200 },
  { method: 'put', path: '/v1/pharmacies/{ncpdpId}', operationId: 'changePharmacyDetails', answer: answers.pharmacyChanged, summary: "Change a pharmacy's details (hours, e-prescribing flag)", body: pharmacyDetailsBody, success: 200 },
  { method: 'get', path: '/v1/pharmacies/{ncpdpId}', operationId: 'getPharmacy', answer: answers.pharmacy, summary: 'One pharmacy by NCPDP id', success: 200 },
  {
    method: 'get', path: '/v1/pharmacies/{ncpdpId}/script-messages', operationId: 'listScriptMessages', answer: answers.scriptMessages,
    summary: 'The NCPDP SCRIPT XML sent to this pharmacy (NewRx, CancelRx, RxRenewalResponse, RxChangeResponse), oldest first after a cursor; the pharmacy itself only (audited)',
    query: scriptMessagesQuery,
    success: 200,
  },
  { method: 'get', path: '/v1/rules/horizon', operationId: 'getRuleHorizon', answer: answers.horizon, summary: 'DEA telemedicine rule sets ending within 120 days with no successor (the Ryan Haight baseline is no successor), and every rule set with its sources', query: horizonQuery, success: 200 },
  { method: 'put', path: '/v1/patients/{patientId}/preferred-pharmacy', operationId: 'choosePreferredPharmacy', answer: answers.preferredPharmacy, summary: "Choose the patient's preferred pharmacy", body: preferredPharmacyBody, success: 200 },
  { method: 'post', path: '/v1/patients/{patientId}/allergies', operationId: 'recordAllergy', answer: answers.allergyRecorded, summary: 'Record an allergy (RxNorm ingredient)', body: allergyBody, success: 201 },
  { method: 'get', path: '/v1/patients/{patientId}/medication-profile', operationId: 'getMedicationProfile', answer: answers.medicationProfile, summary: 'Preferred pharmacy and allergies', success: 200 },
  { method: 'post', path: '/v1/prescribers/me/one-time-code', operationId: 'enrolOneTimeCode', answer: answers.oneTimeCodeEnrolment, summary: "Enrol the prescriber's TOTP authenticator", success: 201, rateLimit: 'login' },
  {
    method: 'put', path: '/v1/prescribers/{providerId}/identity-proofing', operationId: 'recordIdentityProofing', answer: answers.credentialChange,
    summary: "Record the prescriber's identity proofing: credential service provider, NIST SP 800-63-3 IAL2 or higher, date, reference (21 CFR 1311.105)",
    body: identityProofingBody,
    success: 200,
  },
  { method: 'put', path: '/v1/prescribers/{providerId}/dea-registrations/{deaNumber}', operationId: 'recordDeaRegistration', answer: answers.credentialChange, summary: 'Record a DEA registration: schedules, state, expiry', body: deaRegistrationBody, success: 200 },
  { method: 'put', path: '/v1/prescribers/{providerId}/state-licences/{state}', operationId: 'recordStateLicence', answer: answers.credentialChange, summary: 'Record a state licence: number, expiry', body: stateLicenceBody, success: 200 },
  {
    method: 'post', path: '/v1/prescribers/{providerId}/epcs-access/approvals', operationId: 'approveEpcsAccess', answer: answers.credentialChange,
    summary: 'Approve EPCS access; the second approval by a different individual grants it (one of the two a DEA registrant, neither the prescriber; 21 CFR 1311.125)',
    success: 201,
  },
  { method: 'post', path: '/v1/prescribers/{providerId}/epcs-access/revocation', operationId: 'revokeEpcsAccess', answer: answers.credentialChange, summary: 'Revoke EPCS access (one individual suffices)', body: revocationBody, success: 200 },
  { method: 'get', path: '/v1/prescribers/{providerId}/credential', operationId: 'getPrescriberCredential', answer: answers.credential, summary: "The prescriber's EPCS credential as recorded (ops, or the prescriber)", success: 200 },
  { method: 'post', path: '/v1/prescriptions', operationId: 'draftPrescription', answer: answers.prescriptionStatus, summary: 'Draft a NewRx', body: draftPrescriptionBody, success: 201 },
  { method: 'put', path: '/v1/prescriptions/{prescriptionId}', operationId: 'reviseDraft', answer: answers.prescriptionStatus, summary: 'Complete or correct a draft (e.g. drafted from a visit intent)', body: reviseDraftBody, success: 200 },
  { method: 'post', path: '/v1/prescriptions/{prescriptionId}/check', operationId: 'checkPrescription', answer: answers.checked, summary: 'Run allergy, duplicate-therapy and interaction checks', success: 200 },
  { method: 'post', path: '/v1/prescriptions/{prescriptionId}/sign', operationId: 'signPrescription', answer: answers.signed, summary: 'Sign and transmit; schedule II-V need identity proofing, a two-person EPCS grant, a DEA registration valid for the schedule and the TOTP code (403 naming what is missing); the record is signed with ES256', body: signBody, success: 200, rateLimit: 'one-time-code' },
  { method: 'post', path: '/v1/prescriptions/{prescriptionId}/cancel', operationId: 'cancelPrescription', answer: answers.prescriptionStatus, summary: 'Cancel (CancelRx once transmitted)', body: cancelBody, success: 200 },
  { method: 'post', path: '/v1/prescriptions/{prescriptionId}/renewal-requests', operationId: 'requestRenewal', answer: answers.renewalRequested, summary: 'Ask for a renewal', body: renewalRequestBody, success: 201 },
  {
    method: 'post', path: '/v1/prescriptions/{prescriptionId}/renewal-requests/{renewalRequestId}/response', operationId: 'answerRenewal', answer: answers.renewalAnswered,
    summary: 'Approve, approve with changes or deny a renewal (RxRenewalResponse)',
    body: renewalResponseBody,
    success: 200,
  },
  { method: 'post', path: '/v1/prescriptions/{prescriptionId}/pharmacy-messages', operationId: 'receivePharmacyMessage', answer: answers.pharmacyMessageAccepted, summary: 'A pharmacy answers (Status, Verify, Error, RxFill, RxChangeRequest, CancelRxResponse, RxRenewalRequest)', body: pharmacyMessageBody, success: 202 },
  {
    method: 'post', path: '/v1/prescriptions/{prescriptionId}/change-requests/{changeRequestId}/response', operationId: 'answerChangeRequest', answer: answers.changeAnswered,
    summary: 'Answer a pharmacy change request (RxChangeResponse)',
    body: changeResponseBody,
    success: 200,
  },
  { method: 'get', path: '/v1/prescriptions', operationId: 'listPrescriptions', answer: answers.prescriptions, summary: "The caller's prescriptions (prescribed by, for, or routed to them)", query: listQuery, success: 200 },
  { method: 'get', path: '/v1/prescriptions/{prescriptionId}', operationId: 'getPrescription', answer: answers.prescription, summary: 'One prescription (audited read)', success: 200 },
  {
    method: 'get', path: '/v1/prescriptions/{prescriptionId}/signature', operationId: 'getRecordSignature', answer: answers.signature,
    summary: "The application's ES256 signature of the record: format, key id, SHA-256 digest of the canonical NewRx JSON, signature (21 CFR 1311.120(b))",
    success: 200,
  },
  {
    method: 'get', path: '/v1/prescriptions/{prescriptionId}/signature/verification', operationId: 'verifyRecordSignature', answer: answers.verification,
    summary: 'Recompute the canonical NewRx content from the stored record and verify digest and signature',
    success: 200,
  },
  { method: 'get', path: '/v1/prescription-signing-keys', operationId: 'getSigningKeys', answer: answers.jwks, summary: 'Public keys of record signatures (JWKS, RFC 7517); no token needed', public: true, success: 200 },
];

const idempotencyKey = { name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', maxLength: 200 } } as const;

function apiOperation(op: Operation): ApiOperation {
  return {
    method: op.method,
    path: op.path,
    operationId: op.operationId,
    summary: op.summary,
    pathParameters: PATH_SCHEMAS,
    ...(op.public && { security: [] }),
    ...(op.query && { query: op.query }),
    ...(op.method !== 'get' && { headers: [idempotencyKey] }),
    ...(op.body && { body: op.body }),
    responses: { [op.success]: { description: 'OK', schema: op.answer, ...(op.mediaType && { mediaType: op.mediaType }) } },
    ...(op.rateLimit && { extensions: { 'x-carebridge-rate-limit': op.rateLimit } }),
  };
}

/** The OpenAPI 3.1 description of the REST API as served: checked by the request gate, linted (`npm run lint`), with the access policy's x-roles, x-phi, x-relationship. */
export function openApiDocument() {
  const document = buildDocument({ title: 'Carebridge prescriptions', version: '1.0.0', description: 'E-prescribing: pharmacy directory, prescriber EPCS credentials, NewRx drafting, checks, signing and routing, renewals, pharmacy messages, FHIR R4 MedicationRequest view.', operations: [...OPERATIONS.map(apiOperation), ...fhirOperations(PRESCRIPTIONS_FHIR)] });
  return documentWithAccessPolicy(document, PRESCRIPTIONS_ACCESS_POLICY);
}
