/**
 * Determinations per second and latency percentiles of determine() with the full rule sets
 * loaded, over the worked cases (every payer kind, modality and date edge).
 * Run: ./tools/ts-node.sh apps/billing-eligibility/bench/eligibility.bench.ts
 * (issue 7 names `npm run bench:eligibility`; package.json is not ours to edit, see the app README.)
 */
import { performance } from 'node:perf_hooks';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Coverage } from '../src/coverage/coverage.events';
import type { EligibilityRequest } from '../src/eligibility/eligibility.events';
import { determine } from '../src/rules/determine.rules';
import { loadRuleCatalog } from '../src/rules/rule-set.loader';
import cases from '../src/rules/worked-cases.json';

const loadStart = performance.now();
const catalog = loadRuleCatalog();
const loadMs = performance.now() - loadStart;

const inputs: [EligibilityRequest, Coverage | undefined][] = cases.cases.map((c) => {
  const defaults = cases.defaults as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(c.request as Record<string, unknown>)) {
    const base = defaults[key];
    merged[key] = value && typeof value === 'object' && !Array.isArray(value) && base && typeof base === 'object' ? { ...base, ...value } : value;
  }
  const [kind, state] = (c.coverage ?? '').split(':');
  const coverage: Coverage | undefined =
    c.coverage === null
      ? undefined
      : ({
          coverageId: 'bench',
          payerKind: kind === 'medicare' ? 'medicare-part-b' : kind,
          payerId: 'P',
          memberId: 'M',
          ...(state !== undefined && { state }),
          effectiveFrom: '2026-01-01',
          order: 'primary',
        } as Coverage);
  return [merged as unknown as EligibilityRequest, coverage];
});

const iterations = Number(process.env.BENCH_ITERATIONS ?? 200_000);
for (let i = 0; i < 5_000; i++) determine(inputs[i % inputs.length]![0], inputs[i % inputs.length]![1], catalog, cases.asOf);
const latencies = new Float64Array(iterations);
const start = performance.now();
for (let i = 0; i < iterations; i++) {
  const [request, coverage] = inputs[i % inputs.length]!;
  const t = performance.now();
  determine(request, coverage, catalog, cases.asOf);
  latencies[i] = performance.now() - t;
}
const elapsed = performance.now() - start;
latencies.sort();
const pct = (p: number) => latencies[Math.min(iterations - 1, Math.floor(iterations * p))]! * 1000;
const result = {
  measuredAt: new Date().toISOString(),
  node: process.version,
  ruleSets: catalog.ruleSets.map((s) => `${s.ruleSetId}@${s.version} (${s.rules.length} rules)`),
  ruleLoadMs: Math.round(loadMs),
  cases: inputs.length,
  iterations,
  determinationsPerSecond: Math.round(iterations / (elapsed / 1000)),
  latencyMicroseconds: { p50: +pct(0.5).toFixed(1), p99: +pct(0.99).toFixed(1), max: +(latencies[iterations - 1]! * 1000).toFixed(1) },
};
const out = path.join(__dirname, 'results');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'eligibility.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
