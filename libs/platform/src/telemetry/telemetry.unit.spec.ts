import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { Writable } from 'node:stream';
import { createLogger } from '../logging/logger';
import { type Telemetry, startTelemetry } from './start-telemetry';
import { extractTraceContext, injectTraceHeaders, withSpan } from './trace-context';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('telemetry', () => {
  const exporter = new InMemorySpanExporter();
  let telemetry: Telemetry;

  beforeAll(() => {
    telemetry = startTelemetry({ serviceName: 'telemetry-test', exporter });
  });
  afterAll(() => telemetry.shutdown());
  beforeEach(async () => {
    // Spans a previous test ended but did not flush would otherwise show up here.
    await telemetry.flush();
    exporter.reset();
  });

  async function finishedSpans() {
    await telemetry.flush();
    return exporter.getFinishedSpans();
  }

  it('exports spans under the service name', async () => {
    await withSpan('book appointment', SpanKind.INTERNAL, () => undefined);

    const [span] = await finishedSpans();
    expect(span?.name).toBe('book appointment');
    expect(span?.resource.attributes['service.name']).toBe('telemetry-test');
  });

  it('writes the active span into traceparent', async () => {
    const { headers, spanId, traceId } = await withSpan('publish', SpanKind.PRODUCER, (span) => ({
      headers: injectTraceHeaders({}),
      ...span.spanContext(),
    }));

    expect(headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('continues the trace across a message: the consumer span is a child of the producer span', async () => {
    const headers = await withSpan('publish', SpanKind.PRODUCER, () =>
      injectTraceHeaders({ 'content-type': 'application/json' }),
    );
    const [, producerTraceId, producerSpanId] = TRACEPARENT.exec(headers.traceparent ?? '') ?? [];

    await withSpan('consume', SpanKind.CONSUMER, () => undefined, extractTraceContext(headers));

    const consumer = (await finishedSpans()).find((span) => span.name === 'consume');
    expect(consumer?.spanContext().traceId).toBe(producerTraceId);
    expect(consumer?.parentSpanContext?.spanId).toBe(producerSpanId);
    expect(consumer?.kind).toBe(SpanKind.CONSUMER);
  });

  it('reads Kafka headers, which arrive as Buffers', async () => {
    const headers = await withSpan('publish', SpanKind.PRODUCER, () => injectTraceHeaders({}));
    const kafkaHeaders = { traceparent: Buffer.from(headers.traceparent ?? '') };

    const traceId = await withSpan(
      'consume',
      SpanKind.CONSUMER,
      (span) => span.spanContext().traceId,
      extractTraceContext(kafkaHeaders),
    );

    expect(headers.traceparent).toContain(traceId);
  });

  it('starts a new trace when a message carries none, rather than joining the active one', async () => {
    const [outer, inner] = await withSpan('consumer loop', SpanKind.INTERNAL, async (loop) => [
      loop.spanContext().traceId,
      await withSpan('consume', SpanKind.CONSUMER, (span) => span.spanContext().traceId, extractTraceContext({})),
    ]);

    expect(inner).not.toBe(outer);
  });

  it('records a thrown error on the span and rethrows it', async () => {
    await expect(
      withSpan('dispatch', SpanKind.INTERNAL, () => {
        throw new Error('pharmacy unreachable');
      }),
    ).rejects.toThrow('pharmacy unreachable');

    const [span] = await finishedSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'pharmacy unreachable' });
    expect(span?.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('puts the trace id on log lines written inside a span', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write: (chunk, _encoding, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ service: 'telemetry-test', destination });

    const traceId = await withSpan('work', SpanKind.INTERNAL, (span) => {
      logger.info('inside');
      return span.spanContext().traceId;
    });

    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ traceId, msg: 'inside' });
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
