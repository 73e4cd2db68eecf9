import 'reflect-metadata';
import { type INestApplication, RequestMethod, type Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';

/** `@Public()` (libs/platform auth/decorators.ts). */
const IS_PUBLIC = 'carebridge:auth:public';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** One route a controller declares, read from Nest's decorator metadata. */
export interface ControllerRoute {
  /** `GET /v1/patients/{patientId}/coverages` (the OpenAPI template). */
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly controller: string;
  /** The status Nest answers with when the handler returns (`@HttpCode`, else 201 for POST). */
  readonly status: number;
  readonly isPublic: boolean;
  /** `@Headers('x')` names, lower case. */
  readonly headers: readonly string[];
  /** `@Query('x')` names; `@Query()` (the whole query, parsed with a zod schema) is not named. */
  readonly queries: readonly string[];
  /** `@Body()`: a JSON body parsed by the handler. */
  readonly hasBody: boolean;
}

const join = (...parts: string[]) => `/${parts.flatMap((p) => p.split('/')).filter((p) => p !== '').join('/')}`;
const list = (value: string | string[] | undefined) => (value === undefined ? ['/'] : Array.isArray(value) ? value : [value]);

/** Every route the controllers declare (each prefix of `@Controller([...])` and each path of a handler). */
export function controllerRoutes(controllers: readonly Type[]): ControllerRoute[] {
  return controllers.flatMap((controller) => {
    const prefixes = list(Reflect.getMetadata(PATH_METADATA, controller));
    return Object.getOwnPropertyNames(controller.prototype).flatMap((handler) => {
      const fn = controller.prototype[handler] as (...args: unknown[]) => unknown;
      const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
      if (handler === 'constructor' || method === undefined) return [];
      const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<string, { data?: string }>);
      const argsOf = (type: RouteParamtypes) => args.filter(([key]) => key.split(':')[0] === String(type)).map(([, arg]) => arg.data);
      const verb = RequestMethod[method].toLowerCase();
      return prefixes.flatMap((prefix) =>
        list(Reflect.getMetadata(PATH_METADATA, fn)).map((suffix) => {
          const path = join(prefix, suffix).replace(/:(\w+)/g, '{$1}');
          return {
            key: `${verb.toUpperCase()} ${path}`,
            method: verb,
            path,
            controller: controller.name,
            status: (Reflect.getMetadata(HTTP_CODE_METADATA, fn) as number | undefined) ?? (verb === 'post' ? 201 : 200),
            isPublic: Reflect.getMetadata(IS_PUBLIC, fn) === true || Reflect.getMetadata(IS_PUBLIC, controller) === true,
            headers: argsOf(RouteParamtypes.HEADERS).filter((h): h is string => h !== undefined).map((h) => h.toLowerCase()),
            queries: argsOf(RouteParamtypes.QUERY).filter((q): q is string => q !== undefined),
            hasBody: argsOf(RouteParamtypes.BODY).length > 0,
          };
        }),
      );
    });
  });
}

/** The controllers of every module of a running (or initialised) Nest app. */
export function appControllers(app: INestApplication): Type[] {
  const controllers = new Set<Type>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) if (wrapper.metatype) controllers.add(wrapper.metatype as Type);
  }
  return [...controllers];
}

/** The routes an Express app serves, as `METHOD /template` (Nest's `app.getHttpAdapter().getInstance()`). */
export function expressRoutes(express: unknown): string[] {
  const router = (express as { router?: { stack: Layer[] } }).router ?? (express as { _router?: { stack: Layer[] } })._router;
  const keys = new Set<string>();
  for (const layer of router?.stack ?? []) {
    const route = layer.route;
    if (!route || typeof route.path !== 'string') continue;
    for (const method of Object.keys(route.methods ?? {})) {
      if (!(METHODS as readonly string[]).includes(method)) continue;
      keys.add(`${method.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return [...keys].sort();
}

interface Layer {
  readonly route?: { readonly path?: unknown; readonly methods?: Record<string, boolean> };
}

interface DocumentOperation {
  readonly security?: readonly Record<string, unknown>[];
  readonly parameters?: readonly { readonly name: string; readonly in: string }[];
  readonly requestBody?: { readonly content?: Record<string, unknown> };
  readonly responses?: Record<string, unknown>;
}
type Document = { readonly paths: Record<string, Record<string, unknown>>; readonly security?: readonly Record<string, unknown>[] };

export interface RouteDrift {
  /** Served by the app, not in the document. */
  readonly undocumented: readonly string[];
  /** In the document, not served. */
  readonly unserved: readonly string[];
  /** A route whose document entry disagrees with its handler: status, body, query, header, security. */
  readonly mismatches: readonly string[];
}

/** The operations of an OpenAPI document, as `METHOD /template`. */
export function documentedRoutes(document: Document): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, item]) => METHODS.filter((m) => item[m] !== undefined).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}

/**
 * The document compared with what the app serves: the routes both ways (Express's router of the
 * running app), and for each controller route what its handler's decorators say: the success
 * status, a JSON body exactly where the handler reads `@Body()`, every `@Query('x')` and
 * `@Headers('idempotency-key')` declared, and no bearer token asked of a `@Public()` route.
 */
export function routeDrift(app: INestApplication, document: Document): RouteDrift {
  const served = expressRoutes(app.getHttpAdapter().getInstance());
  const documented = documentedRoutes(document);
  const mismatches: string[] = [];
  for (const route of controllerRoutes(appControllers(app))) {
    const operation = document.paths[route.path]?.[route.method] as DocumentOperation | undefined;
    if (!operation) continue;
    mismatches.push(...operationMismatches(route, operation, document).map((m) => `${route.key}: ${m}`));
  }
  return {
    undocumented: served.filter((r) => !documented.includes(r)),
    unserved: documented.filter((r) => !served.includes(r)),
    mismatches,
  };
}

function operationMismatches(route: ControllerRoute, operation: DocumentOperation, document: Document): string[] {
  const found: string[] = [];
  const statuses = Object.keys(operation.responses ?? {});
  if (!statuses.includes(String(route.status))) found.push(`answers ${route.status}, the document declares ${statuses.filter((s) => s.startsWith('2')).join(', ')}`);
  const json = Object.keys(operation.requestBody?.content ?? {}).some((type) => type === 'application/json' || type.endsWith('+json'));
  if (route.hasBody && operation.requestBody === undefined) found.push('reads a body the document does not declare');
  if (!route.hasBody && json) found.push('the document declares a JSON body the handler does not read');
  const parameters = operation.parameters ?? [];
  for (const name of route.queries) if (!parameters.some((p) => p.in === 'query' && p.name === name)) found.push(`reads query parameter ${name}, not declared`);
  if (route.headers.includes('idempotency-key') && !parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key')) {
    found.push('reads Idempotency-Key, not declared');
  }
  const security = operation.security ?? document.security ?? [];
  const bearer = security.some((requirement) => 'bearer' in requirement);
  if (route.isPublic && bearer) found.push('is @Public() but the document asks for a bearer token');
  if (!route.isPublic && !bearer) found.push('needs a bearer token the document does not ask for');
  return found;
}
