import request from 'supertest';
import { type HumanRole, type JsonSchema, type OpenApiDocument, SchemaValidator, errorCodeOf, refResolver } from '@carebridge/platform';
import type { AccessRecordedData } from '../access.events';
import { type AccessPolicyTable, type OperationPolicy, documentOperations } from '../access-policy';
import { withDisclosureOperations } from '../access-control.module';

const ROLES: readonly HumanRole[] = ['patient', 'provider', 'pharmacy', 'payer', 'ops'];
const BREAK_GLASS = { 'x-purpose-of-use': 'EMERGENCY', 'x-break-glass-reason': 'policy matrix: emergency access' };

export interface PolicyMatrixSubject {
  /** The running service (its HTTP server). */
  readonly server: Parameters<typeof request>[0];
  readonly policy: AccessPolicyTable;
  /** The patient's own actor of each role: the patient, a provider with a care relationship, ... */
  readonly own: Readonly<Record<HumanRole, { readonly token: string; readonly id: string }>>;
  /** A provider of the same role with no relationship to the patient. */
  readonly unrelatedProvider: { readonly token: string; readonly id: string };
  /** Another patient: refused (403 or 404, nothing of the patient's in the answer) wherever the operation names the patient. */
  readonly unrelatedPatient: { readonly token: string; readonly id: string };
  /** The fixture patient, and path/query values naming its resources (`deviceId`, or `GET /v1/fhir/Device/{id} id` for one operation). */
  readonly patientId: string;
  readonly values: Readonly<Record<string, string>>;
  /** Every route the app serves, as `METHOD /template` (compared with the document). */
  readonly routes: readonly string[];
  /** The service's AccessRecorded events so far (flushed). */
  accessEvents(): Promise<readonly AccessRecordedData[]>;
}

export interface PolicyMatrixReport {
  readonly operations: number;
  readonly requests: number;
  readonly crossActorRequests: number;
  readonly phiCalls: number;
  readonly auditedCalls: number;
  readonly problems: readonly string[];
}

interface Call {
  readonly who: string;
  readonly token?: string;
  readonly actorId?: string;
  readonly role?: HumanRole;
  readonly headers?: Record<string, string>;
  readonly expect: 'role-forbidden' | 'not-found' | 'passes-policy' | 'public' | 'refused';
}

/**
 * The policy test generated from a service's OpenAPI document: for every operation and every
 * role, the patient's own actor, an unrelated provider, and break-the-glass, the outcome the access
 * policy table declares is asserted against the running service; operations missing from the
 * table (or routes missing from the document) are problems. Every call of an `x-phi` operation must
 * add exactly one AccessRecorded event naming the caller, the purpose and the patient.
 */
