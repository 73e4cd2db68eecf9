/**
 * npm run test:faults (second part): the clinic fault scenario (issue 21). The five services as
 * `npm start -- --profile distributed` runs them (tools/start-services.ts: one supervised process
 * each, the development gateway, the seeded clinic), but on a PostgreSQL server, a Kafka broker and
 * a Redis of the scenario's own (the shared ones are never touched), under a bounded mixed load
 * kept in a client-side ledger (clinic-load.ts). One fault at a time: the broker SIGKILLed and
 * restarted, PostgreSQL restarted, PostgreSQL stopped 10 s, the scheduling service SIGKILLed. Then
 * the invariants (clinic-checks.ts), and the table the README's Reliability section quotes.
 * Exits 1 when a command was lost or applied twice, or an invariant broke.
 *
 * Rate limits are off for the run: every client comes from one address and the scenario is about
 * faults, not limits (RATE_LIMIT_ENABLED=false).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { createKafka } from '@carebridge/messaging';
import { PrivateKafka, PrivatePostgres, PrivateRedis, freePort } from '@carebridge/testing';
import {
  SCHEMAS,
  auditVerify,
  consumingAgain,
  groupLag,
  groupStates,
  ledgerOutcome,
  newRxBySubject,
  platformTopics,
  readTopics,
  relayCheckpoints,
  storeHeads,
  topicEnds,
  topicFindings,
  type TopicFindings,
} from './clinic-checks';
import { ClinicLedger, runClinicLoad } from './clinic-load';

const root = path.join(__dirname, '..', '..');
const SERVICES = ['billing-eligibility', 'monitoring', 'prescriptions', 'scheduling', 'visits'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string) => process.stdout.write(`[clinic-faults] ${line}\n`);

export interface ClinicFaultRow {
  readonly fault: string;
  readonly accepted: number;
  readonly errors: Record<string, number>;
  readonly serveAgainMs: number;
  readonly drainedMs: number;
  readonly lost: number;
  readonly duplicated: number;
}

interface Platform {
  readonly url: string;
  readonly process: ChildProcess;
}

/** `n` consecutive free ports (the services' metrics ports are a base plus 0..n-1). */
async function freeRun(n: number): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    let ok = true;
    for (let i = 0; i < n && ok; i++) ok = await free(base + i);
    if (ok) return base;
  }
}

async function startPlatform(env: Record<string, string>, logDir: string): Promise<Platform> {
  const port = await freePort();
  const ports: Record<string, string> = {};
  for (const name of SERVICES) ports[`PORT_${name.toUpperCase().replace(/-/g, '_')}`] = String(await freePort());
  const log = createWriteStream(path.join(logDir, 'platform.log'));
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(root, 'tools', 'start-services.ts'), '--port', String(port)], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      ...ports,
      METRICS_PORT_BASE: String(await freeRun(SERVICES.length)),
      CAREBRIDGE_DEV_TOKENS: 'true',
      CAREBRIDGE_TOKENS_FILE: path.join(logDir, 'dev-tokens.json'),
      CAREBRIDGE_START_TIMEOUT_MS: '600000',
      RATE_LIMIT_ENABLED: 'false',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      SWC_NODE_PROJECT: 'tsconfig.json',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.pipe(log, { end: false });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the platform exited (${code}) before it was ready; log in ${logDir}/platform.log`)));
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      seen = (seen + chunk.toString()).slice(-4_000);
      if (/\[carebridge\] ready in/.test(seen)) resolve();
    });
  });
  return { url: `http://127.0.0.1:${port}`, process: child };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, limitMs = 600_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`clinic faults: no recovery within ${limitMs} ms`);
    await sleep(100);
  }
}

/**
 * Until the relays have published up to the store heads as of now, and every consumer group has
 * read up to the topic ends as of then. Says which relay or group it waits for, every 5 s.
 */
