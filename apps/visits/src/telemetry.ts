import { startTelemetry, traceExporter } from '@carebridge/platform';

// Imported first by main.ts: instrumentation must patch http and pg before they are loaded.
const exporter = traceExporter.safeParse(process.env.TRACE_EXPORTER || undefined);

export const telemetry = startTelemetry({ serviceName: 'visits', exporter: exporter.success ? exporter.data : 'otlp' });
