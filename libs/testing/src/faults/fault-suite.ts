/**
 * The fault-injection suite (issue 21). Two replicas of the fault service (fault-service.ts: the
 * distributed runtime every service uses: service pool, readiness, problem+json, relay, a consumer
 * group), supervised as `npm start -- --profile distributed` supervises services, on a PostgreSQL
 * server and a Kafka broker of the suite's own (never the shared ones). A bounded load of commands
 * runs throughout, each one kept in a client-side ledger; one fault at a time is injected; then
 * the invariants are checked: every accepted command's event stored and consumed exactly once, in
 * order per key, nothing dead-lettered, relay checkpoint = store head, audit trail intact.
 *
 * Clients reach the replicas as a Kubernetes Service or the development gateway would route them:
 * a replica that refuses the connection is skipped; when none answers, or the one it reached died
 * with the request in flight (reset before an answer), the client counts a 503.
 * A command that failed is sent again with the same key and step (the service is idempotent).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { PostgresEventStore, verifyAuditTrail } from '@carebridge/event-store';
import { ProcessSupervisor } from '@carebridge/platform';
import { PrivateKafka, PrivatePostgres, freePort, hangTimeouts, scaled } from '../index';
import { createKafka, dlqTopic } from '@carebridge/messaging';

export type FaultName =
  | 'postgres stop/start'
  | 'postgres restart'
  | 'broker SIGKILL/restart'
  | 'service SIGKILL'
  | 'relay leader SIGKILL'
  | 'consumer SIGSTOP';

export interface FaultRow {
  readonly fault: string;
  /** Commands first accepted (2xx) during the phase. */
  readonly accepted: number;
  readonly unavailable503: number;
  /** Anything but a 2xx or 503: status codes and error codes, with counts. */
  readonly otherErrors: Readonly<Record<string, number>>;
  /** From the dependency answering again (or the killed replica being ready) to the next accepted command. */
  readonly serveAgainMs: number;
  /** From the same moment to every command accepted until then being consumed. */
  readonly drainedMs: number;
  readonly lost: number;
  readonly duplicated: number;
  /** `/health/ready` answers of the replicas sampled while the fault lasted (0: no answer). */
  readonly readiness: readonly number[];
}

export interface FaultSuiteReport {
  readonly rows: readonly FaultRow[];
  readonly totals: {
    readonly accepted: number;
    readonly stored: number;
    readonly consumedDistinct: number;
    readonly lost: number;
    readonly duplicated: number;
    readonly outOfOrderKeys: number;
    readonly deadLettered: number;
    /** Messages on the topic: above `stored` when the relay published a batch again after a kill or an outage (consumers de-duplicate). */
    readonly published: number;
    readonly relayCheckpoint: number;
    readonly storeHead: number;
    readonly auditOk: boolean;
  };
  readonly logDir: string;
}

export interface FaultSuiteOptions {
  /** short: the four faults of `npm test`, 5 s outages; full: all six, 10 s outages. */
  readonly mode: 'short' | 'full';
  readonly say?: (line: string) => void;
}

const root = path.join(__dirname, '..', '..', '..', '..');
const SCHEMA = 'faults';
const TOPIC = 'carebridge.faults.step.v1';
const GROUP = 'fault-service';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Replica {
  readonly name: string;
  readonly port: number;
  readonly supervisor: ProcessSupervisor;
}

interface Ledger {
  /** `<key>:<seq>` -> phase in which it was first accepted, and when. */
  readonly accepted: Map<string, { phase: string; at: number }>;
  unavailable: number;
  other: Record<string, number>;
  lastAcceptedAt: number;
}

