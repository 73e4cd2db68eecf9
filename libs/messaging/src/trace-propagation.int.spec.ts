import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createTestSchema, eventually, testInfrastructure, uniqueTopic, type TestSchema } from '@carebridge/testing';

// A real process: jest's module loader bypasses the require hooks HTTP and pg instrumentation need.
const REPO_ROOT = path.resolve(__dirname, '../../..');
const SERVICE = path.join(REPO_ROOT, 'libs/testing/src/messaging/traced-flow-service.ts');
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

type Line = {
  listening?: string;
  consumed?: { id: string; traceId: string; spanId: string };
  span?: { name: string; kind: number; traceId: string; spanId: string; parentSpanId?: string };
};

describe('one trace from an HTTP request, through the event store and Kafka, into the consumer', () => {
  const lines: Line[] = [];
  let db: TestSchema;
  let service: ChildProcess;
  let response: { version: number; traceId: string };

  beforeAll(async () => {
    db = await createTestSchema('traced');
    service = spawn(process.execPath, ['-r', '@swc-node/register', SERVICE], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: 'tsconfig.json',
        DATABASE_URL: testInfrastructure.databaseUrl,
        SCHEMA: db.sibling('flow'),
        TOPIC: uniqueTopic(),
        KAFKA_BROKERS: testInfrastructure.kafkaBrokers.join(','),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const listening = new Promise<string>((resolve) => {
      createInterface({ input: service.stdout! }).on('line', (text) => {
        let line: Line;
        try {
          line = JSON.parse(text) as Line;
        } catch {
          return;
        }
        lines.push(line);
        if (line.listening) resolve(line.listening);
      });
    });
    const url = await listening;
    const reply = await fetch(`${url}/ticks/tick-1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01` },
      body: JSON.stringify({ n: 1 }),
    });
    expect(reply.status).toBe(201);
    response = (await reply.json()) as typeof response;
    await eventually(() => lines.find((line) => line.consumed), { timeoutMs: 30_000, what: 'the consumer to receive the event' });
    // The consumer span ends once the inbox row commits. Nest flushes telemetry in the root
    // module's shutdown hook, before the consumer's own hook waits for in-flight work, so a
    // SIGTERM sent between the handler and that commit would lose the span.
    await eventually(
      async () => {
        const { rowCount } = await db.pool.query(`SELECT 1 FROM "${db.sibling('flow')}".inbox WHERE outcome = 'processed'`);
        return rowCount ? true : undefined;
      },
      { timeoutMs: 30_000, what: 'the inbox to record the event as processed' },
    );
    service.kill('SIGTERM');
    await once(service, 'exit');
  });

  afterAll(async () => {
    if (service.exitCode === null && service.signalCode === null) service.kill('SIGKILL');
    await db.dispose();
  });

  it('handles the request in the caller’s trace', () => {
    expect(response).toEqual({ version: 1, traceId: TRACE_ID });
  });

  it('runs the consumer’s handler in the same trace', () => {
    const consumed = lines.find((line) => line.consumed)!.consumed!;
    expect(consumed.traceId).toBe(TRACE_ID);
  });

  it('exports a consumer span of that trace, and an HTTP server span it descends from', () => {
    const spans = lines.flatMap((line) => (line.span ? [line.span] : []));
    const consumerSpan = spans.find((span) => span.name.endsWith(' process'));
    const serverSpan = spans.find((span) => span.name === 'POST /ticks/:streamId');
    expect(consumerSpan).toMatchObject({ traceId: TRACE_ID, kind: 4 /* CONSUMER */ });
    expect(serverSpan).toMatchObject({ traceId: TRACE_ID, parentSpanId: 'b7ad6b7169203331' });
    // Stored metadata carries the server span as parent, so the consumer hangs under it.
    expect(consumerSpan!.parentSpanId).toBe(serverSpan!.spanId);
  });
});
