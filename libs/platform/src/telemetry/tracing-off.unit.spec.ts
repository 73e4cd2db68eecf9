import { SpanKind, trace } from '@opentelemetry/api';
import { commandMetadata } from '../http/command-metadata';
import { startTelemetry } from './start-telemetry';
import { withSpan } from './trace-context';

// Its own file: the SDK registers itself globally, and telemetry.unit.spec.ts starts one.
describe('startTelemetry with the exporter `none`', () => {
  const telemetry = startTelemetry({ serviceName: 'tracing-off', exporter: 'none' });
  afterAll(() => telemetry.shutdown());

  it('registers no tracer: spans are the API’s non-recording ones', async () => {
    const recording = await withSpan('book appointment', SpanKind.INTERNAL, (span) => span.isRecording());

    expect(recording).toBe(false);
    expect(trace.getTracer('carebridge').startSpan('x').spanContext().traceId).toBe('00000000000000000000000000000000');
  });

  it('leaves traceparent out of command metadata, keeping the correlation id', async () => {
    const metadata = await withSpan('command', SpanKind.SERVER, () =>
      commandMetadata({ id: 'user-1', role: 'provider' }, new Date('2026-12-07T10:00:00Z')),
    );

    expect(metadata.traceparent).toBeUndefined();
    expect(metadata.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('flushes and shuts down without an SDK', async () => {
    await expect(telemetry.flush()).resolves.toBeUndefined();
  });
});
