import { startTelemetry } from '@carebridge/platform';
import { SERVICE_NAME } from './config';

// Imported first by main.ts: instrumentation patches http and pg as they are required.
// Without TRACE_EXPORTER or a collector endpoint, tracing is off (`none`: no spans, correlation ids
// still link logs and messages): the platform's default `otlp` would log ECONNREFUSED locally.
const configured = process.env.TRACE_EXPORTER;
const exporter =
  configured === 'console' || configured === 'none' || configured === 'otlp'
    ? configured
    : process.env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? 'otlp'
      : 'none';
export const telemetry = startTelemetry({ serviceName: SERVICE_NAME, exporter });
