import { randomUUID } from 'node:crypto';

/**
 * Malformed requests for every operation of an OpenAPI document, by family: path parameters,
 * query parameters (declared ones and the names services commonly read), headers, bodies
 * (syntax, size, depth, types, unknown fields, hostile strings in every string field) and media
 * types. Deterministic: the same document gives the same requests.
 */
export interface FuzzRequest {
  readonly family: string;
  readonly method: string;
  /** Path and query, relative to the service prefix. */
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer;
}

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

/** Strings an attacker tries in any field. */
export const HOSTILE_STRINGS: readonly string[] = [
  'nul\u0000byte',
  'ctl\u0001\u001b[31m',
  'x12~NM1*IL*1*EVIL~',
  'sep^:|*~',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  "</Patient><Script>'\"&amp;",
  "' OR 1=1; DROP TABLE events;--",
  '${jndi:ldap://x}{{7*7}}',
  '../../../../etc/passwd',
  '\ud800',
  'A'.repeat(20_000),
  '   ',
  '',
];

const VALUE_FAMILIES: readonly [string, string][] = [
  ['not-a-date', 'not-a-date'],
  ['impossible-date', '2026-02-30'],
  ['negative', '-1'],
  ['huge-number', '1e308'],
  ['nul', 'a\u0000b'],
  ['control', 'a\u0007b'],
  ['long', 'x'.repeat(5_000)],
  ['sql', "' OR '1'='1"],
  ['dashes', '------'],
];

/** Query names the services read (some undeclared in older documents). */
const COMMON_QUERY = ['from', 'to', 'patient', 'specialty', 'purpose', 'status', 'date', 'code', 'limit', 'days', 'on'];

/** Valid values of the path parameters that are not UUIDs (their documents give patterns). */
export const PATH_EXAMPLES: Readonly<Record<string, string>> = { ncpdpId: '1234567', deaNumber: 'AB1234563', state: 'NY', sha256: 'a'.repeat(64) };

/** The path with `values` where given, a valid value elsewhere. */
export function fill(template: string, values: Record<string, string> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? PATH_EXAMPLES[name] ?? randomUUID());
}

function resolveRef(schema: Schema | undefined, root: Schema | undefined, document: Schema): Schema | undefined {
  if (!schema || typeof schema.$ref !== 'string') return schema;
  const parts = schema.$ref.slice(2).split('/');
  for (const base of [root, document]) {
    let node: unknown = base;
    for (const part of parts) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    if (node) return node as Schema;
  }
  return undefined;
}

/** A value the schema accepts, as far as a simple reading can tell (the base every body mutation starts from). */
export function exampleOf(schema: Schema | undefined, root: Schema | undefined, document: Schema, depth = 0): unknown {
  const s = resolveRef(schema, root, document);
  if (!s || depth > 8) return null;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.default !== undefined) return s.default;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = s[key] as Schema[] | undefined;
    if (options?.length) return exampleOf(options.find((o) => o.type !== 'null') ?? options[0], root, document, depth + 1);
  }
  if (Array.isArray(s.allOf)) {
    return Object.assign({}, ...(s.allOf as Schema[]).map((part) => exampleOf(part, root, document, depth + 1) as object));
  }
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      switch (s.format) {
        case 'uuid':
          return randomUUID();
        case 'date':
          return '2026-03-02';
        case 'date-time':
          return '2026-03-02T10:00:00Z';
        case 'email':
          return 'a@example.com';
        default:
          return 'x'.repeat(Math.max(1, Number(s.minLength ?? 1)));
      }
    case 'integer':
    case 'number':
      return Number(s.minimum ?? s.exclusiveMinimum ?? 0) + (s.exclusiveMinimum !== undefined ? 1 : 0) || 1;
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(1, Number(s.minItems ?? 1)) }, () => exampleOf(s.items as Schema, root, document, depth + 1));
    case 'object':
    default: {
      const properties = (s.properties as Record<string, Schema> | undefined) ?? {};
      const required = (s.required as string[] | undefined) ?? Object.keys(properties);
      return Object.fromEntries(required.map((name) => [name, exampleOf(properties[name], root, document, depth + 1)]));
    }
  }
}

/** Paths to every string leaf of a value (where hostile strings go). */
function stringLeaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}
function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return path.length > 0 ? [path] : [];
}
function setAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = replacement;
  return copy;
}

