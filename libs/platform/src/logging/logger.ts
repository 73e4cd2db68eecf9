import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/settings';
import { getCorrelationId } from './request-context';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Written on every line as `service`. */
  readonly service: string;
  readonly level?: LogLevel;
  /** Defaults to stdout. */
  readonly destination?: DestinationStream;
}

const CENSOR = '[REDACTED]';

// Credentials in headers, and clinical free text wherever it sits (up to three levels deep,
// as pino paths have no recursive wildcard): HIPAA minimum necessary applies to logs too.
export const REDACTED_PATHS: readonly string[] = [
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
  ...['notes', 'freeText'].flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]),
];

export function createLogger(options: LoggerOptions): Logger {
  const settings: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...REDACTED_PATHS], censor: CENSOR },
    mixin: correlationFields,
  };
  // pino's default stdout destination writes synchronously, so the last lines before exit survive.
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

function correlationFields(): Record<string, string> {
  const fields: Record<string, string> = {};
  const correlationId = getCorrelationId();
  if (correlationId) fields.correlationId = correlationId;
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext && isSpanContextValid(spanContext)) {
    fields.traceId = spanContext.traceId;
    fields.spanId = spanContext.spanId;
  }
  return fields;
}
