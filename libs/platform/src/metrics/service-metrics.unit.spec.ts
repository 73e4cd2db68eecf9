import express from 'express';
import { request as httpRequest } from 'node:http';
import { ServiceMetrics, startMetricsServer } from './service-metrics';

const metricsFor = () => new ServiceMetrics({ service: 'demo', defaultMetrics: false });

/** `name{a="1",b="2"}` with its labels sorted, so series compare whatever the label order. */
function canonical(series: string): string {
  const match = /^([^{]+)(?:\{(.*)\})?$/.exec(series)!;
  const labels = (match[2] ?? '').match(/[a-z_]+="[^"]*"/g) ?? [];
  return `${match[1]}{${labels.sort().join(',')}}`;
}

/** The value of one series in the exposition text, or undefined. */
function valueOf(text: string, series: string): number | undefined {
  const wanted = canonical(series);
  const line = text.split('\n').find((l) => !l.startsWith('#') && l.includes(' ') && canonical(l.slice(0, l.lastIndexOf(' '))) === wanted);
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

function get(port: number, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('HTTP request duration', () => {
  it('labels requests by route template and status, never by URL', async () => {
    const metrics = metricsFor();
    const app = express();
    app.use(metrics.httpMiddleware());
    app.get('/appointments/:id', (_req, res) => {
      res.status(200).json({});
    });
    app.post('/appointments', (_req, res) => {
      res.status(201).json({});
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      await get(port, '/appointments/5f0c7f5e-0000-4000-8000-000000000001');
      await get(port, '/appointments/5f0c7f5e-0000-4000-8000-000000000002');
      await get(port, '/nowhere/123');
    } finally {
      server.close();
    }
    const text = await metrics.metrics();
    expect(valueOf(text, 'carebridge_http_request_duration_seconds_count{method="GET",route="/appointments/:id",status_code="200",service="demo"}')).toBe(2);
    expect(valueOf(text, 'carebridge_http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404",service="demo"}')).toBe(1);
    expect(text).not.toContain('5f0c7f5e');
  });
});

describe('relay lag', () => {
  it('is head position minus checkpoint on the leader', async () => {
    const metrics = metricsFor();
    let status = { leader: true, checkpoint: 10 };
    let head = 15;
    metrics.trackRelay('scheduling', { status: () => status }, async () => head);
    let text = await metrics.metrics();
    expect(valueOf(text, 'carebridge_relay_lag_events{relay="scheduling",service="demo"}')).toBe(5);
    expect(valueOf(text, 'carebridge_relay_leader{relay="scheduling",service="demo"}')).toBe(1);

    status = { leader: false, checkpoint: 10 };
    head = 20;
    text = await metrics.metrics();
    expect(valueOf(text, 'carebridge_relay_lag_events{relay="scheduling",service="demo"}')).toBeUndefined();
    expect(valueOf(text, 'carebridge_relay_leader{relay="scheduling",service="demo"}')).toBe(0);
  });
});

describe('consumer stats', () => {
  it('turns cumulative stats into counters without counting twice, dead letters included', async () => {
    const metrics = metricsFor();
    const stats = { processed: 3, duplicates: 1, deadLettered: 0, ignored: 0, retries: 2 };
    metrics.trackConsumer('visits', { stats });
    await metrics.metrics();
    stats.processed = 5;
    stats.deadLettered = 1;
    const text = await metrics.metrics();
    expect(valueOf(text, 'carebridge_consumer_messages_total{group="visits",outcome="processed",service="demo"}')).toBe(5);
    expect(valueOf(text, 'carebridge_consumer_messages_total{group="visits",outcome="duplicate",service="demo"}')).toBe(1);
    expect(valueOf(text, 'carebridge_consumer_messages_total{group="visits",outcome="retried",service="demo"}')).toBe(2);
    expect(valueOf(text, 'carebridge_dead_letters_total{group="visits",service="demo"}')).toBe(1);
  });

  it('reads consumer lag per partition from the committed and end offsets', async () => {
    const metrics = metricsFor();
    metrics.trackConsumerLag(
      'visits',
      {
        fetchOffsets: async () => [{ topic: 't', partitions: [{ partition: 0, offset: '7' }, { partition: 1, offset: '-1' }] }],
        fetchTopicOffsets: async () => [
          { partition: 0, high: '10', low: '0' },
          { partition: 1, high: '4', low: '1' },
        ],
      },
      ['t'],
    );
    const text = await metrics.metrics();
    expect(valueOf(text, 'carebridge_consumer_lag_messages{group="visits",topic="t",partition="0",service="demo"}')).toBe(3);
    expect(valueOf(text, 'carebridge_consumer_lag_messages{group="visits",topic="t",partition="1",service="demo"}')).toBe(3);
  });
});

describe('alerts', () => {
  it('counts lifecycle events and keeps the open gauge', async () => {
    const metrics = metricsFor();
    metrics.recordAlert('raised', 'high');
    metrics.recordAlert('raised', 'high');
    metrics.recordAlert('escalated', 'high');
    metrics.recordAlert('resolved', 'high');
    const text = await metrics.metrics();
    expect(valueOf(text, 'carebridge_alerts_total{event="raised",severity="high",service="demo"}')).toBe(2);
    expect(valueOf(text, 'carebridge_alerts_open{severity="high",service="demo"}')).toBe(1);
  });
});

describe('metrics server', () => {
  it('serves /metrics in the Prometheus text format and nothing else', async () => {
    const metrics = new ServiceMetrics({ service: 'demo' });
    const server = await startMetricsServer(metrics, { port: 0, host: '127.0.0.1' });
    try {
      const ok = await get(server.port, '/metrics');
      expect(ok.status).toBe(200);
      expect(ok.type).toContain('text/plain');
      expect(ok.body).toContain('# TYPE carebridge_http_request_duration_seconds histogram');
      expect(ok.body).toContain('process_cpu_user_seconds_total{service="demo"}');
      expect((await get(server.port, '/health/live')).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