/** The faults of a run, in order: the full run adds the relay leader's SIGKILL and a frozen consumer. */
function faultsToInject(
  full: boolean,
  { postgres, broker, replicas, pool }: { postgres: PrivatePostgres; broker: PrivateKafka; replicas: Replica[]; pool: Pool },
): { name: string; inject: () => Promise<number> }[] {
  const faults: { name: string; inject: () => Promise<number> }[] = [
    {
      name: `postgres stop ${full ? 10 : 5} s/start`,
      inject: async () => {
        postgres.stopServer();
        await sleep(full ? 10_000 : 5_000);
        await postgres.startServer();
        return Date.now();
      },
    },
    {
      name: 'postgres restart',
      inject: async () => {
        await postgres.restart();
        return Date.now();
      },
    },
    {
      name: 'broker SIGKILL/restart',
      inject: async () => {
        await broker.kill();
        await sleep(3_000);
        await broker.startBroker();
        return Date.now();
      },
    },
    {
      name: 'service SIGKILL (replica b)',
      inject: async () => {
        const victim = replicas[1]!;
        victim.supervisor.child?.kill('SIGKILL');
        await waitReady(victim);
        return Date.now();
      },
    },
  ];
  if (full) {
    faults.push(
      {
        name: 'relay leader SIGKILL mid-batch',
        inject: async () => {
          const leader = await relayLeader(pool, replicas);
          leader.supervisor.child?.kill('SIGKILL');
          await waitReady(leader);
          return Date.now();
        },
      },
      {
        name: 'consumer SIGSTOP 10 s (replica a)',
        inject: async () => {
          const child = replicas[0]!.supervisor.child!;
          child.kill('SIGSTOP');
          await sleep(10_000);
          child.kill('SIGCONT');
          return Date.now();
        },
      },
    );
  }
  return faults;
}
export async function runFaultSuite(options: FaultSuiteOptions): Promise<FaultSuiteReport> {
  const say = options.say ?? ((line: string) => process.stdout.write(`[faults] ${line}\n`));
  const full = options.mode === 'full';
  const logDir = mkdtempSync(path.join(tmpdir(), 'carebridge-faults-'));
  say(`starting a private PostgreSQL and Kafka broker (logs in ${logDir})`);
  const [postgres, broker] = await Promise.all([PrivatePostgres.start(), PrivateKafka.start()]);
  const pool = new Pool({ connectionString: postgres.url, max: 4, connectionTimeoutMillis: 2_000 });
  pool.on('error', () => undefined);
  const replicas: Replica[] = [];
  let loadRunning = false;
  let load: Promise<void> | undefined;
  try {
    for (const name of ['a', 'b']) replicas.push(await replica(name, postgres.url, broker.brokers, logDir, say));
    // The first boot migrates; the second waits on the migration lock. Both must be ready.
    await Promise.all(replicas.map((r) => waitReady(r)));
    say('both replicas ready');

    const ledger: Ledger = { accepted: new Map(), unavailable: 0, other: {}, lastAcceptedAt: 0 };
    let phase = 'warm-up';
    loadRunning = true;
    load = runLoad(replicas, ledger, () => phase, () => loadRunning, full ? 4 : 3);
    await sleep(2_000);

    const rows: FaultRow[] = [];
    const faults = faultsToInject(full, { postgres, broker, replicas, pool });

    // FAULTS_ONLY=broker: only the faults whose name contains it (measuring one fault again).
    for (const fault of faults.filter((f) => f.name.includes(process.env.FAULTS_ONLY ?? ''))) {
      phase = fault.name;
      const before = { unavailable: ledger.unavailable, other: { ...ledger.other } };
      say(`${fault.name}: injecting under load`);
      const readiness = new Set<number>();
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          for (const r of replicas) readiness.add(await get(r.port, '/health/ready').catch(() => 0));
          await sleep(500);
        }
      })();
      const backAt = await fault.inject().finally(() => (sampling = false));
      await sampler;
      const target = [...ledger.accepted.keys()];
      const serveAgain = waitFor(() => (ledger.lastAcceptedAt >= backAt ? ledger.lastAcceptedAt - backAt : undefined));
      const drained = waitFor(async () => ((await consumedCount(pool, target)) === target.length ? Date.now() - backAt : undefined));
      const [serveAgainMs, drainedMs] = await Promise.all([serveAgain, drained]);
      await sleep(2_000);
      rows.push({
        fault: fault.name,
        accepted: 0,
        unavailable503: ledger.unavailable - before.unavailable,
        otherErrors: difference(ledger.other, before.other),
        serveAgainMs,
        drainedMs,
        lost: 0,
        duplicated: 0,
        readiness: [...readiness].sort((a, b) => a - b),
      });
      say(`${fault.name}: serving ${serveAgainMs} ms and drained ${drainedMs} ms after recovery`);
    }

    loadRunning = false;
    await load;
    const totals = await invariants(pool, postgres.url, broker.brokers, ledger);
    // Per fault, once everything accepted has had the time to drain (invariants waited for it).
    const settled: FaultRow[] = [];
    for (const row of rows) settled.push({ ...row, ...(await settle(pool, ledger, row.fault)) });
    return { rows: settled, totals, logDir };
  } finally {
    loadRunning = false;
    await load?.catch(() => undefined);
    await Promise.all(replicas.map((r) => r.supervisor.stop('SIGTERM', 20_000)));
    await pool.end().catch(() => undefined);
    await Promise.all([broker.dispose(), postgres.dispose()]);
  }
}

