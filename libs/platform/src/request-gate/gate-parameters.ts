/**
 * The request gate's checks of path, query and header parameters against the operation's OpenAPI
 * parameters: types (coerced from text), formats, enums, lengths, no repeated parameter unless an
 * array, no control characters. Each check adds field errors; the gate refuses when there are any.
 */
import type { IncomingMessage } from 'node:http';
import type { FieldError } from '../validation/field-errors';
import type { JsonSchema, SchemaValidator } from './json-schema';
import type { GateOperation, Parameter } from './openapi-operations';

/** What the parameter checks need: the limits and the document's validator. */
export interface ParameterRules {
  readonly parameterLength: number;
  readonly queryParameters: number;
  readonly validator: SchemaValidator;
}

/** NUL, C0 controls and DEL: never part of an identifier, a code or a name. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_ANY = /[\u0000-\u001f\u007f]/;

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

export function checkPath(rules: ParameterRules, operation: GateOperation, raw: Record<string, string>, errors: FieldError[]): void {
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
    else if (value.length > rules.parameterLength) errors.push({ field, message: `Must be at most ${rules.parameterLength} characters` });
    else {
      const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === name);
      errors.push(...rules.validator.validate(parameter?.schema, coerce(parameter?.schema, value), field));
    }
  }
}

/** The query's values by name, decoded; `undefined` when a name or value is malformed percent-encoding. */
function parseQuery(rawQuery: string): Map<string, string[]> | undefined {
  const values = new Map<string, string[]>();
  if (rawQuery === '') return values;
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
  };
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = decode(eq === -1 ? '' : pair.slice(eq + 1));
    if (name === undefined || value === undefined) return undefined;
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return values;
}

export function checkQuery(rules: ParameterRules, operation: GateOperation, rawQuery: string, errors: FieldError[]): void {
  const values = parseQuery(rawQuery);
  if (!values) {
    errors.push({ field: 'query', message: 'Malformed percent-encoding' });
    return;
  }
  if (values.size > rules.queryParameters) {
    errors.push({ field: 'query', message: `At most ${rules.queryParameters} parameters` });
    return;
  }
  for (const [name, list] of values) {
    const error = queryParameterError(rules, operation, name, list);
    if (error) errors.push(error);
    else errors.push(...validateQueryParameter(rules, operation, name, list));
  }
}

function queryField(name: string): string {
  return `query.${name.length > 64 || CONTROL_ANY.test(name) ? '(name)' : name}`;
}

/** What is wrong with a query parameter before its schema is asked: its name, repetition, controls, length. */
function queryParameterError(rules: ParameterRules, operation: GateOperation, name: string, list: string[]): FieldError | undefined {
  const field = queryField(name);
  if (CONTROL_ANY.test(name) || name.length > 64) return { field, message: 'Invalid parameter name' };
  const parameter = operation.parameters.find((p) => p.in === 'query' && p.name === name);
  if (list.length > 1 && !isArraySchema(parameter?.schema)) return { field, message: 'Given more than once' };
  if (list.some((v) => CONTROL_ANY.test(v))) return { field, message: 'Control characters are not allowed' };
  if (list.some((v) => v.length > rules.parameterLength)) return { field, message: `Must be at most ${rules.parameterLength} characters` };
  return undefined;
}

function validateQueryParameter(rules: ParameterRules, operation: GateOperation, name: string, list: string[]): FieldError[] {
  const parameter = operation.parameters.find((p) => p.in === 'query' && p.name === name);
  if (!parameter) return [];
  const schema = parameter.schema;
  const value = isArraySchema(schema) ? list.map((v) => coerce((schema as { items?: JsonSchema }).items, v)) : coerce(schema, list[0]!);
  return rules.validator.validate(schema, value, queryField(name));
}

export function checkHeaders(rules: ParameterRules, operation: GateOperation, req: IncomingMessage, errors: FieldError[]): void {
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
    errors.push(...rules.validator.validate(parameter.schema, coerce(parameter.schema, raw), field));
  }
}
