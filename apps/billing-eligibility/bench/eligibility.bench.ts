/**
 * Determinations per second and latency percentiles with the full rule sets loaded, over the
 * worked cases (every payer kind, modality and date edge):
 * 1. the engine alone, determine() in process;
 * 2. stored answers: `POST /v1/eligibility-checks` over HTTP into the real PostgreSQL event
 *    store (coverage read, determine, EligibilityDetermined appended), at concurrency 1 and 8.
 * Run: npm run bench:eligibility (writes bench/results/eligibility.json here).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { migrate } from '@carebridge/event-store';
import { DevTokenIssuer, configureServiceApp, createLogger } from '@carebridge/platform';
import { createTestSchema } from '@carebridge/testing';
import { BillingEligibilityModule } from '../src/billing-eligibility.module';
import { eligibilityCheckBody } from '../src/eligibility/eligibility-check.http';
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

// Cases whose input is refused (422) measure no determination.
const inputs: [EligibilityRequest, Coverage | undefined][] = cases.cases.filter((c) => !('error' in c.expect)).map((c) => {
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

async function storedAnswers() {
  const db = await createTestSchema('billing_eligibility_bench', { max: 20 });
  await migrate(db.pool, db.schema);
  const issuer = await DevTokenIssuer.create();
  const moduleRef = await Test.createTestingModule({
    imports: [BillingEligibilityModule.register({
        pool: db.pool,
        schema: db.schema,
        auth: issuer.authOptions(),
        logger: createLogger({ service: 'billing-eligibility-bench', level: 'silent' }),
        checks: [],
        shippedRules: catalog,
        payer: null,
      }),],
  }).compile();
  const app = configureServiceApp(moduleRef.createNestApplication<NestExpressApplication>(), {
    logger: createLogger({ service: 'billing-eligibility-bench', level: 'silent' }),
  });
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const auth = `Bearer ${await issuer.mint({ sub: randomUUID(), role: 'ops' })}`;
  const post = async (url: string, body: unknown) => {
    const response = await fetch(`${base}${url}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  };
  // The worked cases an API caller can send (some cases hold facts only events carry).
  const bodies = inputs
    .map(([request, coverage]) => {
      const { patientId: _p, ...body } = request as EligibilityRequest & Record<string, unknown>;
      return { body, coverage };
    })
    .filter(({ body }) => eligibilityCheckBody.safeParse({ ...body, patientId: randomUUID() }).success);
  // One patient per case and round, each with the case's coverage recorded.
  const run = async (requests: number, concurrency: number) => {
    const patients = await Promise.all(
      bodies.map(async ({ coverage }) => {
        const patientId = randomUUID();
        if (coverage !== undefined) {
          const { coverageId: _id, ...fields } = coverage as Coverage & Record<string, unknown>;
          await post(`/v1/patients/${patientId}/coverages`, fields);
        }
        return patientId;
      }),
    );
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < requests; i = next++) {
          const k = i % bodies.length;
          const t = performance.now();
          await post('/v1/eligibility-checks', { ...bodies[k]!.body, patientId: patients[k], asOf: cases.asOf });
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (p: number) => +latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(2);
    return { requests, concurrency, cases: bodies.length, determinationsPerSecond: Math.round(requests / seconds), latencyMs: { p50: at(0.5), p99: at(0.99) } };
  };
  const requests = Number(process.env.BENCH_HTTP_REQUESTS ?? 2_000);
  await run(200, 4); // warm-up
  const results = [await run(requests, 1), await run(requests, 8)];
  await app.close();
  await db.dispose();
  return results;
}

async function main() {
  const stored = await storedAnswers();
  const out = path.join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  const all = { ...result, storedOverHttp: stored };
  writeFileSync(path.join(out, 'eligibility.json'), JSON.stringify(all, null, 2) + '\n');
  console.log(JSON.stringify(all, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
