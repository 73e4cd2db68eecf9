import {
  type Context,
  ROOT_CONTEXT,
  type Span,
  type SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  context,
  defaultTextMapSetter,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

// Fixed rather than the global propagator: `traceparent` is part of our message envelope,
// so its format must not depend on how (or whether) the SDK was configured.
const propagator = new W3CTraceContextPropagator();

/** HTTP headers, or Kafka headers as kafkajs hands them to a consumer (Buffers). */
export type TraceCarrier = Readonly<
  Record<string, string | Buffer | readonly (string | Buffer)[] | undefined>
>;

const carrierGetter: TextMapGetter<TraceCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    // Kafka header names keep the producer's case; the propagator asks in lower case.
    const name = key in carrier ? key : Object.keys(carrier).find((k) => k.toLowerCase() === key);
    const value = name === undefined ? undefined : carrier[name];
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value;
    if (Buffer.isBuffer(value)) return value.toString('utf8');
    return (value as readonly (string | Buffer)[]).map((item) => item.toString());
  },
};

// A type alias, not an interface, so the result still passes as a header record.
export type TraceHeaders = { traceparent?: string; tracestate?: string };

/** Writes `traceparent` (and `tracestate`) of the active span into `headers` and returns them. */
export function injectTraceHeaders<H extends Record<string, string>>(
  headers: H,
  from: Context = context.active(),
): H & TraceHeaders {
  propagator.inject(from, headers, defaultTextMapSetter);
  return headers;
}

/**
 * The context a message or request carries. It starts from the root, not the active context:
 * a consumed message's parent is its producer's span, never the consumer loop's.
 */
export function extractTraceContext(headers: TraceCarrier): Context {
  return propagator.extract(ROOT_CONTEXT, headers, carrierGetter);
}

const tracer = () => trace.getTracer('carebridge');

/** Runs `fn` in a new active span (child of `parentContext` or the active span), ending it and recording a thrown error. */
export function withSpan<T>(
  name: string,
  kind: SpanKind,
  fn: (span: Span) => T | Promise<T>,
  parentContext: Context = context.active(),
): Promise<T> {
  return tracer().startActiveSpan(name, { kind }, parentContext, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
    }
  });
}
