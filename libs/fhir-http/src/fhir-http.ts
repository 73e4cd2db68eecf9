import {
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UseGuards,
  UseInterceptors,
  applyDecorators,
  createParamDecorator,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { type Observable, map } from 'rxjs';
import { FHIR_JSON, ProblemException } from '@carebridge/platform';
import type { FhirResourceSpec } from './fhir-server';
import { FhirSearch } from './search';
import { stripEmpty } from './strip-empty';

/** Media types that mean FHIR JSON (https://hl7.org/fhir/R4/http.html#mime-type; `application/json+fhir` is DSTU2's). */
const JSON_TYPES = ['application/fhir+json', 'application/json', 'application/json+fhir'];
const JSON_FORMATS = ['json', ...JSON_TYPES];

const notAcceptable = (what: string) =>
  new ProblemException(406, 'FHIR.FORMAT_NOT_SUPPORTED', `${what}: this server answers application/fhir+json only`);

/** True when an Accept header admits FHIR JSON (absent, wildcards, or one of the JSON types with q > 0). */
export function acceptsFhirJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    return type === '*/*' || type === 'application/*' || JSON_TYPES.includes(type);
  });
}

/**
 * Content negotiation of a FHIR endpoint (https://hl7.org/fhir/R4/http.html#mime-type): `_format`
 * overrides Accept; anything but JSON (fhir+xml, turtle, html) is a 406 OperationOutcome, and a
 * body that is not JSON a 415. A guard, so it answers before the access interceptor reads anything.
 */
@Injectable()
export class FhirFormatGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const format = (request.query as Record<string, unknown>)._format;
    if (format !== undefined) {
      if (typeof format !== 'string' || !JSON_FORMATS.includes(format.trim().toLowerCase())) throw notAcceptable(`_format=${String(format)}`);
    } else if (!acceptsFhirJson(request.headers.accept)) {
      throw notAcceptable(`Accept: ${request.headers.accept}`);
    }
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (contentType !== '' && request.method !== 'GET' && !JSON_TYPES.includes(contentType)) {
      throw new ProblemException(415, 'FHIR.MEDIA_TYPE_NOT_SUPPORTED', `Content-Type ${contentType}: send application/fhir+json`);
    }
    return true;
  }
}

/** Answers `application/fhir+json`, with empty arrays, empty objects and nulls removed (FHIR JSON has none). */
@Injectable()
export class FhirJsonInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    response.type(FHIR_JSON);
    return next.handle().pipe(map((body: unknown) => stripEmpty(body)));
  }
}

/** On a FHIR controller: content negotiation and FHIR JSON out (errors: the platform's OperationOutcome). */
export const FhirEndpoints = () => applyDecorators(UseGuards(FhirFormatGuard), UseInterceptors(FhirJsonInterceptor));

const FHIR_BASE = /^(?:\/v1)?\/fhir(?:\/R4)?/;

/** The absolute FHIR base of a request (`https://host/fhir/R4`): for fullUrl, links and the CapabilityStatement. */
export function fhirBaseUrl(request: Request): string {
  const path = request.originalUrl.split('?')[0] ?? '';
  return `${request.protocol}://${request.get('host') ?? 'localhost'}${FHIR_BASE.exec(path)?.[0] ?? ''}`;
}

/** `@FhirBase() base: string`: the request's absolute FHIR base. */
export const FhirBase = createParamDecorator((_: unknown, context: ExecutionContext) => fhirBaseUrl(context.switchToHttp().getRequest<Request>()));

/** `@Search(resourceSpec(SPEC, 'Slot')) search: FhirSearch`: the query parsed against the type's declared parameters. */
export const Search = createParamDecorator((resource: FhirResourceSpec, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<Request>();
  return new FhirSearch(resource, request.query as Record<string, unknown>, request.get('prefer'));
});