async function drained(pool: Pool, kafka: ReturnType<typeof createKafka>, topics: readonly string[], since: number): Promise<number> {
  const heads = await waitFor(() => storeHeads(pool));
  let said = Date.now();
  const report = (what: string) => {
    if (Date.now() - said < 2_000) return;
    said = Date.now();
    say(`  ${((Date.now() - since) / 1000).toFixed(1)} s: waiting for ${what}`);
  };
  await waitFor(async () => {
    const checkpoints = await relayCheckpoints(pool);
    const behind = SCHEMAS.filter((s) => checkpoints[s]! < heads[s]!);
    if (behind.length > 0) report(`relays ${behind.map((s) => `${s} ${checkpoints[s]}/${heads[s]}`).join(', ')}`);
    return behind.length === 0 ? true : undefined;
  });
  const relaysMs = Date.now() - since;
  const ends = await waitFor(() => topicEnds(kafka, topics));
  // When each group's committed offsets first move again (it rejoined and consumes): the rejoin,
  // apart from the time its backlog takes.
  const firstLag = new Map<string, number>();
  const moving = new Map<string, number>();
  await waitFor(async () => {
    const lagging = await groupLag(kafka, ends);
    for (const [group, lag] of Object.entries(lagging)) {
      if (!firstLag.has(group)) firstLag.set(group, lag);
      else if (lag < firstLag.get(group)! && !moving.has(group)) moving.set(group, Date.now() - since);
    }
    for (const group of firstLag.keys()) if (!(group in lagging) && !moving.has(group)) moving.set(group, Date.now() - since);
    if (Object.keys(lagging).length > 0 && Date.now() - said >= 2_000) {
      const states = await groupStates(kafka, Object.keys(lagging)).catch(() => ({}));
      said = 0;
      report(`consumer groups (lag) ${JSON.stringify(lagging)}, ${JSON.stringify(states)} (relays caught up after ${relaysMs} ms)`);
    }
    return Object.keys(lagging).length === 0 ? true : undefined;
  });
  const again = await consumingAgain(pool, since).catch(() => ({}));
  say(
    `  relays caught up after ${relaysMs} ms; first event processed again (inbox) after ${Object.entries(again).map(([schema, ms]) => `${schema} ${ms} ms`).join(', ')}; ` +
      `offsets first committed again after ${[...moving].map(([g, ms]) => `${g} ${ms} ms`).join(', ')}`,
  );
  return Date.now() - since;
}

async function servicePid(url: string, name: string): Promise<number> {
  const health = (await (await fetch(`${url}/health`)).json()) as { services: { name: string; pid: number | null }[] };
  return health.services.find((s) => s.name === name)!.pid!;
}