/** At least `minimum` malformed requests for one operation. */
export function malformedRequests(document: Schema, template: string, method: string, operation: Operation, minimum = 30): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  const pathParams = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const declaredQuery = (operation.parameters ?? []).filter((p) => p.in === 'query');
  const json = { 'content-type': 'application/json' };
  const bodyContent = operation.requestBody?.content ?? {};
  const jsonBody = bodyContent['application/json'] ?? Object.entries(bodyContent).find(([t]) => t.endsWith('+json'))?.[1];
  const bodySchema = jsonBody?.schema;
  const base = bodySchema ? exampleOf(bodySchema, bodySchema, document) : undefined;
  const rawBodyTypes = Object.keys(bodyContent).filter((t) => !t.includes('json'));
  const good = fill(template, {});
  const add = (family: string, url: string, headers: Record<string, string> = {}, body?: string | Buffer) =>
    out.push({ family, method: method.toUpperCase(), url, headers: { 'idempotency-key': randomUUID(), ...headers }, ...(body !== undefined && { body }) });
  const validBody = base === undefined ? undefined : JSON.stringify(base);
  const withBody = (headers: Record<string, string> = {}) => (validBody !== undefined ? { headers: { ...json, ...headers }, body: validBody } : { headers });

  // Path parameters.
  for (const name of pathParams) {
    for (const [family, value] of [...VALUE_FAMILIES, ['traversal', '..%2F..%2Fetc'], ['bad-percent', '%E0%A4%A'], ['unicode', 'Ω≈ç√∫']] as const) {
      const encoded = family === 'traversal' || family === 'bad-percent' ? value : encodeURIComponent(value);
      const { headers, body } = withBody();
      add(`path:${family}`, fill(template, { [name]: encoded }), headers, body);
    }
  }
  // Query parameters: declared ones and common names, each malformed, and repeated.
  const names = [...new Set([...declaredQuery.map((p) => p.name), ...(method === 'get' ? COMMON_QUERY : [])])];
  for (const [index, name] of names.entries()) {
    const declared = declaredQuery.some((p) => p.name === name);
    // Declared parameters get every family; the common names a rotating few (the gate's rules are the same for all).
    const families = declared ? VALUE_FAMILIES : [0, 1, 2].map((k) => VALUE_FAMILIES[(index * 3 + k) % VALUE_FAMILIES.length]!);
    for (const [family, value] of families) {
      const { headers, body } = withBody();
      add(`query:${family}`, `${good}?${name}=${encodeURIComponent(value)}`, headers, body);
    }
    const { headers, body } = withBody();
    add('query:repeated', `${good}?${name}=a&${name}=b`, headers, body);
    add('query:array-syntax', `${good}?${name}[]=a&${name}[x]=b`, headers, body);
  }
  add('query:too-many', `${good}?${Array.from({ length: 200 }, (_, i) => `p${i}=${i}`).join('&')}`);
  add('query:bad-percent', `${good}?from=%E0%A4%A`);
  // Headers.
  add('header:idempotency-key-long', good, { 'idempotency-key': 'k'.repeat(5_000), ...withBody().headers }, withBody().body);
  add('header:idempotency-key-short', good, { 'idempotency-key': 'k', ...withBody().headers }, withBody().body);
  add('header:bad-authorization', good, { authorization: 'Bearer not.a.jwt', ...withBody().headers }, withBody().body);
  add('header:authorization-none', good, { authorization: 'Basic Zm9vOmJhcg==' });
  // Bodies, whatever the operation takes.
  add('body:malformed-json', good, json, '{"a": ');
  add('body:deep-nesting', good, json, `${'['.repeat(5_000)}${']'.repeat(5_000)}`);
  add('body:deep-object', good, json, `${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}`);
  add('body:too-large', good, json, JSON.stringify({ x: 'y'.repeat(3 * 1024 * 1024) }));
  add('body:null', good, json, 'null');
  add('body:array', good, json, '[]');
  add('body:number', good, json, '1e308');
  add('body:empty-object', good, json, '{}');
  add('body:proto', good, json, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
  add('body:text-plain', good, { 'content-type': 'text/plain' }, 'hello');
  add('body:xml', good, { 'content-type': 'application/xml' }, '<x/>');
  add('body:form', good, { 'content-type': 'application/x-www-form-urlencoded' }, 'a=b&a=c');
  add('body:no-content-type', good, {}, '{"a":1}');
  add('body:one-mebibyte', good, json, JSON.stringify({ pad: 'z'.repeat(1024 * 1024) }));
  if (base !== undefined) {
    add('body:unknown-field', good, json, JSON.stringify({ ...(base as object), unexpectedField: 1 }));
    // Every leaf with the wrong type, every string leaf with each hostile string.
    const wrongTypes = [{ nested: true }, [1, 2], 12345, null, true];
    for (const [i, leaf] of leaves(base).slice(0, 8).entries()) {
      for (const k of [0, 1]) add('body:wrong-type', good, json, JSON.stringify(setAt(base, leaf, wrongTypes[(i * 2 + k) % wrongTypes.length])));
    }
    // Each string field gets four hostile strings, rotating so the fields together get them all.
    for (const [i, leaf] of stringLeaves(base).slice(0, 6).entries()) {
      for (const k of [0, 1, 2, 3]) add('body:hostile-string', good, json, JSON.stringify(setAt(base, leaf, HOSTILE_STRINGS[(i * 4 + k) % HOSTILE_STRINGS.length])));
    }
    add('body:valid-example', good, json, validBody);
  }
  for (const type of rawBodyTypes) {
    add('upload:wrong-bytes', good, { 'content-type': type }, Buffer.from('<html><script>alert(1)</script></html>'));
    add('upload:wrong-type-and-bytes', good, { 'content-type': 'text/html' }, Buffer.from('<html></html>'));
  }
  // Lone surrogates cannot be percent-encoded: those go in bodies only.
  const encodable = HOSTILE_STRINGS.filter((h) => !/[\ud800-\udfff]/.test(h));
  while (out.length < minimum) add('query:unknown-hostile', `${good}?q${out.length}=${encodeURIComponent(encodable[out.length % encodable.length]!.slice(0, 100))}`);
  return out;
}
