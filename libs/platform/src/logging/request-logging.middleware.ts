import { randomBytes, randomUUID } from 'node:crypto';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { routeTemplate } from '../http/route-template';
import { runWithCorrelationId } from './request-context';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

// A caller's id is echoed into headers and logs, so only plain tokens are accepted.
const ACCEPTABLE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// W3C Trace Context §3.2 (https://www.w3.org/TR/trace-context/#traceparent-header): version 00,
// trace id and parent id in lower-case hex, neither all zeros; version ff is invalid.
const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The trace context of a request no span holds (tracing off): the caller's valid traceparent,
 * passed on unchanged, else a new trace whose flags say not sampled (nothing records it).
 */
function untracedTraceparent(offered: string | undefined): string {
  if (offered !== undefined && TRACEPARENT.test(offered)) return offered;
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`;
}

/**
 * Express middleware (apply it first): adopts the caller's `x-correlation-id` or makes one,
 * returns it on the response, keeps it (and, with tracing off, the trace context) in the async
 * context for the rest of the request,
 * and logs one line per request once the response is sent (or the client gave up): at debug for
 * answers below 400 (at info every read paid for a JSON line; issue 20's profile), info for 4xx,
 * error for 5xx. Nothing is built for a line the level drops.
 */
export function requestLogging(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const offered = req.get(CORRELATION_ID_HEADER);
    const correlationId =
      offered && ACCEPTABLE_CORRELATION_ID.test(offered) ? offered : randomUUID();
    res.setHeader(CORRELATION_ID_HEADER, correlationId);

    const span = trace.getActiveSpan();
    span?.setAttribute('carebridge.correlation_id', correlationId);
    const spanContext = span?.spanContext();
    const traceId = spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;

    const started = process.hrtime.bigint();
    let logged = false;
    // 'finish' when the response went out; 'close' alone when the client hung up first.
    const logOnce = () => {
      if (logged) return;
      logged = true;
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
      if (!logger.isLevelEnabled(level)) return;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger[level](
        {
          method: req.method,
          route: routeTemplate(req) ?? req.path,
          status,
          durationMs: Math.round(durationMs * 10) / 10,
          ...(res.writableFinished ? {} : { aborted: true }),
          correlationId,
          traceId,
        },
        'request completed',
      );
    };
    res.once('finish', logOnce);
    res.once('close', logOnce);

    // With tracing off (the embedded profile) no span carries the trace: the request context does,
    // so commands, stored events and Kafka messages still carry a traceparent.
    runWithCorrelationId(correlationId, next, traceId === undefined ? untracedTraceparent(req.get('traceparent')) : undefined);
  };
}