async function replica(name: string, databaseUrl: string, brokers: readonly string[], logDir: string, say: (line: string) => void): Promise<Replica> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const log = createWriteStream(path.join(logDir, `replica-${name}.log`), { flags: 'a' });
  const supervisor = new ProcessSupervisor({
    name: `replica ${name}`,
    initialBackoffMs: 200,
    log: (line) => {
      log.write(`[supervisor] ${line}\n`);
      say(line);
    },
    spawn: () => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'fault-service.ts')], {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          KAFKA_BROKERS: brokers.join(','),
          // The suite's broker comes from deploy/local's template (sessions down to 1 s): as the local profile.
          KAFKA_CONSUMER_SESSION_TIMEOUT_MS: '3000',
          PORT: String(port),
          METRICS_PORT: String(metricsPort),
          SCHEMA,
          TOPIC,
          GROUP,
          HEALTH_CHECK_TIMEOUT_MS: String(scaled(10_000)),
          LOG_LEVEL: 'info',
          TRACE_EXPORTER: 'none',
          PGAPPNAME: `replica-${name}`,
          SWC_NODE_PROJECT: 'tsconfig.json',
          KAFKAJS_NO_PARTITIONER_WARNING: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.pipe(log, { end: false });
      child.stderr!.pipe(log, { end: false });
      return child;
    },
  });
  supervisor.start();
  return { name, port, supervisor };
}

async function waitReady(r: Replica): Promise<void> {
  await waitFor(async () => ((await get(r.port, '/health/ready')) === 200 ? true : undefined), hangTimeouts.platformReady);
}

/** Polls until `probe` returns a value; the limit only catches a hang. */
async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, limitMs = hangTimeouts.platformReady): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`fault suite: no recovery within ${limitMs} ms`);
    await sleep(50);
  }
}

function get(port: number, pathname: string): Promise<number> {
  return send(port, 'GET', pathname).then((answer) => answer.status);
}

function send(port: number, method: string, pathname: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    // No keep-alive: a reused socket the server has just closed would read as a reset the service did not cause.
    const req = request({ host: '127.0.0.1', port, method, path: pathname, timeout: scaled(30_000), agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', reject);
    req.end();
  });
}

/** `workers` clients, each walking its keys' steps 1..5 in order, one command in flight per client. */
async function runLoad(replicas: readonly Replica[], ledger: Ledger, phase: () => string, running: () => boolean, workers: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      let keyNo = 0;
      while (running()) {
        const key = `w${worker}-k${keyNo++}`;
        for (let seq = 1; seq <= 5 && running(); ) {
          const outcome = await routed(replicas, next++, `/keys/${key}/steps/${seq}`);
          if (outcome === 'accepted') {
            const id = `key-${key}:${seq}`;
            if (!ledger.accepted.has(id)) ledger.accepted.set(id, { phase: phase(), at: Date.now() });
            ledger.lastAcceptedAt = Date.now();
            seq++;
            await sleep(50);
          } else {
            if (outcome === '503') ledger.unavailable++;
            else ledger.other[outcome] = (ledger.other[outcome] ?? 0) + 1;
            await sleep(200);
          }
        }
      }
    }),
  );
}

