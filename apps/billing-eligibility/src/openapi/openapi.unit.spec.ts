import type { Type } from '@nestjs/common';
import { DISCLOSURE_API_OPERATIONS } from '@carebridge/access-audit';
import { HEALTH_OPERATIONS } from '@carebridge/platform';
import { controllerRoutes } from '@carebridge/testing';
import { httpControllers } from '../billing-eligibility.module';
import { BILLING_FHIR } from '../fhir/billing-eligibility.fhir-server';
import { billingEligibilityOpenApi } from './billing-eligibility.openapi';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Record<string, unknown>;
}
interface Operation {
  summary?: string;
  deprecated?: boolean;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: { type?: string; properties?: Record<string, unknown>; required?: string[] } }> };
  responses: Record<string, { description?: string; content?: Record<string, unknown> }>;
  security?: unknown[];
}
type PathItem = { parameters?: Parameter[] } & Record<string, Operation | Parameter[] | undefined>;

// The module's HTTP controllers, as it lists them by role (its integration consumers serve no route).
const controllers: Type[] = [...httpControllers];
const routes = controllerRoutes(controllers);
/** Served by the modules every service imports (access audit, health), not by this module's controllers (its OpenApiController serves the document). */
const SHARED = new Set([...DISCLOSURE_API_OPERATIONS, ...HEALTH_OPERATIONS].filter((o) => o.path !== '/v1/openapi.json').map((o) => `${o.method.toUpperCase()} ${o.path}`));
const document = billingEligibilityOpenApi() as unknown as {
  openapi: string;
  info: { title: string; version: string };
  components: { securitySchemes: Record<string, unknown> };
  security: Record<string, unknown>[];
  paths: Record<string, PathItem>;
};
const documented = Object.entries(document.paths).filter(([path]) => !SHARED.has(`GET ${path}`)).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => HTTP_METHODS.includes(method))
    .map(([method, operation]) => ({ method, path, item, operation: operation as Operation })),
);
const operation = (method: string, path: string) => document.paths[path]?.[method] as Operation;
const key = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;

