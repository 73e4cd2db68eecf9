import { startTelemetry, TRACE_EXPORTERS } from '@carebridge/platform';

// Started before Nest, pg and kafkajs are loaded so their instrumentation applies.
const requested = process.env.TRACE_EXPORTER as (typeof TRACE_EXPORTERS)[number] | undefined;
export const telemetry = startTelemetry({
  serviceName: 'prescriptions',
  exporter: requested && TRACE_EXPORTERS.includes(requested) ? requested : 'otlp',
});
