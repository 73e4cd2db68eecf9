/**
 * The request gate's checks of a body: none at all where the operation takes none, the media type,
 * the size (declared and read), then for JSON the depth and number of values before parsing, no
 * control characters or unpaired surrogates, and the schema with unknown fields refused.
 */
import type { IncomingMessage } from 'node:http';
import type { FieldError } from '../validation/field-errors';
import { GateRefusal, invalid } from './gate-refusal';
import type { JsonSchema, SchemaValidator } from './json-schema';
import type { GateOperation } from './openapi-operations';

/** What the body checks need: the limits and a validator for a body schema. */
export interface BodyRules {
  readonly jsonBodyBytes: number;
  readonly jsonDepth: number;
  readonly jsonNodes: number;
  readonly validatorFor: (schema: JsonSchema) => SchemaValidator;
}

type OperationBody = NonNullable<GateOperation['body']>;

export function isJsonMedia(type: string): boolean {
  return type === 'application/json' || /^application\/[a-z0-9.-]+\+json$/.test(type);
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
 * Checks the body of `req` for `operation`. A JSON body is parsed once, here, and left on
 * `req.body` (later body parsers find the stream read); an upload is checked from its headers only
 * and left unread for the handler, which streams it after authentication.
 */
export async function checkBody(rules: BodyRules, operation: GateOperation, req: IncomingMessage & { body?: unknown }): Promise<void> {
  const length = req.headers['content-length'];
  const declaredLength = length === undefined ? undefined : Number(length);
  const hasBody = req.headers['transfer-encoding'] !== undefined || (declaredLength !== undefined && declaredLength > 0);
  if (!operation.body) {
    if (hasBody) throw new GateRefusal(400, 'REQUEST.BODY_NOT_ALLOWED', 'This operation takes no request body; send none', [{ field: 'body', message: 'Not allowed' }]);
    return;
  }
  if (!hasBody) {
    checkMissingBody(rules, operation.body);
    return;
  }
  const jsonMedia = acceptedJsonMedia(operation.body, req);
  const limit = operation.maxBodyBytes ?? rules.jsonBodyBytes;
  if (declaredLength !== undefined && declaredLength > limit) {
    throw new GateRefusal(413, 'REQUEST.BODY_TOO_LARGE', `The body may be at most ${limit} bytes; this one is ${declaredLength}`);
  }
  // Uploads: checked from the headers only; the handler streams them after authentication.
  if (jsonMedia === undefined) return;
  const body = await readJsonBody(rules, req, limit);
  const schema = operation.body.content[jsonMedia]?.schema;
  if (schema !== undefined) {
    const errors = rules.validatorFor(schema).validate(schema, body, 'body');
    if (errors.length > 0) throw invalid(errors);
  }
  // Parsed once, here: later body parsers find the stream read and leave `body` as it is.
  req.body = body;
  (req as { _body?: boolean })._body = true;
}

/** A body whose fields are all optional may be left out (the handler reads it as {}). */
function checkMissingBody(rules: BodyRules, body: OperationBody): void {
  const jsonSchema = Object.entries(body.content).find(([type]) => isJsonMedia(type))?.[1].schema;
  const emptyIsValid = jsonSchema !== undefined && rules.validatorFor(jsonSchema).validate(jsonSchema, {}, 'body').length === 0;
  if (body.required && !emptyIsValid) throw invalid([{ field: 'body', message: 'Required' }]);
}

/** The operation's JSON media type when the request sends JSON, `undefined` for another accepted type; else 415. */
function acceptedJsonMedia(body: OperationBody, req: IncomingMessage): string | undefined {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const media = Object.keys(body.content);
  const jsonMedia = media.find(isJsonMedia);
  const takesJson = jsonMedia !== undefined && isJsonMedia(contentType);
  if (!takesJson && !media.includes(contentType)) {
    throw new GateRefusal(415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', `Content-Type must be ${media.join(' or ')}`, [{ field: 'header.Content-Type', message: `Must be ${media.join(' or ')}` }]);
  }
  return takesJson ? jsonMedia : undefined;
}

async function readJsonBody(rules: BodyRules, req: IncomingMessage, limit: number): Promise<unknown> {
  const text = (await readBody(req, limit)).toString('utf8');
  const shape = jsonShape(text);
  if (shape.depth > rules.jsonDepth) throw invalid([{ field: 'body', message: `Nested more than ${rules.jsonDepth} levels` }]);
  if (shape.nodes > rules.jsonNodes) throw invalid([{ field: 'body', message: `More than ${rules.jsonNodes} values` }]);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid([{ field: 'body', message: 'Malformed JSON' }]);
  }
  const unsafe = unsafeText(body, 'body');
  if (unsafe.length > 0) throw invalid(unsafe);
  return body;
}
