import { AsyncLocalStorage } from 'node:async_hooks';

/** What adapters may know about the request or message being handled. Domain code never reads it. */
export interface RequestContext {
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function getRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The correlation id of the request or message in progress, for logs, commands and outgoing headers. */
export function getCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** Runs `fn` with a correlation id, e.g. while a consumer handles one Kafka message. */
export function runWithCorrelationId<T>(correlationId: string, fn: () => T): T {
  return storage.run({ correlationId }, fn);
}
