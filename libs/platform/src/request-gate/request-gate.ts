import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Logger } from 'pino';
import { FHIR_JSON, isFhirPath, toOperationOutcome } from '../errors/operation-outcome';
import { PROBLEM_CONTENT_TYPE, problemType } from '../errors/problem';
import { getCorrelationId } from '../logging/request-context';
import type { FieldError } from '../validation/field-errors';
import { checkBody } from './gate-body';
import { checkHeaders, checkPath, checkQuery } from './gate-parameters';
import { GateRefusal, invalid } from './gate-refusal';
import { type JsonSchema, SchemaValidator } from './json-schema';
import { type GateOperation, type OpenApiDocument, matchOperation, operationsOf, refResolver } from './openapi-operations';
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
  const parameterRules = { ...limits, validator: new SchemaValidator((ref) => resolve(ref)) };
  const bodyValidators = new Map<JsonSchema, SchemaValidator>();
  const bodyRules = {
    ...limits,
    validatorFor: (schema: JsonSchema) => {
      let validator = bodyValidators.get(schema);
      if (!validator) {
        validator = new SchemaValidator((ref) => resolve(ref, schema));
        bodyValidators.set(schema, validator);
      }
      return validator;
    },
  };
  const rateLimit = options.rateLimits?.enabled && options.buckets ? rateLimiter(options, options.rateLimits, options.buckets) : undefined;

  const check = async (req: GatedRequest): Promise<void> => {
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    const matched = matchOperation(operations, req.method ?? 'GET', path);
    if (rateLimit && !/^\/health(\/|$)/.test(path)) await rateLimit.perAddress(req, matched?.operation);
    if (!matched) return;
    const { operation, rawPathValues } = matched;
    req[GATE_OPERATION] = operation;
    if (rateLimit && operation.rateLimit === 'device-ingestion' && rawPathValues.deviceId) {
      await rateLimit.perDevice(rawPathValues.deviceId);
    }
    const errors: FieldError[] = [];
    checkPath(parameterRules, operation, rawPathValues, errors);
    checkQuery(parameterRules, operation, queryStart === -1 ? '' : url.slice(queryStart + 1), errors);
    checkHeaders(parameterRules, operation, req, errors);
    if (errors.length > 0) throw invalid(errors);
    await checkBody(bodyRules, operation, req);
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

/** The gate's token buckets: per client address (by the operation's kind of limit) and per device. */
function rateLimiter(options: RequestGateOptions, rates: RateLimits, buckets: BucketStore) {
  const now = options.now ?? Date.now;
  const take = async (key: string, limit: { perMinute: number; burst: number }) => {
    const result = await buckets.take(`${options.service}:${key}`, limit, now());
    if (!result.allowed) {
      throw new GateRefusal(429, 'RATE_LIMIT.EXCEEDED', `Too many requests; retry after ${result.retryAfterSeconds} s`, undefined, {
        'retry-after': String(result.retryAfterSeconds),
      });
    }
  };
  return {
    perAddress: async (req: IncomingMessage, operation: GateOperation | undefined) => {
      const address = clientAddress(req, rates.trustedProxyHops);
      const kind = operation?.rateLimit ?? 'default';
      const limit = kind === 'device-ingestion' ? rates.device : kind === 'login' ? rates.login : rates.perAddress;
      await take(`address:${kind}:${address}`, limit);
    },
    perDevice: (deviceId: string) => take(`device:${deviceId.slice(0, 64)}`, rates.device),
  };
}
