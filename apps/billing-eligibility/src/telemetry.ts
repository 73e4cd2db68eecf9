import { startTelemetry } from '@carebridge/platform';
import { SERVICE_NAME } from './config';

// Imported first by main.ts: instrumentation patches http and pg as they are required.
const exporter = process.env.TRACE_EXPORTER;
export const telemetry = startTelemetry({
  serviceName: SERVICE_NAME,
  exporter: exporter === 'console' || exporter === 'none' || exporter === 'otlp' ? exporter : 'otlp',
});
