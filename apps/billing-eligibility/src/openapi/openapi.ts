import { z } from 'zod';
import { recordCoverageBody, updateCoverageBody } from '../coverage/coverage.http';
import { eligibilityCheckBody } from '../eligibility/eligibility-check.http';
import { fhirOpenApiPaths } from '@carebridge/fhir-http';
import { BILLING_FHIR } from '../fhir/fhir-server';
import { coverageEligibilityRequest } from '../fhir/fhir.http';
import { activateRuleSetBody } from '../rules/rules.http';

/** Request bodies come from the same zod schemas the controllers parse with, so the document cannot drift from them. */
const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

const problem = { description: 'problem+json (RFC 9457) with a stable `code`', content: { 'application/problem+json': {} } };
const readErrors = { 400: problem, 401: problem, 403: problem };
const writeErrors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };
const json = { content: { 'application/json': {} } };

/** `requireIdempotencyKey` (access.ts): 1 to 200 characters, not blank. A retry with the same key appends nothing new. */
const idempotencyKey = (required: boolean) => ({
  name: 'Idempotency-Key',
  in: 'header',
  required,
  description: required
    ? 'Required: a retried request with the same key returns the first answer and appends nothing new.'
    : 'Optional: recorded as the command id.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
});

interface Operation {
  summary: string;
  description?: string;
  tags: string[];
  deprecated?: boolean;
  parameters?: Record<string, unknown>[];
  requestBody?: Record<string, unknown>;
  responses: Record<string, unknown>;
  security?: unknown[];
}
type PathItem = Partial<Record<'get' | 'post' | 'patch', Operation>>;

function write(
  summary: string,
  body: z.ZodType,
  options: { tag: string; idempotencyKey: 'required' | 'optional'; status: 200 | 201; ok: string; description?: string },
): Operation {
  return {
    summary,
    ...(options.description !== undefined && { description: options.description }),
    tags: [options.tag],
    parameters: [idempotencyKey(options.idempotencyKey === 'required')],
    requestBody: { required: true, content: { 'application/json': { schema: schema(body) } } },
    responses: { [options.status]: { description: options.ok, ...json }, ...writeErrors },
  };
}

const read = (summary: string, tag: string, parameters?: Record<string, unknown>[]): Operation => ({
  summary,
  tags: [tag],
  ...(parameters && { parameters }),
  responses: { 200: { description: 'OK', ...json }, ...readErrors },
});

const PAYER_VIEW = 'A payer token sees eligibility only (outcome, codes, coverage, rule sets), not the visit purpose or the reasons.';

/** The versioned API: every route under `/v1`. */
const v1: Record<string, PathItem> = {
  '/v1/patients/{patientId}/coverages': {
    post: write('Record a coverage', recordCoverageBody, {
      tag: 'coverage',
      idempotencyKey: 'required',
      status: 201,
      ok: 'Recorded: the coverage (with its coverageId) and the stream version',
      description: 'A patient records only their own; a payer only coverages whose payerId is its own. One primary and one secondary at a time.',
    }),
    get: read('The coverages of a patient (a payer sees only its own)', 'coverage'),
  },
  '/v1/patients/{patientId}/coverages/{coverageId}': {
    patch: write('Change a coverage (dates, plan, member id, order)', updateCoverageBody, {
      tag: 'coverage',
      idempotencyKey: 'optional',
      status: 200,
      ok: 'Changed: the coverage and the stream version',
      description: 'Name at least one field to change.',
    }),
  },
  '/v1/eligibility-checks': {
    post: write('Is this telehealth visit covered, and why', eligibilityCheckBody, {
      tag: 'eligibility',
      idempotencyKey: 'required',
      status: 201,
      ok: 'Determined and stored (EligibilityDetermined): outcome, reasons with rule and source, place of service, modifiers',
      description: `Answered from the dated rule sets (\`asOf\` reproduces an earlier answer). Input the rules cannot judge is a 422 whose \`detail\` starts with the field. ${PAYER_VIEW}`,
    }),
  },
  '/v1/patients/{patientId}/eligibility-determinations': {
    get: read('The eligibility determinations of a patient', 'eligibility'),
  },
};

/** Rule sets as data (only under /v1: no unversioned alias was ever served). */
const rules: Record<string, PathItem> = {
  '/v1/rules/rule-sets': {
    post: write('Activate a signed-off rule-set version without a release (ops)', activateRuleSetBody, {
      tag: 'rules',
      idempotencyKey: 'required',
      status: 201,
      ok: 'Activated (or `activated: false` for a retry of the same document)',
      description: 'Validated as rule files are (dates, sources, no gap or overlap): 422 `RULES.INVALID` names the problem; a version id is never reused (409). Answers use it from its `publishedAt` (asOf) on.',
    }),
    get: read('Every rule-set version: shipped files and those activated at run time, with the sign-off', 'rules'),
  },
  '/v1/rules/horizon': {
    get: read('Rule sets ending within 120 days with no successor, soonest first', 'rules'),
  },
};

function aliased(paths: Record<string, PathItem>, to: (path: string) => string, change: (operation: Operation, path: string) => Operation) {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      to(path),
      Object.fromEntries(Object.entries(item).map(([method, operation]) => [method, change(operation, path)])),
    ]),
  ) as Record<string, PathItem>;
}

/** The routes served before `/v1`: kept so existing callers keep working, deprecated. */
const unversioned = aliased(
  v1,
  (path) => path.replace(/^\/v1/, ''),
  (operation, path) => ({
    ...operation,
    tags: ['deprecated (unversioned)'],
    deprecated: true,
    description: `Deprecated alias of \`${path}\`; same request and response.${operation.description ? ` ${operation.description}` : ''}`,
  }),
);

export function billingEligibilityOpenApi() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Carebridge billing-eligibility',
      version: '1.0.0',
      description:
        'Coverage records per patient; "is this telehealth visit covered, and why" answered from dated, sourced rule sets; FHIR R4 CoverageEligibilityRequest/Response and Coverage views. The unversioned paths are deprecated aliases of `/v1`.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths: {
      ...v1,
      ...rules,
      ...(fhirOpenApiPaths(BILLING_FHIR, { CoverageEligibilityRequest: schema(coverageEligibilityRequest) }) as Record<string, PathItem>),
      '/v1/openapi.json': {
        get: {
          summary: 'This document (no token needed)',
          tags: ['meta'],
          security: [],
          responses: { 200: { description: 'OpenAPI 3.1 document', ...json } },
        },
      },
      ...unversioned,
    } as Record<string, PathItem>,
  };
}
