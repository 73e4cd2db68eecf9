import type { FieldError } from '../validation/field-errors';

/**
 * FHIR's error format (https://hl7.org/fhir/R4/operationoutcome.html): every error a FHIR endpoint
 * answers is an OperationOutcome in `application/fhir+json`, not problem+json (FHIR R4 3.1.0.4:
 * "servers SHOULD return an OperationOutcome"). It lives here, next to the problem mapping, because
 * the request gate and the exception filter answer before any FHIR code runs.
 */
export const FHIR_JSON = 'application/fhir+json';

/** The FHIR bases of our services: `/fhir`, `/fhir/R4` and `/v1/fhir` (monitoring, prescriptions). */
const FHIR_PATH = /^(?:\/v1)?\/fhir(?:\/R4)?(?:\/|$)/;

export const isFhirPath = (path: string): boolean => FHIR_PATH.test(path);

/** HTTP status -> IssueType (https://hl7.org/fhir/R4/valueset-issue-type.html). */
export function issueCodeFor(status: number): string {
  switch (status) {
    case 400:
      return 'invalid';
    case 401:
      return 'login';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 405:
    case 406:
    case 415:
      return 'not-supported';
    case 409:
    case 412:
      return 'conflict';
    case 410:
      return 'deleted';
    case 413:
      return 'too-costly';
    case 422:
      return 'business-rule';
    case 429:
      return 'throttled';
    case 503:
      return 'transient';
    default:
      return status >= 500 ? 'exception' : 'processing';
  }
}

/** The system of our stable error codes in `OperationOutcome.issue.details`. */
export const ERROR_CODE_SYSTEM = 'https://carebridge.dev/problems';

export interface OperationOutcomeInput {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly correlationId?: string;
}

/** One issue per invalid field (its name as the expression), else one for the whole request. */
export function toOperationOutcome(input: OperationOutcomeInput) {
  const issueCode = issueCodeFor(input.status);
  const details = (text: string) => ({ coding: [{ system: ERROR_CODE_SYSTEM, code: input.code }], text });
  const diagnostics = input.correlationId ? `correlation id ${input.correlationId}` : undefined;
  const issues =
    input.errors && input.errors.length > 0
      ? input.errors.map((e) => ({ severity: 'error', code: issueCode, details: details(`${e.field}: ${e.message}`), expression: [e.field] }))
      : [{ severity: input.status >= 500 ? 'fatal' : 'error', code: issueCode, details: details(input.detail) }];
  return {
    resourceType: 'OperationOutcome' as const,
    issue: issues.map((issue) => ({ ...issue, ...(diagnostics && { diagnostics }) })),
  };
}

/** Our stable error code in an answer: problem+json's `code`, or the first OperationOutcome issue's details. */
export function errorCodeOf(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as { code?: unknown; resourceType?: unknown; issue?: { details?: { coding?: { code?: unknown }[] } }[] };
  if (typeof b.code === 'string') return b.code;
  const code = b.resourceType === 'OperationOutcome' ? b.issue?.[0]?.details?.coding?.[0]?.code : undefined;
  return typeof code === 'string' ? code : undefined;
}
