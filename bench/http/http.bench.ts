/**
 * npm run bench:http            (distributed profile: one process per service on PostgreSQL, Kafka, Redis)
 * npm run bench:http:embedded   (embedded profile: all services in one process on PGlite)
 * npm run profile:http          (embedded, ours only, with --cpu-prof; prints where the time goes)
 *
 * The hottest authenticated reads of each service under autocannon, each beside a bare `node:http`
 * handler doing the same SQL behind the same JWT check (bench/http/bare-server.ts) in the same run:
 * the ratio ours / bare is the share of the stack's limit we reach. Medians of BENCH_ROUNDS rounds
 * (default 3) of BENCH_SECONDS (default 3) at BENCH_CONNECTIONS (default 10); ours and bare
 * alternate within a round. Then appointment-by-id latency at a fixed 1,000 requests/s. Writes
 * bench/results/http-<profile>.json and .md. Ports 3500-3519 (lane range; BENCH_PORT_BASE moves it).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { DevTokenIssuer } from '@carebridge/platform';
import { seedTokens } from '../../tools/embedded/dev-access';
import { SEED, seedClinic } from '../../tools/embedded/seed';
import { fmt, load, machine, median, type LoadResult } from './load';
import { summariseProfile } from './profile-summary';

const root = path.join(__dirname, '..', '..');
const profile = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1]! : 'distributed';
const cpuProf = process.argv.includes('--cpu-prof');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '10').split(',').map(Number);
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 3500);
const say = (message: string) => console.log(`[bench:http] ${message}`);

const SERVICES = ['billing-eligibility', 'monitoring', 'prescriptions', 'scheduling', 'visits'];
const children: ChildProcess[] = [];

/** Spawns a TypeScript entry point; resolves with its first JSON stdout line. */
function start(entry: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', entry], {
    cwd: root,
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.json', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{"url"') || line.startsWith('{"listening"')) resolve(JSON.parse(line) as Record<string, unknown>);
      else if (process.env.BENCH_VERBOSE) console.log(line);
    });
  });
}

