import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { runWithCorrelationId } from '../logging/request-context';
import { type Telemetry, startTelemetry } from '../telemetry/start-telemetry';
import { withSpan } from '../telemetry/trace-context';
import { commandMetadata } from './command-metadata';

const actor = { id: 'pat-1', role: 'patient' as const };
const now = new Date('2026-11-23T10:00:00Z');

describe('commandMetadata', () => {
  it("carries the request's correlation id, the command id and the stated purpose", () => {
    const metadata = runWithCorrelationId('portal-7', () => commandMetadata(actor, now, { commandId: 'patient:pat-1:k1', purpose: 'patient-access' }));
    expect(metadata).toEqual({ now, actor, correlationId: 'portal-7', commandId: 'patient:pat-1:k1', purpose: 'patient-access' });
  });

  it('outside a request: a fresh correlation id, no command id, purpose treatment, no traceparent', () => {
    const metadata = commandMetadata({ ...actor, extra: 'dropped' } as typeof actor, now, { commandId: undefined });
    expect(metadata).toEqual({ now, actor, correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/), purpose: 'treatment' });
  });

  describe('with telemetry started', () => {
    const exporter = new InMemorySpanExporter();
    let telemetry: Telemetry;
    beforeAll(() => {
      telemetry = startTelemetry({ serviceName: 'command-metadata-test', exporter });
    });
    afterAll(() => telemetry.shutdown());

    it("stores the active span's traceparent, so the relay and consumers continue the caller's trace", async () => {
      const metadata = await withSpan('POST /v1/appointments', SpanKind.SERVER, () => commandMetadata(actor, now));
      await telemetry.flush();
      const [span] = exporter.getFinishedSpans();
      expect(metadata.traceparent).toBe(`00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`);
    });
  });
});
