import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { FHIR_JSON, isFhirPath } from '../errors/operation-outcome';
import type { JsonSchema } from '../request-gate/json-schema';
import { IDEMPOTENCY_KEY } from '../validation/idempotency-key';

/**
 * A service's OpenAPI 3.1 document built from a list of operations whose request bodies, query,
 * path and response schemas are the zod schemas the handlers parse with (or answer with), so the
 * document and the handlers cannot drift. Every operation gets its `operationId`, its path
 * parameters, and the shared problem+json answers; adding a route is adding one entry.
 */

export type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';
/** A zod schema, or a JSON Schema written by hand where no zod schema exists. */
export type Schema = z.ZodType | { readonly [keyword: string]: unknown };

export interface ApiParameter {
  readonly name: string;
  readonly in: 'query' | 'header' | 'path';
  readonly required?: boolean;
  readonly description?: string;
  readonly schema: Schema;
}

export interface ApiResponse {
  readonly description: string;
  /** The answer's schema; `application/json` unless `mediaType` says otherwise. */
  readonly schema?: Schema;
  /** One media type, or several with the same schema (files answered with their stored type). */
  readonly mediaType?: string | readonly string[];
}

export interface ApiOperation {
  readonly method: HttpMethod;
  readonly path: string;
  /** Stable, unique in the document, camelCase (client generators name methods after it). */
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  /** Path parameter schemas by name; others: a UUID when the name is `id` or ends in `Id`, else a string. */
  readonly pathParameters?: Readonly<Record<string, Schema>>;
  /** The zod object the handler parses the query with, or the parameters one by one. */
  readonly query?: z.ZodType | readonly ApiParameter[];
  readonly headers?: readonly ApiParameter[];
  /** A JSON body (zod schema), or raw bodies by media type (uploads). */
  readonly body?: Schema | { readonly media: Readonly<Record<string, Schema | undefined>> };
  /** The media type of a JSON body when not `application/json` (`application/fhir+json`). */
  readonly bodyMediaType?: string;
  /** Success answers (and any answer that is not a problem) by status. */
  readonly responses: Readonly<Record<number, ApiResponse>>;
  /** Statuses answered with problem+json, or an OperationOutcome under a FHIR base (default: {@link DEFAULT_PROBLEMS}). */
  readonly problems?: readonly number[];
  /** `[]` for a public operation; the document's default otherwise. */
  readonly security?: readonly Record<string, readonly string[]>[];
  readonly deprecated?: boolean;
  /** Custom extensions (`x-carebridge-rate-limit`, `x-carebridge-max-body-bytes`). */
  readonly extensions?: Readonly<Record<`x-${string}`, unknown>>;
}

export interface ApiDescription {
  readonly title: string;
  readonly version: string;
  readonly description: string;
  readonly securitySchemes?: Readonly<Record<string, Record<string, unknown>>>;
  readonly operations: readonly ApiOperation[];
}

/** RFC 9457 problem details as every Carebridge service writes them (libs/platform/src/errors/problem.ts); extension members allowed (RFC 9457 §3.2). */
export const problemSchema = z
  .looseObject({
    type: z.string().describe('A URI naming the problem, derived from `code`'),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string().describe('What went wrong; a 4xx names the field'),
    instance: z.string().describe('The request path'),
    code: z.string().describe('Stable code, e.g. `APPOINTMENT.SLOT_TAKEN`'),
    correlationId: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ title: 'Problem' });

/**
 * FHIR R4 OperationOutcome (https://hl7.org/fhir/R4/operationoutcome.html) as the platform writes
 * every error under a FHIR base instead of problem+json (errors/operation-outcome.ts): the stable
 * code in `issue[].details.coding`, the invalid field in `issue[].expression`.
 */
export const operationOutcomeSchema = z
  .looseObject({
    resourceType: z.literal('OperationOutcome'),
    issue: z
      .array(
        z.looseObject({
          severity: z.enum(['fatal', 'error', 'warning', 'information']),
          code: z.string().describe('IssueType (https://hl7.org/fhir/R4/valueset-issue-type.html)'),
          details: z.looseObject({ coding: z.array(z.looseObject({ system: z.string(), code: z.string().describe('Stable code, e.g. `REQUEST.INVALID`') })), text: z.string() }).optional(),
          diagnostics: z.string().optional(),
          expression: z.array(z.string()).optional().describe('The invalid field (`query.patient`)'),
        }),
      )
      .min(1),
  })
  .meta({ title: 'OperationOutcome' });

/** The answers every operation may give: bad input, no or a bad token, a role or ownership refusal, rate limiting. */
export const DEFAULT_PROBLEMS = [400, 401, 403, 404, 409, 422, 429] as const;

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const OUTCOME_REF = { $ref: '#/components/schemas/OperationOutcome' };

/** How an error is answered at a path: an OperationOutcome under a FHIR base, as the exception filter and the request gate write it; problem+json elsewhere. */
function errorAnswer(path: string, status: number): Record<string, unknown> {
  const title = STATUS_CODES[status] ?? 'Error';
  return isFhirPath(path)
    ? { description: `${title} (OperationOutcome with a stable code in issue.details)`, content: { [FHIR_JSON]: { schema: OUTCOME_REF } } }
    : { description: `${title} (problem+json with a stable code)`, content: { 'application/problem+json': { schema: PROBLEM_REF } } };
}

/** A zod schema as JSON Schema (the request side unless `io` says output); JSON Schemas pass as they are. */
export function jsonSchema(schema: Schema, io: 'input' | 'output' = 'input'): JsonSchema {
  if (!(schema instanceof z.ZodType)) return schema;
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return rest;
}