async function stopChildren(): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
        }),
    ),
  );
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function call(url: string, method: string, token: string, body?: unknown, key?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(key !== undefined && { 'idempotency-key': key }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

interface Read {
  readonly name: string;
  readonly service: string;
  /** Path under the service, without its prefix. */
  readonly path: string;
  readonly token: string;
}

/** Books appointments, posts a month of readings, waits for an eligibility determination; returns the reads. */
async function prepareReads(gateway: string, mint: (role: any, sub: string, ids?: object) => Promise<string>): Promise<Read[]> {
  const patientId = SEED.defaultSubject.patient; // NY, covered
  const providerId = SEED.defaultSubject.provider; // family medicine, NY
  const rpmPatientId = '7c1e2a40-0000-4000-8000-000000000002';
  const careTeamProviderId = '7c1e2a40-0000-4000-8000-000000000102';
  const patient = await mint('patient', patientId, { patientId });
  const provider = await mint('provider', providerId, { providerId });
  const careProvider = await mint('provider', careTeamProviderId, { providerId: careTeamProviderId });
  const ops = await mint('ops', SEED.defaultSubject.ops);

  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'America/New_York' });
  const slotQuery = `specialty=family-medicine&modality=video&patientState=NY&from=${day(1)}&to=${day(7)}&timeZone=America/New_York&pageSize=20`;
  const found = await call(`${gateway}/scheduling/v1/slots?${slotQuery}`, 'GET', patient);
  if (found.status !== 200) throw new Error(`slot search answered ${found.status}: ${JSON.stringify(found.body)}`);
  const mine = (found.body.slots as { providerId: string; startUtc: string }[]).filter((s) => s.providerId === providerId).slice(0, 6);
  const booked: string[] = [];
  for (const slot of mine) {
    const answer = await call(`${gateway}/scheduling/v1/appointments`, 'POST', patient, {
      providerId,
      slotStart: slot.startUtc,
      modality: 'video',
      patientState: 'NY',
      serviceCodes: ['99213'],
      visitPurpose: 'other',
      patientSetting: 'home',
      reason: 'Follow-up of home blood pressure readings',
      intake: { symptoms: ['chronic-condition-follow-up'], description: 'Routine follow-up.', questions: [] },
    }, `bench-${slot.startUtc}`);
    if (answer.status !== 201) throw new Error(`booking answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    booked.push(answer.body.appointmentId as string);
  }
  if (booked.length === 0) throw new Error('no free slot of the seeded provider to book');
  const firstStart = mine[0]!.startUtc;
  const dayStart = `${firstStart.slice(0, 10)}T00:00:00Z`;
  const dayEnd = `${firstStart.slice(0, 10)}T23:59:59Z`;

  // A month of blood-pressure readings, 8 a day, from the patient's seeded cuff.
  const now = Date.now();
  const readings = Array.from({ length: 240 }, (_, i) => ({
    deviceId: '7c1e2a40-0000-4000-8000-000000000501',
    type: 'blood-pressure',
    measuredAt: new Date(now - (i + 1) * 3 * 3_600_000).toISOString(),
    systolic: 120 + (i % 15),
    diastolic: 78 + (i % 9),
    unit: 'mmHg',
  }));
  const posted = await call(`${gateway}/monitoring/v1/readings/batch`, 'POST', ops, { readings });
  if (posted.status !== 200 || posted.body.accepted + posted.body.duplicates !== readings.length) {
    throw new Error(`readings batch answered ${posted.status}: ${JSON.stringify(posted.body).slice(0, 400)}`);
  }
  // The booking's eligibility determination arrives through the bus / Kafka.
  await waitFor('an eligibility determination', async () => {
    const r = await call(`${gateway}/billing-eligibility/v1/patients/${patientId}/eligibility-determinations`, 'GET', patient);
    return r.status === 200 && r.body.determinations.length > 0 ? true : undefined;
  });
  const monthAgo = new Date(now - 30 * 86_400_000).toISOString();
  return [
    { name: 'appointment by id', service: 'scheduling', path: `/v1/appointments/${booked[0]}`, token: patient },
    { name: "provider's day", service: 'scheduling', path: `/v1/appointments?providerId=${providerId}&from=${dayStart}&to=${dayEnd}`, token: provider },
    { name: 'slot search, one week', service: 'scheduling', path: `/v1/slots?${slotQuery}`, token: patient },
    { name: "patient's readings, one month", service: 'monitoring', path: `/v1/patients/${rpmPatientId}/readings?from=${monthAgo}&to=${new Date(now).toISOString()}`, token: careProvider },
    { name: "patient's prescriptions", service: 'prescriptions', path: `/v1/prescriptions?patientId=${patientId}`, token: patient },
    { name: 'eligibility determinations', service: 'billing-eligibility', path: `/v1/patients/${patientId}/eligibility-determinations`, token: patient },
  ];
}

interface Row {
  readonly read: string;
  readonly connections: number;
  readonly ours: LoadResult & { rounds: number[] };
  readonly bare: LoadResult & { rounds: number[] };
  readonly ratio: number;
  readonly bytes: { ours: number; bare: number };
}

async function measure(read: Read, ourUrl: string, bareUrl: string, connections: number, bytes: Row['bytes']): Promise<Row> {
  const ours: LoadResult[] = [];
  const bare: LoadResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so neither always runs on the warmer (or busier) machine.
    const pair = round % 2 === 0 ? [['ours', ourUrl], ['bare', bareUrl]] : [['bare', bareUrl], ['ours', ourUrl]];
    for (const [who, url] of pair) (who === 'ours' ? ours : bare).push(await load(url!, read.token, connections, SECONDS));
  }
  const summary = (results: LoadResult[]) => ({
    rps: median(results.map((r) => r.rps)),
    p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)),
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    rounds: results.map((r) => Math.round(r.rps)),
  });
  const row = { read: read.name, connections, ours: summary(ours), bare: summary(bare), ratio: 0, bytes };
  const result = { ...row, ratio: +(row.ours.rps / row.bare.rps).toFixed(2) };
  say(`${read.name} @${connections}: ours ${fmt(result.ours.rps)}/s (${result.ours.rounds.join(', ')}), bare ${fmt(result.bare.rps)}/s (${result.bare.rounds.join(', ')}), ratio ${result.ratio}`);
  return result;
}

/**
 * The bench is one client at one address making tens of thousands of requests a second: the
 * per-address and per-principal limits (issue 22) would answer most of them 429. They stay on
 * (the bucket check is part of every request's cost) with limits no bench run reaches.
 */
const UNREACHABLE_RATE_LIMITS = Object.fromEntries(
  ['PER_ADDRESS', 'PER_PRINCIPAL', 'DEVICE'].flatMap((kind) => [
    [`RATE_LIMIT_${kind}_PER_MINUTE`, '10000000'],
    [`RATE_LIMIT_${kind}_BURST`, '10000000'],
  ]),
);

interface Platform {
  readonly gateway: string;
  readonly databaseUrl: string;
  readonly serviceUrl: (service: string) => string;
  /** The embedded platform's data folder, removed after the run. */
  readonly dataDir?: string;
}

/** The embedded profile: one process (bench/http/embedded-server.ts) on a fresh data folder. */
async function startEmbedded(jwtEnv: Record<string, string>, profArgs: string[]): Promise<Platform> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'carebridge-bench-http-'));
  const started = await start('bench/http/embedded-server.ts', { ...jwtEnv, ...UNREACHABLE_RATE_LIMITS, PORT: String(PORT_BASE), BENCH_DATA_DIR: dataDir }, profArgs);
  const gateway = started.url as string;
  return { gateway, databaseUrl: started.connectionString as string, serviceUrl: (service) => `${gateway}/${service}`, dataDir };
}

/** The distributed profile: one process per service (tools/start-services.ts) on a database of the run's own. */
async function startDistributed(jwtEnv: Record<string, string>, profArgs: string[]): Promise<Platform> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carebridge';
  const database = 'carebridge_bench_http';
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const databaseUrl = base.replace(/\/[^/]*$/, `/${database}`);
  const ports = Object.fromEntries(SERVICES.map((s, i) => [`PORT_${s.toUpperCase().replace(/-/g, '_')}`, String(PORT_BASE + 1 + i)]));
  // start-services prints `ready in` when every service answers /health/ready; it has no JSON line, so poll the gateway.
  // BENCH_PLATFORM_ROOT: another checkout's services (an earlier commit, for a before/after).
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'tools/start-services.ts', '--no-seed'], {
    cwd: process.env.BENCH_PLATFORM_ROOT ?? root,
    env: {
      ...process.env,
      ...jwtEnv,
      ...UNREACHABLE_RATE_LIMITS,
      ...ports,
      SWC_NODE_PROJECT: 'tsconfig.json',
      DATABASE_URL: databaseUrl,
      PORT: String(PORT_BASE),
      METRICS_PORT_BASE: String(PORT_BASE + 10),
      ...(cpuProf && { SERVICE_NODE_ARGS: profArgs.join(' ') }),
    },
    stdio: ['ignore', process.env.BENCH_VERBOSE ? 'inherit' : 'ignore', 'inherit'],
  });
  children.push(child);
  const gateway = `http://127.0.0.1:${PORT_BASE}`;
  await waitFor(
    'every service ready',
    async () => {
      const ready = await Promise.all(SERVICES.map((_, i) => fetch(`http://127.0.0.1:${PORT_BASE + 1 + i}/health/ready`).then((r) => r.status === 200)));
      return ready.every(Boolean) ? true : undefined;
    },
    240_000,
  );
  return { gateway, databaseUrl, serviceUrl: (service) => `http://127.0.0.1:${PORT_BASE + 1 + SERVICES.indexOf(service)}` };
}

async function main(): Promise<void> {
  const issuer = await DevTokenIssuer.create({ issuer: 'https://bench.carebridge.local/', audience: 'carebridge-api' });
  const mint = (role: any, sub: string, ids: object = {}) => issuer.mint({ sub, role, ...ids }, { expiresIn: '12h' });
  const jwtEnv = { JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: issuer.audience, JWKS_JSON: JSON.stringify(issuer.jwks()) };
  const profileDir = path.join(root, 'bench', 'results', 'profiles', `${profile}-${Date.now()}`);
  const profArgs = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const before = machine();
  say(`profile ${profile}; ${before.cores} cores, load ${before.loadAverage.join(' ')}; ${ROUNDS} rounds x ${SECONDS} s at ${CONNECTIONS.join(', ')} connections`);

  const { gateway, databaseUrl, serviceUrl, dataDir } = profile === 'embedded' ? await startEmbedded(jwtEnv, profArgs) : await startDistributed(jwtEnv, profArgs);
  say(`platform up (${gateway}); seeding`);
  say(await seedClinic(gateway, seedTokens(mint), say));
  // BENCH_READS=1,4 keeps only those reads (1-based, in the table's order), e.g. to profile one.
  const only = process.env.BENCH_READS?.split(',').map(Number);
  const reads = (await prepareReads(gateway, mint)).filter((_, i) => only === undefined || only.includes(i + 1));

  const bare = cpuProf ? undefined : await start('bench/http/bare-server.ts', { ...jwtEnv, DATABASE_URL: databaseUrl, PORT: String(PORT_BASE + 9) });
  const bareBase = bare && `http://127.0.0.1:${bare.listening as number}`;

  if (cpuProf) {
    const from = Number(process.hrtime.bigint() / 1000n);
    for (const read of reads) {
      const r = await load(`${serviceUrl(read.service)}${read.path}`, read.token, CONNECTIONS[0]!, SECONDS * 2);
      say(`${read.name}: ${fmt(r.rps)}/s (profiled)`);
    }
    const to = Number(process.hrtime.bigint() / 1000n);
    await stopChildren();
    for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
      const summary = summariseProfile(path.join(profileDir, file), { from, to }).slice(0, 25);
      say(`${file}: share of busy CPU by package\n${summary.map((s) => `  ${s.percent.toFixed(1).padStart(5)} %  ${s.group}`).join('\n')}`);
      writeFileSync(path.join(profileDir, `${file}.summary.json`), JSON.stringify(summary, null, 2) + '\n');
    }
    say(`profiles in ${path.relative(root, profileDir)} (open them in Chrome DevTools > Performance)`);
    return;
  }

  const rows: Row[] = [];
  for (const read of reads) {
    const ourUrl = `${serviceUrl(read.service)}${read.path}`;
    const bareUrl = `${bareBase}/${read.service}${read.path}`;
    const [a, b] = await Promise.all([call(ourUrl, 'GET', read.token), call(bareUrl, 'GET', read.token)]);
    if (a.status !== 200 || b.status !== 200) throw new Error(`${read.name}: ours ${a.status}, bare ${b.status}: ${JSON.stringify(a.body).slice(0, 300)} / ${JSON.stringify(b.body).slice(0, 300)}`);
    const bytes = { ours: JSON.stringify(a.body).length, bare: JSON.stringify(b.body).length };
    // Warm-up: JIT, pools, caches.
    await load(ourUrl, read.token, CONNECTIONS[0]!, 1);
    await load(bareUrl, read.token, CONNECTIONS[0]!, 1);
    for (const connections of CONNECTIONS) rows.push(await measure(read, ourUrl, bareUrl, connections, bytes));
  }

  // Latency at a fixed rate (autocannon's overallRate): the aim is p99 < 50 ms at 1,000/s for by-id reads.
  const byId = reads.find((r) => r.name === 'appointment by id') ?? reads[0]!;
  const fixedRate = Number(process.env.BENCH_FIXED_RATE ?? 1_000);
  const fixed = {
    rate: fixedRate,
    ours: await load(`${serviceUrl(byId.service)}${byId.path}`, byId.token, 20, SECONDS + 2, fixedRate),
    bare: await load(`${bareBase}/${byId.service}${byId.path}`, byId.token, 20, SECONDS + 2, fixedRate),
  };
  say(`appointment by id at ${fixedRate}/s: ours ${fmt(fixed.ours.rps)}/s p50 ${fixed.ours.p50} ms p99 ${fixed.ours.p99} ms; bare ${fmt(fixed.bare.rps)}/s p99 ${fixed.bare.p99} ms`);

  const after = machine();
  const results = { date: new Date().toISOString(), profile, machine: { ...before, loadAverageAfter: after.loadAverage }, rounds: ROUNDS, secondsPerRound: SECONDS, rows, fixedRate: fixed };
  const out = path.join(root, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  const name = process.env.BENCH_RESULT_NAME ?? `http-${profile}`;
  writeFileSync(path.join(out, `${name}.json`), JSON.stringify(results, null, 2) + '\n');
  const table = [
    '| read | conns | ours req/s | bare req/s | ours / bare | ours p99 ms | bare p99 ms | failed (ours/bare) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.read} | ${r.connections} | ${fmt(r.ours.rps)} | ${fmt(r.bare.rps)} | ${r.ratio.toFixed(2)} | ${r.ours.p99} | ${r.bare.p99} | ${r.ours.failed}/${r.bare.failed} |`),
    `| appointment by id at a fixed ${fmt(fixedRate)}/s | 20 | ${fmt(fixed.ours.rps)} (p50 ${fixed.ours.p50}) | ${fmt(fixed.bare.rps)} (p50 ${fixed.bare.p50}) | ${(fixed.ours.rps / fixed.bare.rps).toFixed(2)} | ${fixed.ours.p99} | ${fixed.bare.p99} | ${fixed.ours.failed}/${fixed.bare.failed} |`,
  ].join('\n');
  writeFileSync(
    path.join(out, `${name}.md`),
    `# HTTP reads, ${profile} profile\n\n${results.date}, ${before.cores} cores, Node ${before.node}, load average ${before.loadAverage.join(' ')} (after: ${after.loadAverage.join(' ')}), ` +
      `medians of ${ROUNDS} rounds x ${SECONDS} s, autocannon in the bench process. Bare = node:http + the same JwtVerifier + the same query classes (bench/http/bare-server.ts).\n\n${table}\n`,
  );
  console.log(`\n${table}\n`);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  // A row with failed requests measured errors, not reads: the run does not count.
  const failed = rows.reduce((sum, r) => sum + r.ours.failed + r.bare.failed, 0) + fixed.ours.failed + fixed.bare.failed;
  if (failed > 0) {
    console.error(`[bench:http] ${failed} requests failed: this run is not a measurement (see the failed column)`);
    process.exitCode = 1;
  }
}

main()
  .catch((error) => {
    console.error('[bench:http] failed:', error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopChildren();
    if (profile !== 'embedded') {
      // The distributed run's own database: dropped once its services have stopped.
      const admin = new Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carebridge' });
      await admin.connect().then(
        () => admin.query('DROP DATABASE IF EXISTS carebridge_bench_http WITH (FORCE)').finally(() => admin.end()),
        () => undefined,
      );
    }
  });