export async function runPolicyMatrix(given: PolicyMatrixSubject): Promise<PolicyMatrixReport> {
  const subject = { ...given, policy: withDisclosureOperations(given.policy) };
  const document = (await request(subject.server).get('/v1/openapi.json')).body as OpenApiDocument;
  const operations = documentOperations(document);
  const problems: string[] = [];
  const inDocument = new Set(operations);
  for (const route of subject.routes) if (!inDocument.has(route)) problems.push(`${route}: served but not in the OpenAPI document`);
  const served = new Set(subject.routes);
  for (const operation of operations) if (!served.has(operation)) problems.push(`${operation}: in the OpenAPI document but not served`);
  for (const key of Object.keys(subject.policy)) if (!inDocument.has(key)) problems.push(`${key}: in the policy table but not in the OpenAPI document`);
  let requests = 0;
  let crossActorRequests = 0;
  let phiCalls = 0;
  let auditedCalls = 0;
  // Reads first, so writes that change state come after every read was tried.
  const ordered = [...operations].sort((a, b) => Number(!a.startsWith('GET ')) - Number(!b.startsWith('GET ')));
  for (const operation of ordered) {
    const policy = subject.policy[operation];
    if (!policy) {
      problems.push(`${operation}: missing from the access policy table`);
      continue;
    }
    const declared = (document.paths[operation.slice(operation.indexOf(' ') + 1)]?.[operation.split(' ')[0]!.toLowerCase()] ?? {}) as Record<string, unknown>;
    if (JSON.stringify(declared['x-roles']) !== JSON.stringify(policy.roles) || declared['x-phi'] !== policy.phi) {
      problems.push(`${operation}: the document's x-roles/x-phi differ from the policy table`);
    }
    for (const call of callsFor(policy, subject)) {
      requests += 1;
      if (call.who.startsWith('unrelated')) crossActorRequests += 1;
      // Another patient's refused call reached nothing of the fixture patient's: its record names no patient to check.
      const before = policy.phi ? (await subject.accessEvents()).length : 0;
      const response = await send(subject, operation, policy, call);
      // problem+json's `code`, or an OperationOutcome's first issue (FHIR endpoints).
      const code = errorCodeOf(response.body);
      const where = `${operation} as ${call.who}: ${response.status} ${code ?? ''}`.trim();
      for (const error of answerErrors(document, declared, response)) problems.push(`${where}: the answer does not match the document: ${error}`);
      if (code === 'ACCESS.NO_POLICY') problems.push(`${where}: no policy at run time`);
      if (call.expect === 'role-forbidden' && !(response.status === 403 && code === 'AUTH.ROLE_FORBIDDEN')) problems.push(`${where}: expected 403 AUTH.ROLE_FORBIDDEN`);
      // ACCESS.NOT_FOUND from the policy; a fixture resource that does not exist answers the handler's own 404.
      if (call.expect === 'not-found' && response.status !== 404) problems.push(`${where}: expected 404`);
      if (call.expect === 'not-found' && JSON.stringify(response.body ?? {}).includes(subject.patientId) && code !== 'ACCESS.NOT_FOUND') problems.push(`${where}: the 404 names the patient`);
      if (call.expect === 'passes-policy' && ((response.status === 403 && code === 'AUTH.ROLE_FORBIDDEN') || code === 'ACCESS.NOT_FOUND' || response.status === 401)) {
        // Break-the-glass the policy let through (its access event is flagged) may still meet the
        // handler's own ACCESS.NOT_FOUND: a write on a prescription the caller is not the holder of.
        const admitted = code === 'ACCESS.NOT_FOUND' && call.headers !== undefined && policy.phi && (await subject.accessEvents()).slice(before).some((e) => e.breakTheGlass);
        if (!admitted) problems.push(`${where}: expected the policy to let it through`);
      }
      if (call.expect === 'public' && (code ?? '').startsWith('AUTH.')) problems.push(`${where}: expected a public operation`);
      // Refused: 403 or 404, or a 4xx on the request's own shape (validated before ownership), never a
      // state-dependent 409/422 or a success, and nothing of the patient's in the answer but the URL echoed as `instance`.
      const { instance: _echoed, ...answer } = (response.body ?? {}) as Record<string, unknown>;
      if (call.expect === 'refused' && (response.status < 400 || response.status >= 500 || [409, 422].includes(response.status) || JSON.stringify(answer).includes(subject.patientId))) {
        problems.push(`${where}: expected a refusal naming nothing of the patient`);
      }
      // Refused by role before any lookup (JwtAuthGuard): nothing of the patient's was reached, the request log has it.
      if (!policy.phi || call.token === undefined || call.expect === 'role-forbidden') continue;
      phiCalls += 1;
      let added = (await subject.accessEvents()).slice(before);
      // A live view (Server-Sent Events) answers before its handler returns: give the record a moment.
      for (let i = 0; i < 20 && added.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        added = (await subject.accessEvents()).slice(before);
      }
      if (added.length !== 1) {
        problems.push(`${where}: ${added.length} access events, expected exactly 1`);
        continue;
      }
      auditedCalls += 1;
      const event = added[0]!;
      const purpose = call.headers?.['x-purpose-of-use'] ?? (call.role === 'patient' ? 'PATIENT-REQUEST' : 'TREAT');
      if (event.actor.id !== call.actorId || event.actor.role !== call.role) problems.push(`${where}: access event names actor ${event.actor.role} ${event.actor.id}`);
      if (event.purpose !== purpose) problems.push(`${where}: access event purpose ${event.purpose}, expected ${purpose}`);
      if (event.operation !== operation) problems.push(`${where}: access event operation ${event.operation}`);
      if (event.status !== response.status) problems.push(`${where}: access event status ${event.status}`);
      const reached = (response.status < 400 || code === 'ACCESS.NOT_FOUND') && call.who !== 'unrelated patient';
      if (policy.patient !== undefined && reached && !event.patientIds.includes(subject.patientId)) {
        problems.push(`${where}: access event patients ${JSON.stringify(event.patientIds)} miss ${subject.patientId}`);
      }
      if (call.who === 'unrelated provider, break-the-glass' && policy.relationship === 'care' && policy.patient && response.status < 400 && !event.breakTheGlass) {
        problems.push(`${where}: break-the-glass not flagged`);
      }
    }
  }
  return { operations: operations.length, requests, crossActorRequests, phiCalls, auditedCalls, problems };
}

/**
 * A JSON answer checked against the schema the document declares for its status and media type
 * (success answers, problem+json and FHIR OperationOutcomes alike), so the documented answers cannot drift from the handlers'.
 */