const defaultPathSchema = (name: string): Schema =>
  name === 'id' || name.endsWith('Id') ? { type: 'string', format: 'uuid' } : { type: 'string', minLength: 1, maxLength: 200 };

function queryParameters(query: ApiOperation['query']): Record<string, unknown>[] {
  if (query === undefined) return [];
  if (query instanceof z.ZodType) {
    const doc = jsonSchema(query) as { properties?: Record<string, JsonSchema>; required?: string[] };
    return Object.entries(doc.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: (doc.required ?? []).includes(name), schema }));
  }
  return query.map(parameter);
}

function parameter(p: ApiParameter): Record<string, unknown> {
  return { name: p.name, in: p.in, required: p.in === 'path' ? true : (p.required ?? false), ...(p.description && { description: p.description }), schema: jsonSchema(p.schema) };
}

function requestBody(op: ApiOperation): Record<string, unknown> | undefined {
  if (op.body === undefined) return undefined;
  if (!(op.body instanceof z.ZodType) && 'media' in op.body && typeof op.body.media === 'object') {
    const media = op.body.media as Record<string, Schema | undefined>;
    return { required: true, content: Object.fromEntries(Object.entries(media).map(([type, schema]) => [type, schema ? { schema: jsonSchema(schema) } : {}])) };
  }
  return { required: true, content: { [op.bodyMediaType ?? 'application/json']: { schema: jsonSchema(op.body as Schema) } } };
}

function responses(op: ApiOperation): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(op.responses)) {
    answers[status] = {
      description: response.description,
      ...(response.schema !== undefined && {
        content: Object.fromEntries([response.mediaType ?? 'application/json'].flat().map((type) => [type, { schema: jsonSchema(response.schema!, 'output') }])),
      }),
    };
  }
  // The request gate refuses a body too large (413) or of another media type (415) before any handler.
  const gate = op.body === undefined ? [] : [413, 415];
  for (const status of [...(op.problems ?? DEFAULT_PROBLEMS), ...gate].sort((a, b) => a - b)) {
    answers[status] ??= errorAnswer(op.path, status);
  }
  return answers;
}

/** One operation as an OpenAPI operation object. */
export function operationObject(op: ApiOperation): Record<string, unknown> {
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const parameters = [
    ...names.map((name) => parameter({ name, in: 'path', schema: op.pathParameters?.[name] ?? defaultPathSchema(name) })),
    ...queryParameters(op.query),
    ...(op.headers ?? []).map(parameter),
  ];
  const body = requestBody(op);
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description && { description: op.description }),
    ...(op.tags && { tags: [...op.tags] }),
    ...(op.security && { security: op.security.map((s) => ({ ...s })) }),
    ...(op.deprecated && { deprecated: true }),
    ...(parameters.length > 0 && { parameters }),
    ...(body && { requestBody: body }),
    responses: responses(op),
    ...op.extensions,
  };
}

/** The OpenAPI 3.1 document of a service. */
export function openApiDocument(api: ApiDescription) {
  const paths: Record<string, Record<string, unknown>> = {};
  const ids = new Set<string>();
  for (const op of api.operations) {
    if (ids.has(op.operationId)) throw new Error(`OpenAPI: operationId ${op.operationId} is used twice`);
    if (paths[op.path]?.[op.method]) throw new Error(`OpenAPI: ${op.method.toUpperCase()} ${op.path} is declared twice`);
    ids.add(op.operationId);
    (paths[op.path] ??= {})[op.method] = operationObject(op);
  }
  return {
    openapi: '3.1.0',
    info: { title: api.title, version: api.version, description: api.description, license: { name: 'Apache-2.0', identifier: 'Apache-2.0' } },
    // Relative: the same document serves each service alone (distributed) and under /<service> (embedded).
    servers: [{ url: '/', description: 'This service' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, ...api.securitySchemes },
      schemas: {
        Problem: jsonSchema(problemSchema, 'output'),
        // Only where a FHIR base is documented (an unused component is a lint warning).
        ...(api.operations.some((op) => isFhirPath(op.path)) && { OperationOutcome: jsonSchema(operationOutcomeSchema, 'output') }),
      },
    },
    paths,
  };
}

export type OpenApiDocumentObject = ReturnType<typeof openApiDocument>;

/** The `Idempotency-Key` header as requireIdempotencyKey (required) or optionalIdempotencyKey reads it. */
export const idempotencyKeyParameter = (required: boolean): ApiParameter => ({
  name: 'Idempotency-Key',
  in: 'header',
  required,
  description: required ? 'A retry with the same key appends nothing new and answers as the first request did.' : 'When given: a retry with the same key appends nothing new.',
  schema: IDEMPOTENCY_KEY,
});

/** A file answered as stored (always as an attachment). */
export const FILE = { type: 'string', contentMediaType: 'application/octet-stream' } as const;

/** A FHIR R4 resource of one type, as the FHIR views answer it (the views' own mapping sets the rest). */
export const fhirResource = (resourceType: string) => z.looseObject({ resourceType: z.literal(resourceType), id: z.string() }).meta({ title: resourceType });

/** A FHIR R4 searchset Bundle of one resource type. */
export const fhirSearchset = (resourceType: string) =>
  z.looseObject({
    resourceType: z.literal('Bundle'),
    type: z.literal('searchset'),
    total: z.int().min(0).optional(),
    entry: z.array(z.looseObject({ fullUrl: z.string().optional(), resource: fhirResource(resourceType) })).optional(),
  });
