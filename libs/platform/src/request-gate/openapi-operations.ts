import type { JsonSchema } from './json-schema';
import type { RateLimitClass } from './rate-limit';

/** The parts of an OpenAPI 3.1 document the request gate reads. */
export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, unknown>>;
  readonly components?: { readonly schemas?: Record<string, JsonSchema>; readonly [other: string]: unknown };
}

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: JsonSchema;
}

/** One operation as the gate checks it. */
export interface GateOperation {
  readonly method: string;
  readonly template: string;
  readonly pathNames: readonly string[];
  readonly parameters: readonly Parameter[];
  /** Media types of the body, or undefined when the operation takes none. */
  readonly body?: { readonly required: boolean; readonly content: Record<string, { schema?: JsonSchema }> };
  /** `x-carebridge-rate-limit`. */
  readonly rateLimit: RateLimitClass;
  /** `x-carebridge-max-body-bytes`: the body limit of this operation when not the service's. */
  readonly maxBodyBytes?: number;
  readonly matcher: RegExp;
  /** Literal path segments: the more, the more specific (`/me/` before `/{providerId}/`). */
  readonly specificity: number;
}

export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every operation of the document, most specific path first. */
export function operationsOf(document: OpenApiDocument): GateOperation[] {
  const operations: GateOperation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    const shared = (item.parameters as Parameter[] | undefined) ?? [];
    const segments = template.split('/').filter((s) => s !== '');
    const pathNames = segments.filter((s) => /^\{[^}]+\}$/.test(s)).map((s) => s.slice(1, -1));
    // Case-insensitive as Express routes are: `/V1/...` reaches the same handler, so it must meet the same checks.
    const matcher = new RegExp(`^/${segments.map((s) => (/^\{[^}]+\}$/.test(s) ? '([^/]+)' : escape(s))).join('/')}/?$`, 'i');
    for (const method of METHODS) {
      const operation = item[method] as Record<string, unknown> | undefined;
      if (!operation) continue;
      const own = (operation.parameters as Parameter[] | undefined) ?? [];
      const parameters = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
      const requestBody = operation.requestBody as { required?: boolean; content?: Record<string, { schema?: JsonSchema }> } | undefined;
      operations.push({
        method: method.toUpperCase(),
        template,
        pathNames,
        parameters,
        ...(requestBody && { body: { required: requestBody.required === true, content: requestBody.content ?? {} } }),
        rateLimit: (operation['x-carebridge-rate-limit'] as RateLimitClass | undefined) ?? 'default',
        ...(typeof operation['x-carebridge-max-body-bytes'] === 'number' && { maxBodyBytes: operation['x-carebridge-max-body-bytes'] }),
        matcher,
        specificity: segments.filter((s) => !s.startsWith('{')).length,
      });
    }
  }
  return operations.sort((a, b) => b.specificity - a.specificity);
}

/** The operation for a method and path, with its raw path parameter values; undefined when the document has none. */
export function matchOperation(
  operations: readonly GateOperation[],
  method: string,
  path: string,
): { operation: GateOperation; rawPathValues: Record<string, string> } | undefined {
  const wanted = method === 'HEAD' ? ['HEAD', 'GET'] : [method];
  for (const candidate of wanted) {
    for (const operation of operations) {
      if (operation.method !== candidate) continue;
      const match = operation.matcher.exec(path);
      if (!match) continue;
      const rawPathValues = Object.fromEntries(operation.pathNames.map((name, i) => [name, match[i + 1]!]));
      return { operation, rawPathValues };
    }
  }
  return undefined;
}

/** Resolves `#/components/schemas/X` and `#/$defs/X` (z.toJSONSchema's) within the document or a body schema. */
export function refResolver(document: OpenApiDocument): (ref: string, root?: JsonSchema) => JsonSchema | undefined {
  return (ref, root) => {
    if (!ref.startsWith('#/')) return undefined;
    const parts = ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    for (const base of [root, document]) {
      let node: unknown = base;
      for (const part of parts) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
      if (node !== undefined) return node as JsonSchema;
    }
    return undefined;
  };
}