export async function runClinicFaults(): Promise<{ rows: ClinicFaultRow[]; totals: Record<string, unknown>; findings: TopicFindings; ok: boolean; logDir: string }> {
  const logDir = mkdtempSync(path.join(tmpdir(), 'carebridge-clinic-faults-'));
  say(`private PostgreSQL, Kafka broker and Redis; logs in ${logDir}`);
  const [postgres, broker, redis] = await Promise.all([PrivatePostgres.start(), PrivateKafka.start(), PrivateRedis.start()]);
  const pool = new Pool({ connectionString: postgres.url, max: 3, connectionTimeoutMillis: 2_000 });
  pool.on('error', () => undefined);
  const kafka = createKafka({ brokers: broker.brokers, clientId: 'clinic-faults', logLevel: 'nothing' });
  const ledger = new ClinicLedger();
  let platform: Platform | undefined;
  let load: Promise<void> | undefined;
  try {
    const t0 = Date.now();
    platform = await startPlatform({ DATABASE_URL: postgres.url, KAFKA_BROKERS: broker.brokers.join(','), REDIS_URL: redis.url }, logDir);
    say(`five services ready and the clinic seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s (${platform.url})`);
    const url = platform.url;
    load = runClinicLoad(ledger, url);
    await sleep(15_000);
    const { topics } = await platformTopics(kafka);

    const faults: { name: string; inject: () => Promise<number> }[] = [
      { name: 'broker SIGKILL/restart', inject: async () => (await broker.kill(), await sleep(3_000), await broker.startBroker(), Date.now()) },
      { name: 'postgres restart', inject: async () => (await postgres.restart(), Date.now()) },
      { name: 'postgres stop 10 s/start', inject: async () => (postgres.stopServer(), await sleep(10_000), await postgres.startServer(), Date.now()) },
      {
        name: 'service SIGKILL (scheduling)',
        inject: async () => {
          process.kill(await servicePid(url, 'scheduling'), 'SIGKILL');
          await sleep(200);
          return waitFor(async () => ((await fetch(`${url}/scheduling/health/ready`)).status === 200 ? Date.now() : undefined));
        },
      },
    ];
    const timings: { fault: string; serveAgainMs: number; drainedMs: number }[] = [];
    // CLINIC_FAULTS_ONLY=broker: only the faults whose name contains it (measuring one fault again).
    for (const fault of faults.filter((f) => f.name.includes(process.env.CLINIC_FAULTS_ONLY ?? ''))) {
      say(`${fault.name}: injecting under load`);
      ledger.phase = fault.name;
      const backAt = await fault.inject();
      say(`${fault.name}: recovered at ${new Date(backAt).toISOString()} (the dependency answers, or the service is ready)`);
      const [serveAgainMs, drainedMs] = await Promise.all([
        waitFor(async () => (ledger.lastAcceptedAt >= backAt ? ledger.lastAcceptedAt - backAt : undefined)),
        drained(pool, kafka, topics, backAt),
      ]);
      ledger.phase = 'steady';
      timings.push({ fault: fault.name, serveAgainMs, drainedMs });
      say(`${fault.name}: serving ${serveAgainMs} ms and drained ${drainedMs} ms after recovery`);
      await sleep(5_000);
    }

    ledger.running = false;
    await load;
    say(`load stopped: ${ledger.accepted.length} commands accepted; waiting for the last of them to drain`);
    await drained(pool, kafka, topics, Date.now());
    const { topics: finalTopics, dlq } = await platformTopics(kafka);
    const messages = await readTopics(kafka, finalTopics);
    const dlqMessages = await readTopics(kafka, dlq);
    const newRxAll = ledger.accepted.flatMap((c) => (c.pharmacyNewRx ? [c.pharmacyNewRx] : []));
    const findings = await topicFindings(pool, messages, dlqMessages, newRxAll);
    const newRx = newRxBySubject(messages);
    const rows: ClinicFaultRow[] = [];
    for (const t of timings) {
      const commands = ledger.accepted.filter((c) => c.phase === t.fault);
      const outcome = await ledgerOutcome(pool, commands);
      const rx = commands.flatMap((c) => (c.pharmacyNewRx ? [c.pharmacyNewRx] : []));
      rows.push({
        ...t,
        accepted: commands.length,
        errors: ledger.errors.get(t.fault) ?? {},
        lost: outcome.lost + rx.filter((id) => !newRx.has(id)).length,
        duplicated: outcome.duplicated + rx.filter((id) => (newRx.get(id)?.size ?? 0) > 1).length,
      });
    }
    const overall = await ledgerOutcome(pool, ledger.accepted);
    const heads = await storeHeads(pool);
    const checkpoints = await relayCheckpoints(pool);
    const audit = await auditVerify(postgres.url);
    const kinds: Record<string, number> = {};
    ledger.accepted.forEach((c) => (kinds[c.kind] = (kinds[c.kind] ?? 0) + 1));
    const steadyErrors = Object.fromEntries([...ledger.errors].filter(([phase]) => phase === 'steady' || phase === 'warm-up'));
    const totals = {
      accepted: ledger.accepted.length,
      kinds,
      lost: overall.lost + findings.newRxLost,
      duplicated: overall.duplicated + findings.newRxDuplicated,
      heads,
      checkpoints,
      published: messages.length,
      auditOk: audit.ok,
      errorsOutsideFaults: steadyErrors,
      notVisibleYet: ledger.notVisibleYet,
    };
    if (overall.lost > 0 || overall.duplicated > 0) say(`missing: ${JSON.stringify(overall.missing)}; more than once: ${JSON.stringify(overall.extra)}`);
    const ok =
      totals.lost === 0 &&
      totals.duplicated === 0 &&
      findings.inboxMismatches.length === 0 &&
      findings.outOfOrderKeys === 0 &&
      findings.deadLetteredProcessed === 0 &&
      SCHEMAS.every((s) => heads[s] === checkpoints[s]) &&
      audit.ok &&
      rows.every((r) => Object.keys(r.errors).every((status) => status === '503'));
    return { rows, totals, findings, ok, logDir };
  } finally {
    ledger.running = false;
    await load?.catch(() => undefined);
    if (platform && platform.process.exitCode === null) {
      const exited = new Promise((resolve) => platform!.process.once('exit', resolve));
      platform.process.kill('SIGTERM');
      await Promise.race([exited, sleep(40_000)]);
    }
    await pool.end().catch(() => undefined);
    await Promise.all([broker.dispose(), postgres.dispose(), redis.dispose()]);
  }
}

