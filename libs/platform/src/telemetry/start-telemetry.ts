import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { type RoutedRequest, routeTemplate } from '../http/route-template';

export interface TelemetryOptions {
  readonly serviceName: string;
  /**
   * `otlp` (default) sends to OTEL_EXPORTER_OTLP_ENDPOINT. `none` turns tracing off: no SDK, no
   * instrumentation, no spans (they cost a tenth of a request's CPU with nowhere to go); requests,
   * logs, events and Kafka messages stay linked by their correlation id, and a request's
   * `traceparent` (the caller's, or a new unsampled one) still travels with its events and messages.
   */
  readonly exporter?: 'otlp' | 'console' | 'none' | SpanExporter;
}

export interface Telemetry {
  /** Exports the spans ended so far. */
  flush(): Promise<void>;
  /** Flushes and stops; `createServiceApp(module, { telemetry })` calls it when the app shuts down. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing for this process. Instrumentation patches modules as they are required, so
 * call it from a file that `main.ts` imports before anything else:
 *
 *     // main.ts
 *     import './telemetry';            // startTelemetry({ serviceName: 'scheduling' })
 *     import { NestFactory } from '@nestjs/core';
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (options.exporter === 'none') return TRACING_OFF;
  const processor = spanProcessorFor(options.exporter ?? 'otlp');
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    spanProcessors: [processor],
    textMapPropagator: new W3CTraceContextPropagator(),
    instrumentations: [
      new HttpInstrumentation({
        // Probes hit these every few seconds; their spans would drown the real traffic.
        ignoreIncomingRequestHook: (request) => request.url?.startsWith('/health/') ?? false,
        // Without the express instrumentation every server span would be named just `GET`.
        applyCustomAttributesOnSpan: (span, request) => {
          const route = routeTemplate(request as RoutedRequest);
          if (route === undefined || !('method' in request)) return;
          span.setAttribute(ATTR_HTTP_ROUTE, route);
          span.updateName(`${request.method} ${route}`);
        },
      }),
      // Query parameters can hold PHI, so only the statement text is recorded.
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
    ],
    // This SDK traces only: without these, NodeSDK would also export metrics and logs over OTLP.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return {
    flush: () => processor.forceFlush(),
    shutdown: () => sdk.shutdown(),
  };
}

/** Tracing off: the OpenTelemetry API's no-op tracer answers `withSpan` and the propagators. */
const TRACING_OFF: Telemetry = {
  flush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

function spanProcessorFor(exporter: Exclude<NonNullable<TelemetryOptions['exporter']>, 'none'>): SpanProcessor {
  switch (exporter) {
    case 'otlp':
      return new BatchSpanProcessor(new OTLPTraceExporter());
    case 'console':
      return new SimpleSpanProcessor(new ConsoleSpanExporter());
    default:
      return new BatchSpanProcessor(exporter);
  }
}
