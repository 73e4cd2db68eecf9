import { STATUS_CODES } from 'node:http';
import { HttpException, HttpStatus } from '@nestjs/common';
import { type DomainErrorKind, isDomainError, isInfrastructureUnavailable } from '@carebridge/shared-kernel';
import type { FieldError } from '../validation/field-errors';
import { RequestValidationError } from '../validation/parse-body';

/** RFC 9457 problem details, with our stable `code` and the request's correlation id. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly code: string;
  readonly correlationId?: string;
  readonly errors?: readonly FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const PROBLEM_TYPE_BASE = 'https://carebridge.dev/problems/';

/** `APPOINTMENT.SLOT_TAKEN` -> `https://carebridge.dev/problems/appointment/slot_taken`. */
export function problemType(code: string): string {
  return `${PROBLEM_TYPE_BASE}${code.toLowerCase().replace(/\./g, '/')}`;
}

/** An HTTP error that already knows its problem code, e.g. the auth guard's 401s. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    detail: string,
    /** Response headers the status calls for, e.g. `WWW-Authenticate` on a 401. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail, status);
  }
}

export const STATUS_BY_KIND: Readonly<Record<DomainErrorKind, number>> = {
  invalid: HttpStatus.BAD_REQUEST,
  forbidden: HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  rule: HttpStatus.UNPROCESSABLE_ENTITY,
};

const WRONG_EXPECTED_VERSION = 'EVENT_STORE.WRONG_EXPECTED_VERSION';
const UNEXPECTED_ERROR_CODE = 'INTERNAL.UNEXPECTED';
const INFRASTRUCTURE_UNAVAILABLE = 'INFRASTRUCTURE.UNAVAILABLE';

/** The parts of a problem that depend only on the error. */
export interface ProblemOutcome {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly headers?: Readonly<Record<string, string>>;
  /** Not one of ours: log it with its stack, tell the client nothing about it. */
  readonly unexpected?: true;
}

export function outcomeFor(error: unknown): ProblemOutcome {
  if (error instanceof RequestValidationError) {
    return { status: HttpStatus.BAD_REQUEST, code: 'REQUEST.INVALID', detail: error.message, errors: error.errors };
  }
  if (error instanceof ProblemException) {
    return { status: error.getStatus(), code: error.code, detail: error.message, headers: error.headers };
  }
  // PostgreSQL, the broker or Redis did not answer: nothing is wrong with the request, and the
  // service recovers by itself when the dependency returns.
  if (isInfrastructureUnavailable(error)) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      code: INFRASTRUCTURE_UNAVAILABLE,
      detail: 'A service this request needs is briefly unavailable; nothing was applied. Retry it (with the same Idempotency-Key).',
      headers: { 'retry-after': '2' },
    };
  }
  if (hasCode(error) && error.code === WRONG_EXPECTED_VERSION) {
    return {
      status: HttpStatus.CONFLICT,
      code: WRONG_EXPECTED_VERSION,
      detail: 'The resource was changed by another request. Read it again and retry.',
    };
  }
  // PostgreSQL gave up on a transaction that collided with concurrent writes (serialization
  // failure, deadlock) after the service's own retries: nothing was written, a retry is safe.
  if (hasCode(error) && (error.code === '40001' || error.code === '40P01')) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      code: 'DATABASE.CONTENTION',
      detail: 'The request collided with concurrent writes and was not applied. Retry it (with the same Idempotency-Key).',
      headers: { 'retry-after': '1' },
    };
  }
  // Errors of other libs (the event store's) carry `code` and `kind` without extending DomainError.
  if (isDomainError(error) || (hasCode(error) && isKind(error.kind))) {
    return { status: STATUS_BY_KIND[error.kind as DomainErrorKind], code: error.code, detail: error.message };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { status, code: `HTTP.${HttpStatus[status] ?? status}`, detail: httpExceptionDetail(error) };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    code: UNEXPECTED_ERROR_CODE,
    detail: 'An unexpected error occurred. Quote the correlation id when reporting it.',
    unexpected: true,
  };
}

export function toProblem(
  outcome: ProblemOutcome,
  request: { readonly instance: string; readonly correlationId?: string },
): ProblemDetails {
  return {
    type: problemType(outcome.code),
    title: STATUS_CODES[outcome.status] ?? 'Error',
    status: outcome.status,
    detail: outcome.detail,
    instance: request.instance,
    code: outcome.code,
    ...(request.correlationId ? { correlationId: request.correlationId } : {}),
    ...(outcome.errors ? { errors: outcome.errors } : {}),
  };
}

function hasCode(error: unknown): error is Error & { code: string; kind?: unknown } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

function isKind(kind: unknown): kind is DomainErrorKind {
  return typeof kind === 'string' && Object.hasOwn(STATUS_BY_KIND, kind);
}

function httpExceptionDetail(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : error.message;
}
