import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { getCorrelationId } from '../logging/request-context';
import { FHIR_JSON, isFhirPath, toOperationOutcome } from './operation-outcome';
import { PROBLEM_CONTENT_TYPE, outcomeFor, toProblem } from './problem';

/** Turns every error escaping an HTTP handler into `application/problem+json` (an OperationOutcome under a FHIR base). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const outcome = outcomeFor(error);
    // Query strings can carry identifiers; the path is enough to find the request.
    const instance = request.originalUrl.split('?')[0] ?? request.originalUrl;

    if (outcome.unexpected || outcome.status >= 500) {
      this.logger.error({ err: error, method: request.method, path: instance }, 'request failed');
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    for (const [name, value] of Object.entries(outcome.headers ?? {})) response.setHeader(name, value);
    const correlationId = getCorrelationId();
    if (isFhirPath(instance)) {
      response.status(outcome.status).type(FHIR_JSON).json(toOperationOutcome({ ...outcome, ...(correlationId && { correlationId }) }));
      return;
    }
    response
      .status(outcome.status)
      .type(PROBLEM_CONTENT_TYPE)
      .json(toProblem(outcome, { instance, correlationId }));
  }
}
