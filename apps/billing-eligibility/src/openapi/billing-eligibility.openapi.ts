import { z } from 'zod';
import { documentWithAccessPolicy } from '@carebridge/access-audit';
import { fhirOperations } from '@carebridge/fhir-http';
import { type ApiOperation, type ApiParameter, openApiDocument } from '@carebridge/platform';
import { BILLING_ACCESS_POLICY } from '../billing-eligibility.access-policy';
import { recordCoverageBody, updateCoverageBody } from '../coverage/coverage.http';
import { eligibilityCheckBody } from '../eligibility/eligibility-check.http';
import { BILLING_FHIR } from '../fhir/billing-eligibility.fhir-server';
import { coverageEligibilityRequest } from '../fhir/fhir.http';
import { activateRuleSetBody } from '../rules/rules.http';
import * as answers from './responses.schemas';

/** Request bodies, queries and answers come from the zod schemas the controllers parse with and answer by (./responses). */
/** `requireIdempotencyKey` (patient.access.ts): 1 to 200 characters, not blank. A retry with the same key appends nothing new. */
const idempotencyKey = (required: boolean): ApiParameter => ({
  name: 'Idempotency-Key',
  in: 'header',
  required,
  description: required
    ? 'Required: a retried request with the same key returns the first answer and appends nothing new.'
    : 'Optional: recorded as the command id.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
});

type Operation = Omit<ApiOperation, 'method' | 'path'>;
type PathItem = Partial<Record<'get' | 'post' | 'patch', Operation>>;

function write(
  operationId: string,
  summary: string,
  body: z.ZodType,
  options: { tag: string; idempotencyKey: 'required' | 'optional'; status: 200 | 201; ok: string; answer: z.ZodType; description?: string },
): Operation {
  return {
    operationId,
    summary,
    ...(options.description !== undefined && { description: options.description }),
    tags: [options.tag],
    headers: [idempotencyKey(options.idempotencyKey === 'required')],
    body,
    responses: { [options.status]: { description: options.ok, schema: options.answer } },
  };
}

const read = (operationId: string, summary: string, tag: string, answer: z.ZodType, query?: ApiOperation['query']): Operation => ({
  operationId,
  summary,
  tags: [tag],
  ...(query && { query }),
  responses: { 200: { description: 'OK', schema: answer } },
});

const PAYER_VIEW = 'A payer token sees eligibility only (outcome, codes, coverage, rule sets), not the visit purpose or the reasons.';

/** The versioned API: every route under `/v1`. */
const v1: Record<string, PathItem> = {
  '/v1/patients/{patientId}/coverages': {
    post: write('recordCoverage', 'Record a coverage', recordCoverageBody, {
      tag: 'coverage',
      answer: answers.coverageChanged,
      idempotencyKey: 'required',
      status: 201,
      ok: 'Recorded: the coverage (with its coverageId) and the stream version',
      description: 'A patient records only their own; a payer only coverages whose payerId is its own. One primary and one secondary at a time.',
    }),
    get: read('listCoverages', 'The coverages of a patient (a payer sees only its own)', 'coverage', answers.coverages),
  },
  '/v1/patients/{patientId}/coverages/{coverageId}': {
    patch: write('changeCoverage', 'Change a coverage (dates, plan, member id, order)', updateCoverageBody, {
      tag: 'coverage',
      answer: answers.coverageChanged,
      idempotencyKey: 'optional',
      status: 200,
      ok: 'Changed: the coverage and the stream version',
      description: 'Name at least one field to change.',
    }),
  },
  '/v1/eligibility-checks': {
    post: write('checkEligibility', 'Is this telehealth visit covered, and why', eligibilityCheckBody, {
      tag: 'eligibility',
      answer: answers.eligibilityAnswer,
      idempotencyKey: 'required',
      status: 201,
      ok: 'Determined and stored (EligibilityDetermined): outcome, reasons with rule and source, place of service, modifiers',
      description: `Answered from the dated rule sets (\`asOf\` reproduces an earlier answer). Input the rules cannot judge is a 422 whose \`detail\` starts with the field. ${PAYER_VIEW}`,
    }),
  },
  '/v1/patients/{patientId}/eligibility-determinations': {
    get: read('listEligibilityDeterminations', 'The eligibility determinations of a patient', 'eligibility', answers.determinations),
  },
};

/** Rule sets as data (only under /v1: no unversioned alias was ever served). */
const rules: Record<string, PathItem> = {
  '/v1/rules/rule-sets': {
    post: write('activateRuleSet', 'Activate a signed-off rule-set version without a release (ops)', activateRuleSetBody, {
      tag: 'rules',
      answer: answers.ruleSetActivated,
      idempotencyKey: 'required',
      status: 201,
      ok: 'Activated (or `activated: false` for a retry of the same document)',
      description: 'Validated as rule files are (dates, sources, no gap or overlap): 422 `RULES.INVALID` names the problem; a version id is never reused (409). Answers use it from its `publishedAt` (asOf) on.',
    }),
    get: read('listRuleSets', 'Every rule-set version: shipped files and those activated at run time, with the sign-off', 'rules', answers.ruleSets),
  },
  '/v1/rules/horizon': {
    get: read('getRuleHorizon', 'Rule sets ending within 120 days with no successor, soonest first', 'rules', answers.horizon),
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
    operationId: `${operation.operationId}Unversioned`,
    tags: ['deprecated (unversioned)'],
    deprecated: true,
    description: `Deprecated alias of \`${path}\`; same request and response.${operation.description ? ` ${operation.description}` : ''}`,
  }),
);

const operations = (paths: Record<string, PathItem>): ApiOperation[] =>
  Object.entries(paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ ...operation, method: method as ApiOperation['method'], path })));

/** The document as served, checked by the request gate and linted (`npm run lint`): with the access policy's x-roles, x-phi, x-relationship. */
export function billingEligibilityOpenApi() {
  const document = openApiDocument({
    title: 'Carebridge billing-eligibility',
    version: '1.0.0',
    description:
      'Coverage records per patient; "is this telehealth visit covered, and why" answered from dated, sourced rule sets; FHIR R4 CoverageEligibilityRequest/Response and Coverage views. The unversioned paths are deprecated aliases of `/v1`.',
    operations: [
      ...operations({ ...v1, ...rules, ...unversioned }),
      // FHIR R4 at `/fhir` and `/fhir/R4`, from the spec the CapabilityStatement and the conformance test use.
      ...fhirOperations(BILLING_FHIR, { CoverageEligibilityRequest: { body: coverageEligibilityRequest, answer: answers.coverageEligibilityResponse } }),
    ],
  });
  return documentWithAccessPolicy(document, BILLING_ACCESS_POLICY);
}
