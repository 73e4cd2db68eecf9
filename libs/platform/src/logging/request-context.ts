import { AsyncLocalStorage } from 'node:async_hooks';

/** What adapters may know about the request or message being handled. Domain code never reads it. */
export interface RequestContext {
  readonly correlationId: string;
  /**
   * W3C trace context of the request when no span holds it (tracing off, the embedded profile):
   * the caller's traceparent, or a new one. With tracing on, the active span is the source.
   */
  readonly traceparent?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function getRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The correlation id of the request or message in progress, for logs, commands and outgoing headers. */
export function getCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** Runs `fn` with a correlation id (and a trace context, see RequestContext), e.g. while a consumer handles one Kafka message. */
export function runWithCorrelationId<T>(correlationId: string, fn: () => T, traceparent?: string): T {
  return storage.run(traceparent === undefined ? { correlationId } : { correlationId, traceparent }, fn);
}
