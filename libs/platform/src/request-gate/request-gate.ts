import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Logger } from 'pino';
import { FHIR_JSON, isFhirPath, toOperationOutcome } from '../errors/operation-outcome';
import { PROBLEM_CONTENT_TYPE, problemType } from '../errors/problem';
import { getCorrelationId } from '../logging/request-context';
import type { FieldError } from '../validation/field-errors';
import { type JsonSchema, SchemaValidator } from './json-schema';
import { type GateOperation, type OpenApiDocument, type Parameter, matchOperation, operationsOf, refResolver } from './openapi-operations';
import { type BucketStore, type RateLimits, clientAddress } from './rate-limit';

/** Limits on a request's shape (README, "Input limits and rate limits"). */
export interface InputLimits {
  /** JSON bodies (default 100 KiB; an operation may say `x-carebridge-max-body-bytes`). */
  readonly jsonBodyBytes: number;
  /** Nesting of a JSON body (objects and arrays). */
  readonly jsonDepth: number;
  /** Keys and array items in a whole JSON body. */
  readonly jsonNodes: number;
  /** One path or query value, in characters. */
  readonly parameterLength: number;
  /** Distinct query parameters. */
  readonly queryParameters: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  jsonBodyBytes: 100 * 1024,
  jsonDepth: 32,
  jsonNodes: 20_000,
  parameterLength: 1_024,
  queryParameters: 40,
};

export interface RequestGateOptions {
  readonly document: OpenApiDocument;
  readonly limits?: Partial<InputLimits>;
  readonly rateLimits?: RateLimits;
  readonly buckets?: BucketStore;
  readonly logger?: Logger;
  /** `monitoring`: bucket keys are per service (one Redis serves several). */
  readonly service: string;
  readonly now?: () => number;
}

/** The operation a request matched, for the per-principal limit after authentication. */
export const GATE_OPERATION = Symbol('carebridge.gate.operation');
export type GatedRequest = IncomingMessage & { [GATE_OPERATION]?: GateOperation; body?: unknown };

