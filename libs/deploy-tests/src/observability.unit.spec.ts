import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ServiceMetrics } from '@carebridge/platform';
import { repoRoot } from './kustomize';

const dashboard = JSON.parse(readFileSync(path.join(repoRoot, 'observability', 'grafana', 'carebridge-platform.json'), 'utf8')) as {
  uid: string;
  panels: { type: string; title: string; targets?: { expr: string }[] }[];
};
const collector = parse(readFileSync(path.join(repoRoot, 'k8s', 'base', 'observability', 'otel-collector-config.yaml'), 'utf8')) as {
  extensions?: Record<string, unknown>;
  receivers: Record<string, unknown>;
  processors: Record<string, unknown>;
  exporters: Record<string, unknown>;
  connectors?: Record<string, unknown>;
  service: { extensions?: string[]; pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }> };
};

const ruleExprs = (
  parse(readFileSync(path.join(repoRoot, 'k8s', 'base', 'observability', 'prometheus-rules.yaml'), 'utf8')) as {
    spec: { groups: { rules: { expr: string }[] }[] };
  }
).spec.groups.flatMap((g) => g.rules.map((r) => r.expr));

async function exposedMetricNames(): Promise<Set<string>> {
  const metrics = new ServiceMetrics({ service: 'demo' });
  const exposed = new Set<string>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    exposed.add(m.name);
    if (String(m.type) === 'histogram') ['_bucket', '_count', '_sum'].forEach((s) => exposed.add(`${m.name}${s}`));
  }
  return exposed;
}

const metricNames = (exprs: readonly string[]) => new Set(exprs.flatMap((e) => e.match(/\b(carebridge|nodejs|process)_[a-z0-9_]+/g) ?? []));

it('alerting rules query only metrics that ServiceMetrics exposes', async () => {
  const exposed = await exposedMetricNames();
  const used = metricNames(ruleExprs);
  expect(used.size).toBeGreaterThanOrEqual(4);
  expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
});

describe('Grafana dashboard', () => {
  const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

  it('has panels with queries', () => {
    expect(dashboard.uid).toBe('carebridge-platform');
    expect(exprs.length).toBeGreaterThanOrEqual(10);
  });

  it('queries only metrics that ServiceMetrics exposes', async () => {
    const exposed = await exposedMetricNames();
    const used = metricNames(exprs);
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
  });

  it('covers HTTP latency, relay lag, consumer lag, dead letters and alerts', () => {
    const all = exprs.join('\n');
    for (const metric of [
      'carebridge_http_request_duration_seconds_bucket',
      'carebridge_relay_lag_events',
      'carebridge_consumer_lag_messages',
      'carebridge_dead_letters_total',
      'carebridge_alerts_total',
    ]) {
      expect(all).toContain(metric);
    }
  });
});

describe('OpenTelemetry Collector config', () => {
  it('receives OTLP and sends traces and metrics out', () => {
    expect(collector.receivers).toHaveProperty('otlp');
    expect(collector.service.pipelines.traces!.receivers).toContain('otlp');
    expect(collector.service.pipelines.traces!.exporters.some((e) => e.startsWith('otlp'))).toBe(true);
    expect(collector.service.pipelines.metrics!.exporters).toContain('prometheus');
  });

  it('defines every component a pipeline uses; connectors join an exporting and a receiving pipeline', () => {
    const connectors = Object.keys(collector.connectors ?? {});
    const problems: string[] = [];
    for (const [name, pipeline] of Object.entries(collector.service.pipelines)) {
      for (const r of pipeline.receivers) if (!(r in collector.receivers) && !connectors.includes(r)) problems.push(`${name}: receiver ${r}`);
      for (const p of pipeline.processors ?? []) if (!(p in collector.processors)) problems.push(`${name}: processor ${p}`);
      for (const e of pipeline.exporters) if (!(e in collector.exporters) && !connectors.includes(e)) problems.push(`${name}: exporter ${e}`);
      // memory_limiter must come first, batch last (the collector's documented order).
      const processors = pipeline.processors ?? [];
      if (processors[0] !== 'memory_limiter' || processors.at(-1) !== 'batch') problems.push(`${name}: processors order`);
    }
    for (const c of connectors) {
      const pipelines = Object.values(collector.service.pipelines);
      if (!pipelines.some((p) => p.exporters.includes(c)) || !pipelines.some((p) => p.receivers.includes(c))) problems.push(`connector ${c}`);
    }
    for (const ext of collector.service.extensions ?? []) if (!(ext in (collector.extensions ?? {}))) problems.push(`extension ${ext}`);
    expect(problems).toEqual([]);
  });
});