/** One command through the replicas: a refused connection moves to the next replica; none answering is a 503. */
async function routed(replicas: readonly Replica[], turn: number, pathname: string): Promise<string> {
  for (let i = 0; i < replicas.length; i++) {
    const target = replicas[(turn + i) % replicas.length]!;
    try {
      const { status } = await send(target.port, 'POST', pathname);
      if (status >= 200 && status < 300) return 'accepted';
      return status === 503 ? '503' : String(status);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ERROR';
      // Reset before an answer: the replica died with the command in flight. The development
      // gateway (tools/start-services.ts) answers that 503 with Retry-After, as a Service would
      // surface it; the client sends it again with the same key (applied once).
      if (code === 'ECONNRESET' || code === 'EPIPE') return '503';
      if (code !== 'ECONNREFUSED') return code;
    }
  }
  return '503';
}

function stepIds(ids: readonly string[]): { streams: string[]; versions: number[] } {
  const streams: string[] = [];
  const versions: number[] = [];
  for (const id of ids) {
    const at = id.lastIndexOf(':');
    streams.push(id.slice(0, at));
    versions.push(Number(id.slice(at + 1)));
  }
  return { streams, versions };
}

async function consumedCount(pool: Pool, ids: readonly string[]): Promise<number> {
  const { streams, versions } = stepIds(ids);
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(DISTINCT (c.stream_id, c.version))::int AS n
       FROM unnest($1::text[], $2::int[]) AS t(stream_id, version)
       JOIN "${SCHEMA}".consumed c ON c.stream_id = t.stream_id AND c.version = t.version`,
    [streams, versions],
  );
  return rows[0]!.n;
}

/** Lost and duplicated among the commands first accepted during `phase`. */
async function settle(pool: Pool, ledger: Ledger, phase: string): Promise<{ accepted: number; lost: number; duplicated: number }> {
  const ids = [...ledger.accepted].filter(([, v]) => v.phase === phase).map(([id]) => id);
  const { streams, versions } = stepIds(ids);
  const { rows } = await pool.query<{ consumed: number; rows: number }>(
    `SELECT count(DISTINCT (t.stream_id, t.version)) FILTER (WHERE c.n IS NOT NULL)::int AS consumed, count(c.n)::int AS rows
       FROM unnest($1::text[], $2::int[]) AS t(stream_id, version)
       LEFT JOIN "${SCHEMA}".consumed c ON c.stream_id = t.stream_id AND c.version = t.version`,
    [streams, versions],
  );
  return { accepted: ids.length, lost: ids.length - rows[0]!.consumed, duplicated: rows[0]!.rows - rows[0]!.consumed };
}

async function relayLeader(pool: Pool, replicas: readonly Replica[]): Promise<Replica> {
  const { rows } = await pool.query<{ application_name: string }>(
    `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtext($1)::bigint`,
    [`carebridge.relay.${SCHEMA}.fault-service`],
  );
  const name = rows[0]?.application_name;
  return replicas.find((r) => `replica-${r.name}` === name) ?? replicas[0]!;
}

async function invariants(pool: Pool, databaseUrl: string, brokers: readonly string[], ledger: Ledger): Promise<FaultSuiteReport['totals']> {
  const ids = [...ledger.accepted.keys()];
  // Whatever was accepted last is consumed before the books are closed.
  await waitFor(async () => ((await consumedCount(pool, ids)) === ids.length ? true : undefined), hangTimeouts.eventually).catch(() => undefined);
  const { streams, versions } = stepIds(ids);
  const stored = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM unnest($1::text[], $2::int[]) AS t(stream_id, version)
       JOIN "${SCHEMA}".events e ON e.stream_id = t.stream_id AND e.stream_version = t.version`,
    [streams, versions],
  );
  const consumed = await pool.query<{ distinct_ids: number; rows: number }>(
    `SELECT count(DISTINCT event_id)::int AS distinct_ids, count(*)::int AS rows FROM "${SCHEMA}".consumed`,
  );
  const outOfOrder = await pool.query<{ n: number }>(
    `SELECT count(DISTINCT stream_id)::int AS n FROM (
       SELECT stream_id, version, lag(version) OVER (PARTITION BY stream_id ORDER BY n) AS previous
         FROM (SELECT DISTINCT ON (event_id) n, stream_id, version FROM "${SCHEMA}".consumed ORDER BY event_id, n) first_seen
     ) ordered WHERE previous IS NOT NULL AND version <= previous`,
  );
  const checkpoint = await pool.query<{ position: string }>(`SELECT position FROM "${SCHEMA}".relay_checkpoints WHERE relay_name = 'fault-service'`);
  const head = await pool.query<{ position: string | null }>(`SELECT max(global_position) AS position FROM "${SCHEMA}".events`);
  const inbox = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${SCHEMA}".inbox WHERE outcome = 'processed'`);
  const kafka = createKafka({ brokers, clientId: 'fault-suite' });
  const admin = kafka.admin();
  await admin.connect();
  let deadLettered = 0;
  let published = 0;
  const messages = async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  try {
    deadLettered = await messages(dlqTopic(TOPIC));
    published = await messages(TOPIC);
  } finally {
    await admin.disconnect();
  }
  const auditPool = new Pool({ connectionString: databaseUrl, max: 1 });
  let auditOk = false;
  try {
    const client = await auditPool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      auditOk = (await verifyAuditTrail(new PostgresEventStore(auditPool, SCHEMA).withClient(client))).ok;
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  } finally {
    await auditPool.end();
  }
  const consumedDistinct = await consumedCount(pool, ids);
  return {
    accepted: ids.length,
    stored: stored.rows[0]!.n,
    consumedDistinct,
    lost: ids.length - Math.min(consumedDistinct, stored.rows[0]!.n),
    duplicated: consumed.rows[0]!.rows - consumed.rows[0]!.distinct_ids + Math.abs(inbox.rows[0]!.n - consumed.rows[0]!.distinct_ids),
    outOfOrderKeys: outOfOrder.rows[0]!.n,
    deadLettered,
    published,
    relayCheckpoint: Number(checkpoint.rows[0]?.position ?? 0),
    storeHead: Number(head.rows[0]?.position ?? 0),
    auditOk,
  };
}