export function formatClinicTable(result: Awaited<ReturnType<typeof runClinicFaults>>): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const errors = (e: Record<string, number>) => (Object.keys(e).length === 0 ? '0' : Object.entries(e).map(([k, v]) => `${v}× ${k}`).join(', '));
  const t = result.totals as { accepted: number; kinds: Record<string, number>; lost: number; duplicated: number; heads: Record<string, number>; checkpoints: Record<string, number>; published: number; auditOk: boolean; errorsOutsideFaults: Record<string, Record<string, number>>; notVisibleYet: number };
  const f = result.findings;
  return [
    '| fault | commands accepted | client errors | serving again | drained | lost | duplicated |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: |',
    ...result.rows.map((r) => `| ${r.fault} | ${r.accepted} | ${errors(r.errors)} | ${s(r.serveAgainMs)} | ${s(r.drainedMs)} | ${r.lost} | ${r.duplicated} |`),
    '',
    `Totals: ${t.accepted} commands accepted (${Object.entries(t.kinds).map(([k, v]) => `${v} ${k}`).join(', ')}); lost ${t.lost}, duplicated ${t.duplicated}; ` +
      `store heads / relay checkpoints ${SCHEMAS.map((x) => `${x} ${t.heads[x]}/${t.checkpoints[x]}`).join(', ')}; ` +
      `${t.published} messages on the topics (${f.republished} published again, de-duplicated by the inboxes); inboxes = distinct ids: ${f.inboxMismatches.length === 0 ? 'yes' : f.inboxMismatches.join('; ')}; ` +
      `keys out of order ${f.outOfOrderKeys}; NewRx at the pharmacy topic lost ${f.newRxLost}, duplicated ${f.newRxDuplicated}; ` +
      `dead-lettered ${f.deadLettered} (${f.deadLetteredProcessed} of them processed events); audit trail ${t.auditOk ? 'intact' : 'BROKEN'}; ` +
      `client errors outside the faults: ${JSON.stringify(t.errorsOutsideFaults)}; ` +
      `(reads of what another service creates from an event, not there yet and sent again: ${t.notVisibleYet}).`,
  ].join('\n');
}

if (require.main === module) {
  runClinicFaults().then(
    (result) => {
      console.log(`\n${formatClinicTable(result)}\n`);
      if (!result.ok) console.log(`[clinic-faults] an invariant broke; the platform's log is in ${result.logDir}`);
      process.exit(result.ok ? 0 : 1);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
