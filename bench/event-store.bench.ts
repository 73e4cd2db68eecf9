/**
 * npm run bench:event-store
 * Measures the PostgreSQL event store and the relay against a real PostgreSQL and Kafka, with
 * a plain-INSERT baseline in the same run. Each throughput figure is the median of ROUNDS
 * rounds. Writes bench/results/event-store.json and bench/results/event-store.md.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import { migrate, PostgresEventStore, type EventMetadata, type NewEvent } from '@carebridge/event-store';
import { createKafka, ensureTopics, messagingMigrations, publish, Relay } from '@carebridge/messaging';
import { defineIntegrationEvent, z } from '@carebridge/contracts';

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

  const single1 = await storeAppends(1, 1);
  const single16 = await storeAppends(16, 1);
  const base16 = await baselineInserts(16, 1);
  const batch100 = await storeAppends(8, 100);
  const base100 = await baselineInserts(8, 100);
  const readAll = await readAllThroughput();
  const { relay, latency } = await relayBenchmarks();

  const results = {
    date: new Date().toISOString(),
    machine: { cores: require('node:os').cpus().length, node: process.version },
    postgres: Object.fromEntries(settings.rows.map((r) => [r.name, r.setting])),
    rounds: ROUNDS,
    secondsPerRound: SECONDS,
    eventsPerSecond: {
      appendSingle1Writer: Math.round(single1),
      appendSingle16Writers: Math.round(single16),
      baselineSingleRow16Writers: Math.round(base16),
      appendBatch100x8Writers: Math.round(batch100),
      baselineBatch100x8Writers: Math.round(base100),
      readAll: Math.round(readAll),
      relayStoreToKafka: Math.round(relay),
    },
    ratios: {
      single16VsBaseline: +(single16 / base16).toFixed(2),
      batch100VsBaseline: +(batch100 / base100).toFixed(2),
    },
    appendToConsumerLatencyMs: { rate: 1_000, p50: +latency.p50.toFixed(1), p99: +latency.p99.toFixed(1), received: latency.count },
  };
  const targets: [string, string, string, boolean][] = [
    ['append, 1 writer, 1 event', fmt(single1), '-', true],
    ['append, 16 writers, 1 event', fmt(single16), '>= 10,000', single16 >= 10_000],
    ['baseline INSERT, 16 writers, 1 row', fmt(base16), '-', true],
    ['ratio store / baseline (single)', results.ratios.single16VsBaseline.toFixed(2), '>= 0.7', results.ratios.single16VsBaseline >= 0.7],
    ['append, 8 writers, 100-event batches', fmt(batch100), '>= 100,000', batch100 >= 100_000],
    ['baseline INSERT, 8 writers, 100-row batches', fmt(base100), '-', true],
    ['ratio store / baseline (batch)', results.ratios.batch100VsBaseline.toFixed(2), '-', true],
    ['readAll, pages of 1,000', fmt(readAll), '>= 200,000', readAll >= 200_000],
    ['relay store -> Kafka', fmt(relay), '>= 30,000', relay >= 30_000],
    ['append -> consumer p50 at 1,000/s', `${latency.p50.toFixed(1)} ms`, '-', true],
    ['append -> consumer p99 at 1,000/s', `${latency.p99.toFixed(1)} ms`, '< 100 ms', latency.p99 < 100],
  ];
  const table = [
    `| measure (events/s unless stated) | median | target | met |`,
    `| --- | ---: | ---: | :---: |`,
    ...targets.map(([name, value, target, met]) => `| ${name} | ${value} | ${target} | ${target === '-' ? '' : met ? 'yes' : '**no**'} |`),
  ].join('\n');
  const out = path.join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'event-store.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(
    path.join(out, 'event-store.md'),
    `# Event store benchmark\n\n${results.date}, ${results.machine.cores} cores, Node ${results.machine.node}, PostgreSQL ${results.postgres.server_version} (synchronous_commit=${results.postgres.synchronous_commit}), ${ROUNDS} rounds x ${SECONDS} s, medians.\n\n${table}\n`,
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
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await pool.end();
  });