function difference(now: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(now).flatMap(([k, v]) => (v - (before[k] ?? 0) > 0 ? [[k, v - (before[k] ?? 0)]] : [])));
}

/** The table the README quotes. */
export function formatFaultTable(report: FaultSuiteReport): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const errors = (row: FaultRow) => {
    const other = Object.entries(row.otherErrors).map(([k, v]) => `${v}× ${k}`);
    return [`${row.unavailable503}× 503`, ...other].join(', ');
  };
  const lines = [
    '| fault | commands accepted | client errors | serving again | drained | lost | duplicated | readiness during the fault |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |',
    ...report.rows.map(
      (row) =>
        `| ${row.fault} | ${row.accepted} | ${errors(row)} | ${seconds(row.serveAgainMs)} | ${seconds(row.drainedMs)} | ${row.lost} | ${row.duplicated} | ` +
        `${row.readiness.map((status) => (status === 0 ? 'no answer' : String(status))).join(', ')} |`,
    ),
  ];
  const t = report.totals;
  lines.push(
    '',
    `Totals: ${t.accepted} commands accepted, ${t.stored} stored, ${t.consumedDistinct} consumed once; lost ${t.lost}, duplicated ${t.duplicated}, ` +
      `keys out of order ${t.outOfOrderKeys}, dead-lettered ${t.deadLettered}, ${t.published} messages published ` +
      `(${t.published - t.stored} published again after a kill or an outage, de-duplicated by the inbox), relay checkpoint ${t.relayCheckpoint} / store head ${t.storeHead}, ` +
      `audit trail ${t.auditOk ? 'intact' : 'BROKEN'}.`,
  );
  return lines.join('\n');
}
