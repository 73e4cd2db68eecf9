import { isUuid } from '@carebridge/shared-kernel';
import type { FieldError } from '../validation/field-errors';

/**
 * A JSON Schema (2020-12 subset, as `z.toJSONSchema` and the services' OpenAPI documents write it)
 * checked against a request value. Objects are strict: a property the schema does not name is
 * refused unless the schema says `additionalProperties` itself (a record, a loose object).
 */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

interface SchemaObject {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  not?: JsonSchema;
  $ref?: string;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  propertyNames?: JsonSchema;
}

/** `#/$defs/x`, `#/components/schemas/x`: resolved against the document the schema came from. */
export type RefResolver = (ref: string) => JsonSchema | undefined;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A real calendar day: 2026-02-30 is not one. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function isIsoDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 61;
}

const FORMATS: Record<string, (value: string) => boolean> = {
  uuid: isUuid,
  date: isIsoDate,
  'date-time': isIsoDateTime,
  time: (v) => {
    const m = TIME.exec(v);
    return m !== null && Number(m[1]) < 24 && Number(m[2]) < 60 && (m[4] === undefined || Number(m[4]) < 61);
  },
  email: (v) => EMAIL.test(v) && v.length <= 320,
};

const patterns = new Map<string, RegExp | null>();
function compiled(pattern: string): RegExp | null {
  if (!patterns.has(pattern)) {
    try {
      patterns.set(pattern, new RegExp(pattern, 'u'));
    } catch {
      patterns.set(pattern, null);
    }
  }
  return patterns.get(pattern)!;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

function equal(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** A path for messages: `body.intake.symptoms[0]`. */
function child(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export class SchemaValidator {
  constructor(private readonly resolve: RefResolver = () => undefined) {}

  /** Every problem found, each naming its field; empty when the value is valid. */
  validate(schema: JsonSchema | undefined, value: unknown, path: string): FieldError[] {
    const errors: FieldError[] = [];
    this.check(schema, value, path, errors, 0, true);
    return errors;
  }

  private check(schema: JsonSchema | undefined, value: unknown, path: string, errors: FieldError[], depth: number, strict: boolean): void {
    if (schema === undefined || schema === true) return;
    if (schema === false) {
      errors.push({ field: path, message: 'Not allowed' });
      return;
    }
    if (depth > 64) return;
    const s = schema as SchemaObject;
    if (s.$ref !== undefined) {
      const target = this.resolve(s.$ref);
      if (target !== undefined) this.check(target, value, path, errors, depth + 1, strict);
    }
    if (s.allOf) {
      // Each part names some of the fields: unknown ones are those no part names.
      for (const part of s.allOf) this.check(part, value, path, errors, depth + 1, false);
      if (strict && typeOf(value) === 'object' && s.properties === undefined) {
        const known = new Set(s.allOf.flatMap((part) => this.propertyNames(part)));
        if (!known.has('*')) {
          for (const key of Object.keys(value as object)) if (!known.has(key)) errors.push({ field: child(path, key), message: 'Unknown field' });
        }
      }
    }
    for (const alternatives of [s.anyOf, s.oneOf]) {
      if (!alternatives) continue;
      const results = alternatives.map((alternative) => {
        const found: FieldError[] = [];
        this.check(alternative, value, path, found, depth + 1, strict);
        return found;
      });
      if (!results.some((r) => r.length === 0)) {
        // The closest alternative says the most: the one with the fewest problems.
        const best = results.reduce((a, b) => (b.length < a.length ? b : a), results[0] ?? []);
        errors.push(...(best.length > 0 ? best : [{ field: path, message: 'Matches none of the allowed shapes' }]));
        return;
      }
    }
    if (s.not !== undefined && this.validate(s.not, value, path).length === 0) errors.push({ field: path, message: 'Not allowed' });
    if (s.const !== undefined && !equal(s.const, value)) {
      errors.push({ field: path, message: `Must be ${JSON.stringify(s.const)}` });
      return;
    }
    if (s.enum && !s.enum.some((e) => equal(e, value))) {
      errors.push({ field: path, message: `Must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}` });
      return;
    }
    const actual = typeOf(value);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? s.type : [s.type];
      if (!types.some((t) => typeMatches(t, actual))) {
        errors.push({ field: path, message: `Expected ${types.join(' or ')}, received ${actual}` });
        return;
      }
    }
    if (typeof value === 'string') this.checkString(s, value, path, errors);
    else if (typeof value === 'number') this.checkNumber(s, value, path, errors);
    else if (Array.isArray(value)) this.checkArray(s, value, path, errors, depth);
    else if (actual === 'object') this.checkObject(s, value as Record<string, unknown>, path, errors, depth, strict);
  }

  /** The property names a schema declares; `*` when it takes any. */
  private propertyNames(schema: JsonSchema, depth = 0): string[] {
    if (typeof schema === 'boolean' || depth > 16) return ['*'];
    const s = schema as SchemaObject;
    if (s.additionalProperties !== undefined) return ['*'];
    const target = s.$ref !== undefined ? this.resolve(s.$ref) : undefined;
    return [
      ...Object.keys(s.properties ?? {}),
      ...(target !== undefined ? this.propertyNames(target, depth + 1) : []),
      ...[...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap((part) => this.propertyNames(part, depth + 1)),
    ];
  }

  private checkString(s: SchemaObject, value: string, path: string, errors: FieldError[]): void {
    const length = [...value].length;
    if (s.minLength !== undefined && length < s.minLength) errors.push({ field: path, message: `Must be at least ${s.minLength} characters` });
    if (s.maxLength !== undefined && length > s.maxLength) errors.push({ field: path, message: `Must be at most ${s.maxLength} characters` });
    if (s.format !== undefined && FORMATS[s.format] && !FORMATS[s.format]!(value)) errors.push({ field: path, message: `Must be a valid ${s.format}` });
    if (s.pattern !== undefined) {
      const regex = compiled(s.pattern);
      if (regex && !regex.test(value)) errors.push({ field: path, message: 'Invalid format' });
    }
  }

  private checkNumber(s: SchemaObject, value: number, path: string, errors: FieldError[]): void {
    if (!Number.isFinite(value)) errors.push({ field: path, message: 'Must be a finite number' });
    if (s.minimum !== undefined && value < s.minimum) errors.push({ field: path, message: `Must be at least ${s.minimum}` });
    if (s.maximum !== undefined && value > s.maximum) errors.push({ field: path, message: `Must be at most ${s.maximum}` });
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) errors.push({ field: path, message: `Must be greater than ${s.exclusiveMinimum}` });
    if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) errors.push({ field: path, message: `Must be less than ${s.exclusiveMaximum}` });
  }

  private checkArray(s: SchemaObject, value: unknown[], path: string, errors: FieldError[], depth: number): void {
    if (s.minItems !== undefined && value.length < s.minItems) errors.push({ field: path, message: `Must have at least ${s.minItems} items` });
    if (s.maxItems !== undefined && value.length > s.maxItems) {
      errors.push({ field: path, message: `Must have at most ${s.maxItems} items` });
      return;
    }
    value.forEach((item, index) => {
      const itemSchema = s.prefixItems?.[index] ?? s.items;
      if (errors.length < 20) this.check(itemSchema, item, child(path, index), errors, depth + 1, true);
    });
  }

  private checkObject(s: SchemaObject, value: Record<string, unknown>, path: string, errors: FieldError[], depth: number, strict: boolean): void {
    const properties = s.properties ?? {};
    for (const name of s.required ?? []) {
      if (!Object.hasOwn(value, name) || value[name] === undefined) errors.push({ field: child(path, name), message: 'Required' });
    }
    const keys = Object.keys(value);
    if (s.maxProperties !== undefined && keys.length > s.maxProperties) errors.push({ field: path, message: `Must have at most ${s.maxProperties} properties` });
    // Strict unless the schema itself says what else is allowed; a composed schema (allOf, anyOf)
    // without its own properties leaves the check to its parts.
    const composedOnly = s.properties === undefined && (s.allOf || s.anyOf || s.oneOf || s.$ref) !== undefined;
    for (const key of keys) {
      if (errors.length >= 20) return;
      if (Object.hasOwn(properties, key)) {
        this.check(properties[key], value[key], child(path, key), errors, depth + 1, true);
      } else if (s.additionalProperties !== undefined) {
        if (s.propertyNames !== undefined) this.check(s.propertyNames, key, child(path, key), errors, depth + 1, true);
        this.check(s.additionalProperties, value[key], child(path, key), errors, depth + 1, true);
      } else if (strict && !composedOnly && (s.type === 'object' || s.properties !== undefined)) {
        errors.push({ field: child(path, key), message: 'Unknown field' });
      }
    }
  }
}