/** NUL, C0 controls and DEL: never part of an identifier, a code or a name. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_ANY = /[\u0000-\u001f\u007f]/;

class GateRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors?: readonly FieldError[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
  }
}

const invalid = (errors: FieldError[]) =>
  new GateRefusal(400, 'REQUEST.INVALID', errors.map(({ field, message }) => `${field}: ${message}`).join('; '), errors);

/** Answers a problem straight from the middleware (Nest's exception filters are not reached yet); under a FHIR base, an OperationOutcome. */
export function writeProblem(
  req: IncomingMessage,
  res: ServerResponse,
  problem: { status: number; code: string; detail: string; errors?: readonly FieldError[]; headers?: Readonly<Record<string, string>> },
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const instance = ((req as { originalUrl?: string }).originalUrl ?? req.url ?? '/').split('?')[0];
  const correlationId = getCorrelationId();
  const fhir = isFhirPath(instance ?? '/');
  const body = fhir ? JSON.stringify(toOperationOutcome({ ...problem, ...(correlationId && { correlationId }) })) : JSON.stringify({
    type: problemType(problem.code),
    title: STATUS_CODES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    instance,
    code: problem.code,
    ...(correlationId && { correlationId }),
    ...(problem.errors && { errors: problem.errors }),
  });
  for (const [name, value] of Object.entries(problem.headers ?? {})) res.setHeader(name, value);
  res.statusCode = problem.status;
  res.setHeader('content-type', `${fhir ? FHIR_JSON : PROBLEM_CONTENT_TYPE}; charset=utf-8`);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

function isJsonMedia(type: string): boolean {
  return type === 'application/json' || /^application\/[a-z0-9.-]+\+json$/.test(type);
}

/** A query or path value as its schema's type: `?limit=10` is the number 10 when the schema says integer. */
function coerce(schema: JsonSchema | undefined, raw: string): unknown {
  if (schema === undefined || typeof schema === 'boolean') return raw;
  const types = [schema.type, ...((schema.anyOf as { type?: unknown }[] | undefined) ?? []).map((s) => s.type)].flat();
  if (types.includes('string')) return raw;
  if ((types.includes('integer') || types.includes('number')) && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  if (types.includes('boolean') && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

function isArraySchema(schema: JsonSchema | undefined): boolean {
  return schema !== undefined && typeof schema !== 'boolean' && schema.type === 'array';
}

/** Depth and size of a JSON text, measured before parsing it (a 10,000-deep array costs nothing to refuse). */
function jsonShape(text: string): { depth: number; nodes: number } {
  let depth = 0;
  let maxDepth = 0;
  let nodes = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      nodes++;
      if (depth > maxDepth) maxDepth = depth;
    } else if (c === 125 || c === 93) depth--;
    else if (c === 44) nodes++;
  }
  return { depth: maxDepth, nodes };
}

/**
 * Text no field may hold: NUL and other C0 controls (tab, line feed and carriage return excepted),
 * DEL, and unpaired surrogates (not Unicode; PostgreSQL, XML and X12 writers all choke on them).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unsafeText(value: unknown, path: string, found: FieldError[] = []): FieldError[] {
  if (found.length >= 10) return found;
  if (typeof value === 'string') {
    if (UNSAFE_TEXT.test(value)) found.push({ field: path, message: 'Control characters and unpaired surrogates are not allowed' });
  } else if (Array.isArray(value)) value.forEach((item, i) => unsafeText(item, `${path}[${i}]`, found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const field = UNSAFE_TEXT.test(key) || key.length > 100 ? `${path}.(key)` : `${path}.${key}`;
      if (UNSAFE_TEXT.test(key)) found.push({ field, message: 'Control characters are not allowed in names' });
      else unsafeText(item, field, found);
    }
  }
  return found;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (error) {
        req.resume();
        reject(error);
      } else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(new GateRefusal(413, 'REQUEST.BODY_TOO_LARGE', `The body may be at most ${limit} bytes`));
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (error: Error) => finish(new GateRefusal(400, 'REQUEST.BODY_INCOMPLETE', `The body could not be read: ${error.message}`));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * The request gate: before any handler, guard or I/O, a request for an operation of the service's
 * OpenAPI document is checked against it: path and query parameters (types, formats such as uuid
 * and real calendar dates, enums, lengths, no repeated parameter unless an array, no control
 * characters), declared headers, and the body (media type, size, depth, schema with unknown fields
 * refused; none at all where the operation takes none). Refusals are problem+json naming the
 * field. The per-address rate limit is taken here too. JSON bodies are parsed here (later parsers
 * see them read); other bodies (uploads) are left unread for the handler, after authentication.
 */
export function requestGate(options: RequestGateOptions) {
  const operations = operationsOf(options.document);
  const limits: InputLimits = { ...DEFAULT_INPUT_LIMITS, ...options.limits };
  const resolve = refResolver(options.document);
  const documentValidator = new SchemaValidator((ref) => resolve(ref));
  const bodyValidators = new Map<JsonSchema, SchemaValidator>();
  const bodyValidator = (schema: JsonSchema) => {
    let validator = bodyValidators.get(schema);
    if (!validator) {
      validator = new SchemaValidator((ref) => resolve(ref, schema));
      bodyValidators.set(schema, validator);
    }
    return validator;
  };
  const now = options.now ?? Date.now;

  const check = async (req: GatedRequest): Promise<void> => {
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    if (options.rateLimits?.enabled && options.buckets && !/^\/health(\/|$)/.test(path)) {
      await takeAddressToken(req, path);
    }
    const matched = matchOperation(operations, req.method ?? 'GET', path);
    if (!matched) return;
    const { operation, rawPathValues } = matched;
    req[GATE_OPERATION] = operation;
    if (options.rateLimits?.enabled && options.buckets && operation.rateLimit === 'device-ingestion' && rawPathValues.deviceId) {
      await take(`device:${rawPathValues.deviceId.slice(0, 64)}`, options.rateLimits.device);
    }
    const errors: FieldError[] = [];
    checkPath(operation, rawPathValues, errors);
    checkQuery(operation, queryStart === -1 ? '' : url.slice(queryStart + 1), errors);
    checkHeaders(operation, req, errors);
    if (errors.length > 0) throw invalid(errors);
    await checkBody(operation, req);
  };

  const take = async (key: string, limit: { perMinute: number; burst: number }) => {
    const result = await options.buckets!.take(`${options.service}:${key}`, limit, now());
    if (!result.allowed) {
      throw new GateRefusal(429, 'RATE_LIMIT.EXCEEDED', `Too many requests; retry after ${result.retryAfterSeconds} s`, undefined, {
        'retry-after': String(result.retryAfterSeconds),
      });
    }
  };

  const takeAddressToken = async (req: IncomingMessage, path: string) => {
    const rates = options.rateLimits!;
    const address = clientAddress(req, rates.trustedProxyHops);
    const matched = matchOperation(operations, req.method ?? 'GET', path);
    const kind = matched?.operation.rateLimit ?? 'default';
    const limit = kind === 'device-ingestion' ? rates.device : kind === 'login' ? rates.login : rates.perAddress;
    await take(`address:${kind}:${address}`, limit);
  };

  const checkPath = (operation: GateOperation, raw: Record<string, string>, errors: FieldError[]) => {
    for (const name of operation.pathNames) {
      const field = `path.${name}`;
      let value: string;
      try {
        value = decodeURIComponent(raw[name]!);
      } catch {
        errors.push({ field, message: 'Malformed percent-encoding' });
        continue;
      }
      if (CONTROL_ANY.test(value)) errors.push({ field, message: 'Control characters are not allowed' });
      else if (value.length > limits.parameterLength) errors.push({ field, message: `Must be at most ${limits.parameterLength} characters` });
      else {
        const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === name);
        errors.push(...documentValidator.validate(parameter?.schema, coerce(parameter?.schema, value), field));
      }
    }
  };

  const checkQuery = (operation: GateOperation, rawQuery: string, errors: FieldError[]) => {
    const values = new Map<string, string[]>();
    if (rawQuery !== '') {
      for (const pair of rawQuery.split('&')) {
        if (pair === '') continue;
        const eq = pair.indexOf('=');
        const decode = (text: string) => {
          try {
            return decodeURIComponent(text.replace(/\+/g, ' '));
          } catch {
            return undefined;
          }
        };
        const name = decode(eq === -1 ? pair : pair.slice(0, eq));
        const value = decode(eq === -1 ? '' : pair.slice(eq + 1));
        if (name === undefined || value === undefined) {
          errors.push({ field: 'query', message: 'Malformed percent-encoding' });
          return;
        }
        values.set(name, [...(values.get(name) ?? []), value]);
      }
    }
    if (values.size > limits.queryParameters) {
      errors.push({ field: 'query', message: `At most ${limits.queryParameters} parameters` });
      return;
    }
    for (const [name, list] of values) {
      const field = `query.${name.length > 64 || CONTROL_ANY.test(name) ? '(name)' : name}`;
      if (CONTROL_ANY.test(name) || name.length > 64) {
        errors.push({ field, message: 'Invalid parameter name' });
        continue;
      }
      const parameter = operation.parameters.find((p) => p.in === 'query' && p.name === name);
      if (list.length > 1 && !isArraySchema(parameter?.schema)) {
        errors.push({ field, message: 'Given more than once' });
        continue;
      }
      if (list.some((v) => CONTROL_ANY.test(v))) {
        errors.push({ field, message: 'Control characters are not allowed' });
        continue;
      }
      if (list.some((v) => v.length > limits.parameterLength)) {
        errors.push({ field, message: `Must be at most ${limits.parameterLength} characters` });
        continue;
      }
      if (!parameter) continue;
      const schema = parameter.schema;
      const value = isArraySchema(schema)
        ? list.map((v) => coerce((schema as { items?: JsonSchema }).items, v))
        : coerce(schema, list[0]!);
      errors.push(...documentValidator.validate(schema, value, field));
    }
  };

  const checkHeaders = (operation: GateOperation, req: IncomingMessage, errors: FieldError[]) => {
    for (const parameter of operation.parameters.filter((p: Parameter) => p.in === 'header')) {
      const raw = req.headers[parameter.name.toLowerCase()];
      if (raw === undefined) continue;
      const field = `header.${parameter.name}`;
      if (Array.isArray(raw)) {
        errors.push({ field, message: 'Given more than once' });
        continue;
      }
      if (CONTROL.test(raw)) {
        errors.push({ field, message: 'Control characters are not allowed' });
        continue;
      }
      errors.push(...documentValidator.validate(parameter.schema, coerce(parameter.schema, raw), field));
    }
  };

  const checkBody = async (operation: GateOperation, req: GatedRequest) => {
    const length = req.headers['content-length'];
    const declaredLength = length === undefined ? undefined : Number(length);
    const hasBody = req.headers['transfer-encoding'] !== undefined || (declaredLength !== undefined && declaredLength > 0);
    if (!operation.body) {
      if (hasBody) throw new GateRefusal(400, 'REQUEST.BODY_NOT_ALLOWED', 'This operation takes no request body; send none', [{ field: 'body', message: 'Not allowed' }]);
      return;
    }
    if (!hasBody) {
      // A body whose fields are all optional may be left out (the handler reads it as {}).
      const jsonSchema = Object.entries(operation.body.content).find(([type]) => isJsonMedia(type))?.[1].schema;
      const emptyIsValid = jsonSchema !== undefined && bodyValidator(jsonSchema).validate(jsonSchema, {}, 'body').length === 0;
      if (operation.body.required && !emptyIsValid) throw invalid([{ field: 'body', message: 'Required' }]);
      return;
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const media = Object.keys(operation.body.content);
    const jsonMedia = media.find(isJsonMedia);
    const takesJson = jsonMedia !== undefined && isJsonMedia(contentType);
    if (!takesJson && !media.includes(contentType)) {
      throw new GateRefusal(415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', `Content-Type must be ${media.join(' or ')}`, [{ field: 'header.Content-Type', message: `Must be ${media.join(' or ')}` }]);
    }
    const limit = operation.maxBodyBytes ?? limits.jsonBodyBytes;
    if (declaredLength !== undefined && declaredLength > limit) {
      throw new GateRefusal(413, 'REQUEST.BODY_TOO_LARGE', `The body may be at most ${limit} bytes; this one is ${declaredLength}`);
    }
    // Uploads: checked from the headers only; the handler streams them after authentication.
    if (!takesJson) return;
    const text = (await readBody(req, limit)).toString('utf8');
    const shape = jsonShape(text);
    if (shape.depth > limits.jsonDepth) throw invalid([{ field: 'body', message: `Nested more than ${limits.jsonDepth} levels` }]);
    if (shape.nodes > limits.jsonNodes) throw invalid([{ field: 'body', message: `More than ${limits.jsonNodes} values` }]);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw invalid([{ field: 'body', message: 'Malformed JSON' }]);
    }
    const unsafe = unsafeText(body, 'body');
    if (unsafe.length > 0) throw invalid(unsafe);
    const schema = operation.body.content[jsonMedia!]?.schema;
    if (schema !== undefined) {
      const errors = bodyValidator(schema).validate(schema, body, 'body');
      if (errors.length > 0) throw invalid(errors);
    }
    // Parsed once, here: later body parsers find the stream read and leave `body` as it is.
    req.body = body;
    (req as { _body?: boolean })._body = true;
  };

  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    check(req as GatedRequest).then(
      () => next(),
      (error: unknown) => {
        if (error instanceof GateRefusal) {
          writeProblem(req, res, { status: error.status, code: error.code, detail: error.message, ...(error.errors && { errors: error.errors }), headers: error.headers });
          return;
        }
        options.logger?.error({ err: error }, 'request gate failed');
        writeProblem(req, res, { status: 500, code: 'INTERNAL.UNEXPECTED', detail: 'An unexpected error occurred. Quote the correlation id when reporting it.' });
      },
    );
  };
}
