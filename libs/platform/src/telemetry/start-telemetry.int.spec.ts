import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';

// Runs a service as a real process (SWC at run time, as `npm start` does): jest's own module
// loader bypasses the require hooks that HTTP and pg instrumentation rely on.
const REPO_ROOT = path.resolve(__dirname, '../../../..');
const SERVICE = path.join(__dirname, 'fixtures/traced-service.ts');
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

type Line = Record<string, unknown> & {
  span?: { name: string; traceId: string; spanId: string; parentSpanId?: string; attributes: Record<string, unknown> };
};

describe('startTelemetry in a service process', () => {
  const lines: Line[] = [];
  let service: ChildProcess;
  let exit: Promise<[number | null, NodeJS.Signals | null]>;

  beforeAll(async () => {
    service = spawn(process.execPath, ['-r', '@swc-node/register', SERVICE], {
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    exit = once(service, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const listening = new Promise<string>((resolve) => {
      createInterface({ input: service.stdout! }).on('line', (text) => {
        const line = JSON.parse(text) as Line;
        lines.push(line);
        if (typeof line.listening === 'string') resolve(line.listening);
      });
    });
    const url = await listening;

    await fetch(`${url}/patients/p-1?visit=v-9`, {
      headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, 'x-correlation-id': 'portal-1' },
    });
    await fetch(`${url}/health/ready`);
    service.kill('SIGTERM');
    await exit;
  });

  afterAll(() => {
    if (service.exitCode === null && service.signalCode === null) service.kill('SIGKILL');
  });

  const spans = () => lines.flatMap((line) => (line.span ? [line.span] : []));

  it('continues the caller’s trace in a server span named after the route', () => {
    const server = spans().find((span) => span.name === 'GET /patients/:id');

    expect(server).toMatchObject({
      traceId: TRACE_ID,
      parentSpanId: '00f067aa0ba902b7',
      attributes: expect.objectContaining({ 'http.route': '/patients/:id', 'carebridge.correlation_id': 'portal-1' }),
    });
  });

  it('traces the SQL statement as a child of the request, without its parameters', () => {
    const server = spans().find((span) => span.name === 'GET /patients/:id');
    const query = spans().find((span) => span.name.startsWith('pg.query') && span.traceId === TRACE_ID);

    expect(query?.parentSpanId).toBeDefined();
    expect(spans().some((span) => span.spanId === query?.parentSpanId && span.traceId === server?.traceId)).toBe(true);
    expect(JSON.stringify(query?.attributes)).not.toContain('p-1');
  });

  it('does not trace health probes', () => {
    expect(spans().some((span) => span.name.includes('/health'))).toBe(false);
  });

  it('puts the trace id on the request log line', () => {
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'request completed', route: '/patients/:id', traceId: TRACE_ID, correlationId: 'portal-1' }),
    );
  });

  it('flushes the spans when SIGTERM ends the process', async () => {
    const [, signal] = await exit;

    expect(signal).toBe('SIGTERM');
    expect(spans().map((span) => span.name)).toEqual(expect.arrayContaining(['GET /patients/:id', 'last publish']));
  });
});
