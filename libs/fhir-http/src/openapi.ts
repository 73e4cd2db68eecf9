import { z } from 'zod';
import { type ApiOperation, type ApiParameter, FHIR_JSON, type Schema, fhirResource, fhirSearchset } from '@carebridge/platform';
import { UUID_SOURCE } from '@carebridge/shared-kernel';
import { type FhirResourceSpec, type FhirServerSpec, PAGING, UUID_PATTERN } from './fhir-server';

/**
 * The OpenAPI operations of a service's FHIR endpoints, generated from its spec for the shared
 * document builder (libs/platform docs/openapi-document.ts): answers in `application/fhir+json`,
 * errors as OperationOutcome (the builder declares them so for every path under a FHIR base, as
 * the exception filter and the request gate answer them).
 */

const tags = ['FHIR R4'];
const FORMAT: ApiParameter = { name: '_format', in: 'query', description: 'json or application/fhir+json (anything else: 406)', schema: { type: 'string', maxLength: 40 } };
const RESULT_PARAMETERS: readonly ApiParameter[] = [
  { name: '_count', in: 'query', description: 'Page size', schema: { type: 'integer', minimum: 0, maximum: PAGING.maxCount } },
  { name: '_offset', in: 'query', description: 'Paging cursor of the next/previous links', schema: { type: 'integer', minimum: 0, maximum: 1_000_000 } },
  FORMAT,
];
const PREFER: ApiParameter = { name: 'Prefer', in: 'header', description: '`handling=strict` refuses unknown search parameters (default lenient: ignored)', schema: { type: 'string', maxLength: 200 } };

/** Errors a FHIR read or search answers: bad input, no or a bad token, refused, not found, a format other than JSON (406), rate limited. */
const READ_PROBLEMS = [400, 401, 403, 404, 406, 429] as const;

/** What capabilityStatement() answers (kind `instance`: no id of its own). */
const capability = z
  .looseObject({
    resourceType: z.literal('CapabilityStatement'),
    status: z.literal('active'),
    kind: z.literal('instance'),
    fhirVersion: z.literal('4.0.1'),
    format: z.array(z.string()),
    rest: z.array(z.looseObject({ mode: z.literal('server'), resource: z.array(z.looseObject({ type: z.string() })) })),
  })
  .meta({ title: 'CapabilityStatement' });

/** A create: the body the handler parses and the resource it answers with. */
export interface FhirCreate {
  readonly body: Schema;
  readonly answer: Schema;
}

/** `/fhir/R4` + `Coverage` + `Search` -> `fhirR4CoverageSearch`. */
const operationId = (base: string, type: string, what: string) =>
  `${base.split('/').filter(Boolean).map((s, i) => (i === 0 ? s : s[0]!.toUpperCase() + s.slice(1))).join('')}${type}${what}`;

function searchParameters(r: FhirResourceSpec): ApiParameter[] {
  return (r.searchParams ?? []).map((p) => {
    // A reference: `Type/<id>`, an absolute URL ending so, or the id (our ids are UUIDs), checked by the gate before the access check.
    const pattern = p.pattern ?? (p.type === 'reference' ? `^((https?://[^?#\\s]+/)?${p.target ?? p.name}/)?${UUID_SOURCE}$` : undefined);
    const value = { type: 'string', maxLength: 300, ...(pattern !== undefined && { pattern }) };
    return { name: p.name, in: 'query', required: p.required === true, description: p.documentation, schema: p.repeats ? { type: 'array', maxItems: 2, items: value } : value };
  });
}

const search = (base: string, r: FhirResourceSpec): ApiOperation => ({
  method: 'get',
  path: `${base}/${r.type}`,
  operationId: operationId(base, r.type, 'Search'),
  tags,
  summary: `FHIR R4 ${r.type} search (searchset Bundle): ${r.summary}`,
  description: r.documentation,
  query: [...searchParameters(r), ...RESULT_PARAMETERS],
  headers: [PREFER],
  responses: { 200: { description: `searchset Bundle of ${r.type}`, schema: fhirSearchset(r.type), mediaType: FHIR_JSON } },
  problems: READ_PROBLEMS,
});

const read = (base: string, r: FhirResourceSpec): ApiOperation => ({
  method: 'get',
  path: `${base}/${r.type}/{id}`,
  operationId: operationId(base, r.type, 'Read'),
  tags,
  summary: `FHIR R4 ${r.type} read: ${r.summary}`,
  description: r.documentation,
  pathParameters: { id: { type: 'string', pattern: r.idPattern ?? UUID_PATTERN } },
  query: [FORMAT],
  responses: { 200: { description: r.type, schema: fhirResource(r.type), mediaType: FHIR_JSON } },
  problems: READ_PROBLEMS,
});

const create = (base: string, r: FhirResourceSpec, given: FhirCreate): ApiOperation => ({
  method: 'post',
  path: `${base}/${r.type}`,
  operationId: operationId(base, r.type, 'Create'),
  tags,
  summary: `FHIR R4 ${r.type} create: ${r.summary}`,
  description: r.documentation,
  query: [FORMAT],
  headers: [
    { name: 'Idempotency-Key', in: 'header', description: 'Optional for FHIR clients: without it the key is derived from the caller and the request', schema: { type: 'string', minLength: 1, maxLength: 200 } },
    { name: 'If-None-Exist', in: 'header', description: 'Accepted; the derived key makes a repeated request answer the same', schema: { type: 'string', maxLength: 500 } },
  ],
  body: given.body,
  bodyMediaType: FHIR_JSON,
  responses: { 200: { description: 'The answer resource', schema: given.answer, mediaType: FHIR_JSON } },
  problems: [...READ_PROBLEMS, 409, 422],
});

const metadata = (base: string): ApiOperation => ({
  method: 'get',
  path: `${base}/metadata`,
  operationId: operationId(base, 'Metadata', 'Read'),
  tags,
  summary: 'FHIR R4 CapabilityStatement of this service (no token needed)',
  security: [],
  query: [FORMAT],
  responses: { 200: { description: 'CapabilityStatement', schema: capability, mediaType: FHIR_JSON } },
  problems: [400, 406, 429],
});

/**
 * The operations of a service's FHIR endpoints at each of its bases (the request gate checks
 * requests against them, the route-drift test and the policy matrix compare them with the routes
 * served and the answers given). A type with `create` needs its body and answer schemas.
 */
export function fhirOperations(spec: FhirServerSpec, creates: Readonly<Record<string, FhirCreate>> = {}): ApiOperation[] {
  return spec.bases.flatMap((base) => [
    metadata(base),
    ...spec.resources.flatMap((r) => {
      const given = creates[r.type];
      if (r.interactions.includes('create') && !given) throw new Error(`${spec.service}: FHIR ${r.type} create needs its body and answer schemas`);
      return [
        ...(r.interactions.includes('search-type') ? [search(base, r)] : []),
        ...(given && r.interactions.includes('create') ? [create(base, r, given)] : []),
        ...(r.interactions.includes('read') ? [read(base, r)] : []),
      ];
    }),
  ]);
}
