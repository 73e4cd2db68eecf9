import { type FhirResourceSpec, type FhirServerSpec, PAGING, UUID_PATTERN } from './fhir-server';

const fhirJson = (description: string) => ({ description, content: { 'application/fhir+json': { schema: { type: 'object' } } } });
const outcome = fhirJson('OperationOutcome');
const errors = { 400: outcome, 401: outcome, 403: outcome, 404: outcome, 406: outcome };

const prefer = { name: 'Prefer', in: 'header', required: false, description: '`handling=strict` refuses unknown search parameters (default lenient: ignored)', schema: { type: 'string', maxLength: 200 } };
const resultParameters = [
  { name: '_count', in: 'query', required: false, description: 'Page size', schema: { type: 'integer', minimum: 0, maximum: PAGING.maxCount } },
  { name: '_offset', in: 'query', required: false, description: 'Paging cursor of the next/previous links', schema: { type: 'integer', minimum: 0, maximum: 1_000_000 } },
  { name: '_format', in: 'query', required: false, description: 'json or application/fhir+json (anything else: 406)', schema: { type: 'string', maxLength: 40 } },
];

/** `/fhir/R4` + `Coverage` + `Search` -> `fhirR4CoverageSearch`. */
const operationId = (base: string, type: string, what: string) =>
  `${base.split('/').filter(Boolean).map((s, i) => (i === 0 ? s : s[0]!.toUpperCase() + s.slice(1))).join('')}${type}${what}`;

function search(base: string, r: FhirResourceSpec) {
  const parameters = (r.searchParams ?? []).map((p) => {
    // A reference: `Type/<id>`, an absolute URL ending so, or the id (our ids are UUIDs), checked by the gate before the access check.
    const pattern = p.pattern ?? (p.type === 'reference' ? `^((https?://[^?#\\s]+/)?${p.target ?? p.name}/)?${UUID_PATTERN.slice(1, -1)}$` : undefined);
    const value = { type: 'string', maxLength: 300, ...(pattern !== undefined && { pattern }) };
    return { name: p.name, in: 'query', required: p.required === true, description: p.documentation, schema: p.repeats ? { type: 'array', maxItems: 2, items: value } : value };
  });
  return {
    get: {
      operationId: operationId(base, r.type, 'Search'),
      tags: ['FHIR R4'],
      summary: `FHIR R4 ${r.type} search (searchset Bundle): ${r.summary}`,
      parameters: [...parameters, ...resultParameters, prefer],
      responses: { 200: fhirJson('searchset Bundle'), ...errors },
    },
  };
}

function read(base: string, r: FhirResourceSpec) {
  return {
    get: {
      operationId: operationId(base, r.type, 'Read'),
      tags: ['FHIR R4'],
      summary: `FHIR R4 ${r.type} read: ${r.summary}`,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: r.idPattern ?? UUID_PATTERN } }, resultParameters[2]],
      responses: { 200: fhirJson(r.type), ...errors },
    },
  };
}

function create(base: string, r: FhirResourceSpec, body: object) {
  return {
    post: {
      operationId: operationId(base, r.type, 'Create'),
      tags: ['FHIR R4'],
      summary: `FHIR R4 ${r.type} create: ${r.summary}`,
      parameters: [
        { name: 'Idempotency-Key', in: 'header', required: false, description: 'Optional for FHIR clients: without it the key is derived from the caller and the request', schema: { type: 'string', minLength: 1, maxLength: 200 } },
        { name: 'If-None-Exist', in: 'header', required: false, description: 'Accepted; the derived key makes a repeated request answer the same', schema: { type: 'string', maxLength: 500 } },
      ],
      requestBody: { required: true, content: { 'application/fhir+json': { schema: body } } },
      responses: { 200: fhirJson('The answer resource'), 415: outcome, 422: outcome, ...errors },
    },
  };
}

/**
 * The OpenAPI path items of a service's FHIR endpoints, generated from its spec (the request gate
 * checks requests against them, the policy matrix compares them with the routes served).
 */
export function fhirOpenApiPaths(spec: FhirServerSpec, bodies: Readonly<Record<string, object>> = {}): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const base of spec.bases) {
    paths[`${base}/metadata`] = {
      get: {
        operationId: operationId(base, 'Metadata', 'Read'),
        tags: ['FHIR R4'],
        summary: 'FHIR R4 CapabilityStatement of this service (no token needed)',
        security: [],
        parameters: [resultParameters[2]],
        responses: { 200: fhirJson('CapabilityStatement'), 406: outcome },
      },
    };
    for (const r of spec.resources) {
      const type: Record<string, unknown> = {};
      if (r.interactions.includes('search-type')) Object.assign(type, search(base, r));
      if (r.interactions.includes('create')) {
        const body = bodies[r.type];
        if (!body) throw new Error(`${spec.service}: FHIR ${r.type} create needs its body schema`);
        Object.assign(type, create(base, r, body));
      }
      if (Object.keys(type).length > 0) paths[`${base}/${r.type}`] = type;
      if (r.interactions.includes('read')) paths[`${base}/${r.type}/{id}`] = read(base, r);
    }
  }
  return paths;
}
