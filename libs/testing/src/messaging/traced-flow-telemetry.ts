import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from '@carebridge/platform';

// Spans as JSON lines on stdout for trace-propagation.int.spec.ts to read.
const stdoutExporter: SpanExporter = {
  export(spans: ReadableSpan[], done) {
    for (const span of spans) {
      const { traceId, spanId } = span.spanContext();
      process.stdout.write(
        `${JSON.stringify({ span: { name: span.name, kind: span.kind, traceId, spanId, parentSpanId: span.parentSpanContext?.spanId } })}\n`,
      );
    }
    done({ code: ExportResultCode.SUCCESS });
  },
  shutdown: async () => undefined,
};

export const telemetry = startTelemetry({ serviceName: 'traced-flow', exporter: stdoutExporter });
