/**
 * npm run bench:event-store
 * Measures the PostgreSQL event store and the relay against a real PostgreSQL and Kafka, beside
 * Emmett's PostgreSQL event store (the peer, bench/event-store-emmett.ts) and a plain-INSERT /
 * plain-SELECT baseline in the same run, same event shapes and concurrency. BENCH_RELAY=0 skips
 * the relay figures (bench:relay measures the relay beside the bare Kafka clients). Each throughput figure is the median of ROUNDS
 * rounds. Writes bench/results/event-store.json and bench/results/event-store.md.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import { migrate, PostgresEventStore, type EventMetadata, type NewEvent } from '@carebridge/event-store';
import { createKafka, ensureTopics, messagingMigrations, publish, Relay } from '@carebridge/messaging';
import { defineIntegrationEvent, z } from '@carebridge/contracts';
import { type EmmettPeer, startEmmett } from './event-store-emmett';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carebridge';
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const schema = `bench_${Date.now().toString(36)}`;
const pool = new Pool({ connectionString: databaseUrl, max: 40 });
const store = new PostgresEventStore(pool, schema);

const metadata: EventMetadata = {
  actor: { id: '7b7d3c9e-3f0a-4a57-9d3c-8f3e0f6b1a11', role: 'provider' },
  correlationId: 'b2a1f6a4-5f7e-4a0a-9a1b-1d2c3e4f5a6b',
  occurredAt: '2026-11-22T10:00:00.000Z',
  command: 'RecordReading',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};
// A realistic small clinical event (an RPM reading).
const data = () => ({
  readingId: randomUUID(),
  deviceId: 'a3c1e1f0-1b2c-4d5e-8f90-123456789abc',
  kind: 'blood-pressure',
  systolic: 128,
  diastolic: 84,
  unit: 'mm[Hg]',
  loinc: '85354-9',
  measuredAt: new Date().toISOString(),
});
const newEvent = (): NewEvent => ({ id: randomUUID(), type: 'ReadingRecorded', data: data() });

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const log = (message: string) => console.log(`[bench] ${message}`);

/** Runs `writers` loops for SECONDS; each call of `step` writes `perStep` rows. Returns rows/s. */
async function throughput(writers: number, perStep: number, step: (writer: number) => Promise<void>): Promise<number> {
  const deadline = Date.now() + SECONDS * 1_000;
  let rows = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (Date.now() < deadline) {
        await step(w);
        rows += perStep;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return rows / seconds;
}

async function rounds(label: string, run: (round: number) => Promise<number>): Promise<number> {
  const results: number[] = [];
  for (let round = 0; round < ROUNDS; round++) results.push(await run(round));
  const m = median(results);
  log(`${label}: median ${Math.round(m).toLocaleString('en-US')}/s (rounds: ${results.map((r) => Math.round(r)).join(', ')})`);
  return m;
}

async function storeAppends(writers: number, batch: number): Promise<number> {
  return rounds(`store append, ${writers} writers x ${batch} event(s)`, async (round) => {
    const versions = new Array<number>(writers).fill(0);
    return throughput(writers, batch, async (w) => {
      const stream = `bench-${writers}-${batch}-${round}-${w}`;
      const result = await store.append(
        stream,
        versions[w] === 0 ? 'no-stream' : versions[w]!,
        Array.from({ length: batch }, newEvent),
        metadata,
      );
      versions[w] = result.nextExpectedVersion;
    });
  });
}

/** Writes over two streams in one transaction (appendMany: a booking writes the appointment and the day), each writer its own pair. */
async function storeAppendMany(writers: number): Promise<number> {
  return rounds(`store appendMany, ${writers} writers x 2 streams x 1 event`, async (round) => {
    const versions = new Array<number>(writers).fill(0);
    return throughput(writers, 2, async (w) => {
      const expected = versions[w] === 0 ? ('no-stream' as const) : versions[w]!;
      const [first] = await store.appendMany(
        ['a', 'b'].map((side) => ({ streamId: `bench-many-${round}-${w}-${side}`, expected, events: [newEvent()], metadata })),
      );
      versions[w] = first!.nextExpectedVersion;
    });
  });
}

async function baselineInserts(writers: number, batch: number): Promise<number> {
  return rounds(`baseline INSERT, ${writers} writers x ${batch} row(s)`, async () =>
    throughput(writers, batch, async (w) => {
      const values: string[] = [];
      const params: unknown[] = [];
      for (let i = 0; i < batch; i++) {
        const o = params.length;
        values.push(`($${o + 1}, $${o + 2}, $${o + 3}, 'ReadingRecorded', 1, $${o + 4}::jsonb, $${o + 5}::jsonb)`);
        params.push(randomUUID(), `baseline-${w}`, i + 1, JSON.stringify(data()), JSON.stringify(metadata));
      }
      await pool.query(
        `INSERT INTO ${schema}.baseline (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
         VALUES ${values.join(', ')}`,
        params,
      );
    }),
  );
}

let emmett: EmmettPeer | undefined;

async function emmettAppends(writers: number, batch: number): Promise<number> {
  return rounds(`Emmett append, ${writers} writers x ${batch} event(s)`, async (round) => {
    const versions = new Array<bigint>(writers).fill(0n);
    return throughput(writers, batch, async (w) => {
      const events = Array.from({ length: batch }, () => ({ type: 'ReadingRecorded', data: data(), metadata }));
      versions[w] = await emmett!.append(`bench-${writers}-${batch}-${round}-${w}`, versions[w]!, events);
    });
  });
}

/** One 1,000-event stream in each store, read whole over and over: events/s. */
async function readStreamThroughputs(): Promise<{ ours: number; emmett: number; select: number }> {
  let version: number | 'no-stream' = 'no-stream';
  let emmettVersion = 0n;
  for (let i = 0; i < 10; i++) {
    version = (await store.append('read-1000', version, Array.from({ length: 100 }, newEvent), metadata)).nextExpectedVersion;
    emmettVersion = await emmett!.append('read-1000', emmettVersion, Array.from({ length: 100 }, () => ({ type: 'ReadingRecorded', data: data(), metadata })));
  }
  await pool.query(
    `INSERT INTO ${schema}.baseline (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
     SELECT gen_random_uuid(), 'read-1000', v, 'ReadingRecorded', 1, $1::jsonb, $2::jsonb FROM generate_series(1, 1000) v`,
    [JSON.stringify(data()), JSON.stringify(metadata)],
  );
  const ours = await rounds('readStream, 1,000 events', () => throughput(1, 1_000, async () => void (await store.readStream('read-1000'))));
  const peer = await rounds('Emmett readStream, 1,000 events', () => throughput(1, 1_000, async () => void (await emmett!.readStream('read-1000'))));
  const select = await rounds('plain SELECT of the stream, 1,000 rows', () =>
    throughput(1, 1_000, async () => void (await pool.query(`SELECT * FROM ${schema}.baseline WHERE stream_id = 'read-1000' ORDER BY stream_version`))),
  );
  return { ours, emmett: peer, select };
}

async function emmettReadAllThroughput(): Promise<number> {
  return rounds('Emmett read all, pages of 1,000', async () => {
    const started = process.hrtime.bigint();
    const count = await emmett!.readAll(1_000);
    return count / (Number(process.hrtime.bigint() - started) / 1e9);
  });
}

async function readAllThroughput(): Promise<number> {
  return rounds('readAll, pages of 1,000', async () => {
    const started = process.hrtime.bigint();
    let position = 0;
    let count = 0;
    for (;;) {
      const page = await store.readAll(position, 1_000);
      if (page.length === 0) break;
      count += page.length;
      position = page.at(-1)!.globalPosition;
    }
    return count / (Number(process.hrtime.bigint() - started) / 1e9);
  });
}

async function relayBenchmarks(): Promise<{ relay: number; latency: { p50: number; p99: number; count: number } }> {
  const kafka = createKafka({ brokers, clientId: 'bench' });
  const admin = kafka.admin();
  await admin.connect();
  const topic = `carebridge.bench-${Date.now().toString(36)}.reading.v1`;
  await ensureTopics(admin, [{ topic, partitions: 6 }]);
  await admin.disconnect();
  const ReadingRecorded = defineIntegrationEvent({
    context: 'bench',
    name: 'ReadingRecorded',
    version: 1,
    topic,
    schema: z.object({ streamId: z.string(), sentAt: z.number().optional() }).loose(),
    partitionKey: (d) => d.streamId,
  });
  const publisher = (event: Parameters<typeof publish>[2]) => [
    publish(ReadingRecorded, { streamId: event.streamId, ...(event.data as object) }, event),
  ];

  const relayThroughput = await rounds('relay store -> Kafka', async (round) => {
    const name = `bench-relay-${round}`;
    const head = await store.headPosition();
    const relay = new Relay({ name, store, pool, schema, kafka, publisher, batchSize: 2_000 });
    // Start from the current head minus the events to relay, so every round relays the same amount.
    const events = Math.min(head, 30_000);
    await pool.query(`INSERT INTO ${schema}.relay_checkpoints (relay_name, position) VALUES ($1, $2)`, [name, head - events]);
    const started = process.hrtime.bigint();
    relay.start();
    while (relay.status().checkpoint < head) await new Promise((resolve) => setTimeout(resolve, 2));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await relay.stop();
    return events / seconds;
  });

  // Append -> consumer latency at a steady 1,000 events/s, relay following the head.
  const relay = new Relay({ name: 'bench-latency', store, pool, schema, kafka, publisher, idleMs: 2, maxIdleMs: 5 });
  await pool.query(`INSERT INTO ${schema}.relay_checkpoints (relay_name, position) VALUES ('bench-latency', $1)`, [
    await store.headPosition(),
  ]);
  const consumer = kafka.consumer({ groupId: `bench-${Date.now()}`, allowAutoTopicCreation: false, maxWaitTimeInMs: 5 });
  const latencies: number[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  let assigned = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (assigned = true));
  await consumer.run({
    // kafkajs processes partitions one after another by default; with one per partition in
    // parallel, a message does not wait behind other partitions' batches.
    partitionsConsumedConcurrently: 6,
    eachMessage: async ({ message }) => {
      const sentAt = JSON.parse(message.value!.toString()).data.sentAt as number | undefined;
      if (sentAt !== undefined) latencies.push(performance.timeOrigin + performance.now() - sentAt);
    },
  });
  while (!assigned) await new Promise((resolve) => setTimeout(resolve, 50));
  relay.start();
  const rate = 1_000;
  const seconds = 10;
  const tickMs = 10;
  const perTick = (rate * tickMs) / 1_000;
  const started = Date.now();
  let sent = 0;
  const inflight: Promise<unknown>[] = [];
  while (Date.now() - started < seconds * 1_000) {
    for (let i = 0; i < perTick; i++) {
      const sentAt = performance.timeOrigin + performance.now();
      inflight.push(
        store.append(`latency-${sent % 50}`, 'any', [{ id: randomUUID(), type: 'ReadingRecorded', data: { ...data(), sentAt } }], metadata),
      );
      sent++;
    }
    const next = started + ((sent / perTick) * tickMs);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
  }
  await Promise.all(inflight);
  const deadline = Date.now() + 15_000;
  while (latencies.length < sent && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await relay.stop();
  await consumer.disconnect();
  const latency = { p50: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length };
  log(`append -> consumer at ${rate}/s for ${seconds}s: p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms (${latency.count}/${sent} received)`);
  return { relay: relayThroughput, latency };
}

async function main() {
  log(`schema ${schema}; ${ROUNDS} rounds of ${SECONDS}s per throughput figure`);
  await migrate(pool, schema);
  await migrate(pool, schema, messagingMigrations, 'messaging_migrations');
  await pool.query(`CREATE TABLE ${schema}.baseline (
      global_position bigserial PRIMARY KEY, event_id uuid NOT NULL, stream_id text NOT NULL, stream_version bigint NOT NULL,
      event_type text NOT NULL, schema_version int NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now())`);
  const settings = await pool.query(
    `SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit','fsync','wal_level','shared_buffers','server_version')`,
  );

  emmett = await startEmmett(databaseUrl, 40);

  const single1 = await storeAppends(1, 1);
  const emmett1 = await emmettAppends(1, 1);
  const base1 = await baselineInserts(1, 1);
  const single16 = await storeAppends(16, 1);
  const emmett16 = await emmettAppends(16, 1);
  const base16 = await baselineInserts(16, 1);
  const batch100 = await storeAppends(8, 100);
  const emmett100 = await emmettAppends(8, 100);
  const base100 = await baselineInserts(8, 100);
  const many16 = await storeAppendMany(16);
  // The plain SELECT reads by stream as ours does, through an index (made after the INSERT figures,
  // which stay the plain table's).
  await pool.query(`CREATE INDEX ON ${schema}.baseline (stream_id, stream_version)`);
  const reads = await readStreamThroughputs();
  const readAll = await readAllThroughput();
  const emmettReadAll = await emmettReadAllThroughput();
  const relayed = process.env.BENCH_RELAY === '0' ? undefined : await relayBenchmarks();
  await emmett.close();

  const os = require('node:os') as typeof import('node:os');
  const ratio = (a: number, b: number) => +(a / b).toFixed(2);
  const results = {
    date: new Date().toISOString(),
    machine: { cores: os.cpus().length, node: process.version, loadAverage: os.loadavg().map((l) => +l.toFixed(2)) },
    postgres: Object.fromEntries(settings.rows.map((r) => [r.name, r.setting])),
    rounds: ROUNDS,
    secondsPerRound: SECONDS,
    eventsPerSecond: {
      appendSingle1Writer: Math.round(single1),
      emmettSingle1Writer: Math.round(emmett1),
      baselineSingleRow1Writer: Math.round(base1),
      appendSingle16Writers: Math.round(single16),
      emmettSingle16Writers: Math.round(emmett16),
      baselineSingleRow16Writers: Math.round(base16),
      appendBatch100x8Writers: Math.round(batch100),
      emmettBatch100x8Writers: Math.round(emmett100),
      baselineBatch100x8Writers: Math.round(base100),
      appendMany2Streams16Writers: Math.round(many16),
      readStream1000: Math.round(reads.ours),
      emmettReadStream1000: Math.round(reads.emmett),
      selectStream1000: Math.round(reads.select),
      readAll: Math.round(readAll),
      emmettReadAll: Math.round(emmettReadAll),
      ...(relayed && { relayStoreToKafka: Math.round(relayed.relay) }),
    },
    ratios: {
      single1VsEmmett: ratio(single1, emmett1),
      single1VsBaseline: ratio(single1, base1),
      single16VsEmmett: ratio(single16, emmett16),
      single16VsBaseline: ratio(single16, base16),
      batch100VsEmmett: ratio(batch100, emmett100),
      batch100VsBaseline: ratio(batch100, base100),
      readStreamVsEmmett: ratio(reads.ours, reads.emmett),
      readStreamVsSelect: ratio(reads.ours, reads.select),
      readAllVsEmmett: ratio(readAll, emmettReadAll),
    },
    ...(relayed && { appendToConsumerLatencyMs: { rate: 1_000, p50: +relayed.latency.p50.toFixed(1), p99: +relayed.latency.p99.toFixed(1), received: relayed.latency.count } }),
  };
  const r = results.ratios;
  const rows: [string, number, number, number | undefined, string][] = [
    ['append, 1 writer, 1 event', single1, emmett1, base1, `${r.single1VsEmmett.toFixed(2)} × Emmett, ${r.single1VsBaseline.toFixed(2)} × INSERT (aim >= 0.8)`],
    ['append, 16 writers, 1 event', single16, emmett16, base16, `${r.single16VsEmmett.toFixed(2)} × Emmett, ${r.single16VsBaseline.toFixed(2)} × INSERT (aim >= 0.9)`],
    ['append, 8 writers, 100-event batches', batch100, emmett100, base100, `${r.batch100VsEmmett.toFixed(2)} × Emmett, ${r.batch100VsBaseline.toFixed(2)} × INSERT (aim >= 0.9)`],
    ['appendMany, 16 writers, 2 streams x 1 event in one transaction', many16, NaN, undefined, 'no peer (Emmett has no multi-stream append)'],
    ['read one 1,000-event stream', reads.ours, reads.emmett, reads.select, `${r.readStreamVsEmmett.toFixed(2)} × Emmett, ${r.readStreamVsSelect.toFixed(2)} × SELECT`],
    ['read all, pages of 1,000', readAll, emmettReadAll, undefined, `${r.readAllVsEmmett.toFixed(2)} × Emmett`],
  ];
  const table = [
    `| measure (events/s) | ours | Emmett 0.42 | plain INSERT / SELECT | ratio |`,
    `| --- | ---: | ---: | ---: | --- |`,
    ...rows.map(([name, ours, peer, plain, text]) => `| ${name} | ${fmt(ours)} | ${Number.isNaN(peer) ? '-' : fmt(peer)} | ${plain === undefined ? '-' : fmt(plain)} | ${text} |`),
    ...(relayed
      ? [
          `| relay store -> Kafka | ${fmt(relayed.relay)} | - | - | see bench:relay |`,
          `| append -> consumer p50 / p99 at 1,000/s | ${relayed.latency.p50.toFixed(1)} / ${relayed.latency.p99.toFixed(1)} ms | - | - | aim p99 < 100 ms |`,
        ]
      : []),
  ].join('\n');
  const out = path.join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'event-store.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(
    path.join(out, 'event-store.md'),
    `# Event store benchmark\n\n${results.date}, ${results.machine.cores} cores, load average ${results.machine.loadAverage.join(' ')}, Node ${results.machine.node}, PostgreSQL ${results.postgres.server_version} (synchronous_commit=${results.postgres.synchronous_commit}), ${ROUNDS} rounds x ${SECONDS} s, medians. Ours keeps the per-stream hash chain and the gap-free global order; Emmett (its own database on the same server) and the plain statements do not.\n\n${table}\n`,
  );
  console.log(`\n${table}\n`);
  log(`wrote ${path.relative(process.cwd(), path.join(out, 'event-store.json'))} and event-store.md`);
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

main()
  .catch((error) => {
    console.error('[bench] failed:', error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await emmett?.close().catch(() => undefined);
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await pool.end();
  });