describe('billing-eligibility OpenAPI document', () => {
  it('finds the routes of every controller the module registers', () => {
    expect(controllers.map((c) => c.name)).toEqual(['CoverageController', 'EligibilityCheckController', 'FhirController', 'OpenApiController', 'RulesController']);
    for (const controller of controllers) expect(routes.some((r) => r.controller === controller.name)).toBe(true);
    // 5 REST routes at /v1 and unversioned, 3 FHIR routes (metadata included) at /fhir and /fhir/R4, and the document itself.
    expect(routes).toHaveLength(20);
  });

  it('documents exactly the routes the controllers serve, no more and no fewer', () => {
    expect(documented.map(key).sort()).toEqual([...new Set(routes.map(key))].sort());
  });

  it('serves every REST route under /v1, keeps the unversioned path as a deprecated alias, and FHIR at /fhir and /fhir/R4', () => {
    const served = new Set(routes.map(key));
    for (const route of routes) {
      if (route.path.startsWith('/fhir/R4/')) {
        expect(served).toContain(key({ ...route, path: route.path.replace('/fhir/R4/', '/fhir/') }));
      } else if (route.path.startsWith('/fhir/')) {
        expect(served).toContain(key({ ...route, path: route.path.replace('/fhir/', '/fhir/R4/') }));
      } else if (route.path.startsWith('/v1/')) {
        expect(operation(route.method, route.path).deprecated).toBeUndefined();
      } else {
        // An unversioned path: a deprecated alias of the same route under /v1.
        expect(served).toContain(key({ ...route, path: `/v1${route.path}` }));
        expect(operation(route.method, route.path).deprecated).toBe(true);
      }
    }
    expect(routes.filter((r) => r.path.startsWith('/v1/')).map(key).sort()).toEqual([
      'GET /v1/openapi.json',
      'GET /v1/patients/{patientId}/coverages',
      'GET /v1/patients/{patientId}/eligibility-determinations',
      'GET /v1/rules/horizon',
      'GET /v1/rules/rule-sets',
      'PATCH /v1/patients/{patientId}/coverages/{coverageId}',
      'POST /v1/eligibility-checks',
      'POST /v1/patients/{patientId}/coverages',
      'POST /v1/rules/rule-sets',
    ]);
  });

  it('gives each operation the success status Nest answers with', () => {
    for (const route of routes) {
      const codes = Object.keys(operation(route.method, route.path).responses).filter((code) => code.startsWith('2'));
      expect({ route: key(route), codes }).toEqual({ route: key(route), codes: [String(route.status)] });
    }
  });

  it('asks for an Idempotency-Key where the controller reads one, required where it requires one', () => {
    // FHIR create: optional (FHIR clients send none; the key is derived, issue 18).
    const required = ['POST /v1/patients/{patientId}/coverages', 'POST /v1/eligibility-checks', 'POST /v1/rules/rule-sets'];
    for (const route of routes) {
      const header = operation(route.method, route.path).parameters?.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
      expect({ route: key(route), documented: header !== undefined }).toEqual({ route: key(route), documented: route.headers.includes('idempotency-key') });
      if (header === undefined) continue;
      const canonical = key({ ...route, path: route.path.replace(/^\/fhir\/R4\//, '/fhir/').replace(/^\/(?!v1\/|fhir\/)/, '/v1/') });
      expect({ route: key(route), required: header.required }).toEqual({ route: key(route), required: required.includes(canonical) });
      expect(header.schema).toEqual({ type: 'string', minLength: 1, maxLength: 200 });
    }
  });

  it('declares the query parameters a handler reads, and a request body exactly where it takes one', () => {
    for (const route of routes) {
      const op = operation(route.method, route.path);
      const queries = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      // FHIR routes read their query through @Search: the spec's search parameters and the result parameters; every FHIR route takes _format.
      const fhirType = /^\/fhir(?:\/R4)?\/(\w+)$/.exec(route.path)?.[1];
      const fhirSpec = BILLING_FHIR.resources.find((r) => r.type === fhirType);
      const served =
        fhirType === undefined ? route.queries : route.method === 'get' && fhirSpec ? [...(fhirSpec.searchParams ?? []).map((p) => p.name), '_count', '_offset', '_format'] : ['_format'];
      expect({ route: key(route), queries }).toEqual({ route: key(route), queries: served });
      expect({ route: key(route), body: op.requestBody !== undefined }).toEqual({ route: key(route), body: route.hasBody });
    }
    expect(operation('get', '/fhir/Coverage').parameters).toContainEqual(expect.objectContaining({ name: 'patient', in: 'query', required: true }));
  });

  it('describes the request bodies from the zod schemas the controllers parse with', () => {
    const body = (method: string, path: string) => operation(method, path).requestBody!.content['application/json']!.schema!;
    const check = body('post', '/v1/eligibility-checks');
    expect(check.type).toBe('object');
    expect(check.required).toEqual(expect.arrayContaining(['patientId', 'serviceCodes', 'modality', 'patientLocation', 'provider', 'dateOfService']));
    // A field with a default is optional on input.
    expect(check.required).not.toContain('purpose');
    expect(Object.keys(check.properties!)).toEqual(expect.arrayContaining(['appointmentId', 'coverageId', 'rpm', 'asOf', 'visitStartsAt']));
    const record = body('post', '/v1/patients/{patientId}/coverages');
    expect(record.required).toEqual(expect.arrayContaining(['payerKind', 'effectiveFrom', 'order']));
    expect(body('patch', '/v1/patients/{patientId}/coverages/{coverageId}').required ?? []).toEqual([]);
    const fhir = operation('post', '/fhir/CoverageEligibilityRequest').requestBody!.content['application/fhir+json']!.schema!;
    expect(fhir.required).toEqual(expect.arrayContaining(['resourceType', 'patient', 'servicedDate', 'provider', 'item']));
    // The alias shares the operation, body included.
    expect(body('post', '/eligibility-checks')).toEqual(check);
  });

  it('is bearer-secured except where the route is @Public()', () => {
    expect(document.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
    expect(document.security).toEqual([{ bearer: [] }]);
    for (const route of routes) {
      const security = operation(route.method, route.path).security;
      expect({ route: key(route), public: security !== undefined && security.length === 0 }).toEqual({ route: key(route), public: route.isPublic });
    }
    expect(routes.filter((r) => r.isPublic).map(key).sort()).toEqual(['GET /fhir/R4/metadata', 'GET /fhir/metadata', 'GET /v1/openapi.json']);
  });

  it('answers errors as problem+json on every secured route, as OperationOutcome on the FHIR routes', () => {
    for (const route of routes.filter((r) => !r.isPublic)) {
      const responses = operation(route.method, route.path).responses;
      // FHIR routes answer OperationOutcome (issue 18), with the document's one schema for it.
      const [media, schema] = route.path.startsWith('/fhir/') ? ['application/fhir+json', 'OperationOutcome'] : ['application/problem+json', 'Problem'];
      for (const code of ['400', '401', '403']) expect(responses[code]?.content).toEqual({ [media]: { schema: { $ref: `#/components/schemas/${schema}` } } });
    }
  });

  it('is a well-formed OpenAPI 3.1 document', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toEqual(expect.any(String));
    expect(document.info.version).toEqual(expect.any(String));
    // Plain JSON: what the controller serves is what this test reads.
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
    for (const [path, item] of Object.entries(document.paths)) {
      expect(path).toMatch(/^\/[\w\-./{}]*$/);
      const keys = Object.keys(item).filter((k) => k !== 'parameters');
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(HTTP_METHODS).toContain(k);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const k of keys) {
        const pathParameters = ((item[k] as Operation).parameters ?? []).filter((p) => p.in === 'path');
        expect(pathParameters.map((p) => p.name).sort()).toEqual([...templated].sort());
        for (const p of pathParameters) expect(p.required).toBe(true);
      }
    }
    for (const { method, path, operation: op } of documented) {
      const where = `${method} ${path}`;
      expect({ where, summary: typeof op.summary }).toEqual({ where, summary: 'string' });
      const codes = Object.keys(op.responses);
      expect(codes.length).toBeGreaterThan(0);
      for (const code of codes) {
        expect(code).toMatch(/^([1-5](\d\d|XX)|default)$/);
        expect({ where, code, description: typeof op.responses[code]!.description }).toEqual({ where, code, description: 'string' });
      }
      const names = (op.parameters ?? []).map((p) => `${p.in}:${p.name}`);
      expect(new Set(names).size).toBe(names.length);
      for (const p of op.parameters ?? []) expect(['query', 'header', 'path', 'cookie']).toContain(p.in);
      for (const requirement of op.security ?? []) for (const scheme of Object.keys(requirement as object)) expect(document.components.securitySchemes).toHaveProperty([scheme]);
    }
  });
});
