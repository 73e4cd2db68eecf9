import { RequestValidationError } from '@carebridge/platform';
import { type FhirResourceSpec, PAGING, UUID_PATTERN } from './fhir-server';
import { referenceId } from './reference';

/** Parameters of every search (https://hl7.org/fhir/R4/search.html#count, http.html#format); `_offset` is the paging cursor our next links carry. */
const RESULT_PARAMETERS = ['_count', '_offset', '_format'];

/** `Prefer: handling=strict|lenient` (https://hl7.org/fhir/R4/search.html#errors); lenient when absent. */
export function searchHandling(prefer: string | undefined): 'strict' | 'lenient' {
  const handling = (prefer ?? '')
    .split(/[,;]/)
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('handling='));
  return handling === 'handling=strict' ? 'strict' : 'lenient';
}

const asList = (value: unknown): string[] | undefined => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
};

function integer(field: string, raw: string | undefined, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new RequestValidationError([{ field, message: `must be an integer from ${min} to ${max}` }]);
  }
  return Number(raw);
}

/**
 * One FHIR search as the service applies it: the parameters its spec declares (checked: given once
 * unless they repeat, references as `Type/<id>` or the id), `_count` and `_offset`; unknown ones
 * refused under `Prefer: handling=strict`, else ignored and left out of the `self` link.
 */
export class FhirSearch {
  readonly count: number;
  readonly offset: number;
  readonly ignored: readonly string[];
  private readonly values = new Map<string, string[]>();

  constructor(
    readonly resource: FhirResourceSpec,
    query: Record<string, unknown>,
    prefer?: string,
  ) {
    const known = new Map((resource.searchParams ?? []).map((p) => [p.name, p]));
    const ignored: string[] = [];
    for (const [name, raw] of Object.entries(query)) {
      const list = asList(raw);
      if (RESULT_PARAMETERS.includes(name)) {
        if (list === undefined || list.length > 1) throw new RequestValidationError([{ field: name, message: 'must be given once' }]);
        continue;
      }
      const param = known.get(name);
      if (!param) {
        ignored.push(name);
        continue;
      }
      if (list === undefined || (list.length > 1 && !param.repeats) || list.length > 2) {
        throw new RequestValidationError([{ field: name, message: param.repeats ? 'may be given at most twice' : 'must be given once' }]);
      }
      if (param.pattern !== undefined && list.some((v) => !new RegExp(param.pattern!).test(v))) {
        throw new RequestValidationError([{ field: name, message: `must match ${param.pattern}` }]);
      }
      this.values.set(name, list);
    }
    if (ignored.length > 0 && searchHandling(prefer) === 'strict') {
      throw new RequestValidationError(ignored.map((field) => ({ field, message: `${resource.type} has no search parameter ${field} here (Prefer: handling=strict)` })));
    }
    for (const param of resource.searchParams ?? []) {
      if (param.required && !this.values.has(param.name)) throw new RequestValidationError([{ field: param.name, message: 'Required search parameter' }]);
    }
    this.ignored = ignored;
    this.count = integer('_count', asList(query._count)?.[0], 0, PAGING.maxCount, PAGING.defaultCount);
    this.offset = integer('_offset', asList(query._offset)?.[0], 0, 1_000_000, 0);
  }

  one(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }

  all(name: string): readonly string[] {
    return this.values.get(name) ?? [];
  }

  /** The id a reference parameter names (`Patient/<id>` or `<id>`), lower-cased UUID. */
  reference(name: string): string | undefined {
    const value = this.one(name);
    if (value === undefined) return undefined;
    const param = (this.resource.searchParams ?? []).find((p) => p.name === name);
    return referenceId(value, param?.target ?? name, name, new RegExp(UUID_PATTERN)).toLowerCase();
  }

  /** The parameters applied, in a stable order, for the `self` and paging links. */
  applied(): [string, string][] {
    return [...this.values.entries()].sort(([a], [b]) => a.localeCompare(b)).flatMap(([name, list]) => list.map((v) => [name, v] as [string, string]));
  }
}