function answerErrors(document: OpenApiDocument, operation: Record<string, unknown>, response: { status: number; headers: Record<string, string | undefined>; body: unknown }): string[] {
  const media = (response.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (!(media === 'application/json' || media.endsWith('+json'))) return [];
  const responses = (operation.responses ?? {}) as Record<string, { content?: Record<string, { schema?: JsonSchema }> } | undefined>;
  const declared = responses[String(response.status)];
  if (!declared) return [`status ${response.status} is not declared`];
  const content = declared.content?.[media];
  if (!content) return [`${media} is not declared for ${response.status}`];
  const schema = content.schema;
  if (schema === undefined) return [];
  const resolve = refResolver(document);
  return new SchemaValidator((ref) => resolve(ref, schema)).validate(schema, response.body, 'body').map((e) => `${e.field}: ${e.message}`);
}

function callsFor(policy: OperationPolicy, subject: PolicyMatrixSubject): Call[] {
  if (policy.roles.length === 0) return [{ who: 'anonymous', expect: 'public' }];
  const calls: Call[] = ROLES.map((role) => ({
    who: `own ${role}`,
    token: subject.own[role].token,
    actorId: subject.own[role].id,
    role,
    expect: policy.roles.includes(role) ? 'passes-policy' : 'role-forbidden',
  }));
  if (policy.roles.includes('patient') && policy.patient !== undefined && policy.patient.from !== 'body') {
    const guarded = policy.relationship === 'care';
    calls.unshift({ who: 'unrelated patient', token: subject.unrelatedPatient.token, actorId: subject.unrelatedPatient.id, role: 'patient', expect: guarded ? 'not-found' : 'refused' });
  }
  if (policy.roles.includes('provider')) {
    const guarded = policy.relationship === 'care' && policy.patient !== undefined;
    const unrelated = { token: subject.unrelatedProvider.token, actorId: subject.unrelatedProvider.id, role: 'provider' as const };
    calls.unshift(
      { who: 'unrelated provider', ...unrelated, expect: guarded ? 'not-found' : 'passes-policy' },
      { who: 'unrelated provider, break-the-glass', ...unrelated, headers: BREAK_GLASS, expect: 'passes-policy' },
    );
  }
  return calls;
}

async function send(subject: PolicyMatrixSubject, operation: string, policy: OperationPolicy, call: Call) {
  const [method, template] = operation.split(' ') as [string, string];
  const value = (name: string) => subject.values[`${operation} ${name}`] ?? subject.values[name];
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(value(name) ?? '00000000-0000-4000-8000-000000000000'));
  const query: Record<string, string> = {};
  const body: Record<string, string> = {};
  if (policy.patient?.from === 'query') query[policy.patient.name] = value(policy.patient.name) ?? subject.patientId;
  if (policy.patient?.from === 'body') body[policy.patient.name] = value(policy.patient.name) ?? subject.patientId;
  const agent = request(subject.server);
  const base = (method === 'GET' ? agent.get(path) : method === 'POST' ? agent.post(path) : method === 'PUT' ? agent.put(path) : method === 'PATCH' ? agent.patch(path) : agent.delete(path)).query(query);
  const withAuth = call.token === undefined ? base : base.set('authorization', `Bearer ${call.token}`);
  const withHeaders = call.headers ? withAuth.set(call.headers) : withAuth;
  const sent = (method === 'GET' || method === 'DELETE' ? withHeaders : withHeaders.send(body)).ok(() => true).buffer(true);
  // A Server-Sent Events answer never ends: its status and headers are the outcome.
  return sent.parse((res, done) => {
    const response = res as unknown as NodeJS.ReadableStream & { headers: Record<string, string | undefined>; destroy(): void };
    if ((response.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      response.destroy();
      done(null, {});
      return;
    }
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.on('end', () => {
      try {
        done(null, text ? JSON.parse(text) : {});
      } catch {
        done(null, {});
      }
    });
  });
}

/** The routes an Express 5 app serves, as policy keys (Nest's app.getHttpAdapter().getInstance()). */
export function servedRoutes(express: unknown): string[] {
  const router = (express as { router?: { stack: Layer[] }; _router?: { stack: Layer[] } }).router ?? (express as { _router?: { stack: Layer[] } })._router;
  const keys = new Set<string>();
  for (const layer of router?.stack ?? []) {
    const route = layer.route;
    if (!route || typeof route.path !== 'string') continue;
    for (const method of Object.keys(route.methods ?? {})) {
      if (method === '_all' || method === 'head' || method === 'options') continue;
      keys.add(`${method.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return [...keys];
}

interface Layer {
  readonly route?: { readonly path?: unknown; readonly methods?: Record<string, boolean> };
}
