import { startTelemetry } from '@carebridge/platform';
import { SERVICE_NAME } from './config';

// Imported first by main.ts: instrumentation patches http and pg as they are required.
// Without TRACE_EXPORTER or a collector endpoint, trace ids are still made (logs and Kafka headers
// stay correlated) but nothing is sent: the platform's default `otlp` logs ECONNREFUSED locally.
const configured = process.env.TRACE_EXPORTER;
const exporter =
  configured === 'console' || configured === 'none' || configured === 'otlp'
    ? configured
    : process.env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? 'otlp'
      : 'none';
export const telemetry = startTelemetry({ serviceName: SERVICE_NAME, exporter });
