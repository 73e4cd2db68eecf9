/**
 * Remote patient monitoring at volume, on the real PostgreSQL and Kafka: 10,000 enrolled
 * hypertension patients with a device each; readings through the batch REST API (HTTP, 1,000
 * a request) and through the device-gateway Kafka topic at 1, 3 and 6 partitions.
 * Reports readings/s into durable storage (each request stores its readings and their alerts in
 * one transaction), the read side's catch-up, reading -> alert event latency (p50/p99), and RSS. The service and the load generator share this process.
 * Run: npm run bench:monitoring  (writes apps/monitoring/bench/results.md)
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Test } from '@nestjs/testing';
import { PostgresEventStore, deterministicEventId } from '@carebridge/event-store';
import { connectIntegrationEvents, createKafka, ensureTopics } from '@carebridge/messaging';
import { DevTokenIssuer, configureServiceApp, createLogger } from '@carebridge/platform';
import { type TestSchema, createTestSchema, testInfrastructure, uniqueName, uniqueTopic } from '@carebridge/testing';
import { DEVICE_READINGS_TOPIC, DeviceGatewayConsumer, MONITORING_CONSUMED_TOPICS, deviceReadingsRecord } from '../src/integration/device-gateway.consumer';
import { MONITORING_TOPICS } from '../src/integration/monitoring.publisher';
import { migrateMonitoring } from '../src/monitoring.migrate';
import { RPM_CLOSE_DAILY } from '../src/rpm/rpm-close.job';
import { MAX_BATCH_BODY, MonitoringModule } from '../src/monitoring.module';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MonitoringProjections } from '../src/read-models.projection';
import { READING_INTAKE } from '../src/monitoring.tokens';
import type { ReadingIntake } from '../src/readings/reading-intake.handler';
import { readingIdOf } from '../src/readings/reading-intake.handler';

const PATIENTS = 10_000;
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 30);
const HTTP_CONCURRENCY = Number(process.env.BENCH_HTTP_CONCURRENCY ?? 4);
const BATCH = 1_000;
const KAFKA_READINGS = Number(process.env.BENCH_KAFKA_READINGS ?? 150_000);
const READINGS_PER_MESSAGE = 10;
const CRISIS_SHARE = 0.005;

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

type Log = (line: string) => void;
type Store = PostgresEventStore;
type Devices = readonly { patientId: string; deviceId: string }[];

async function main() {
  const started = Date.now();
  const db = await createTestSchema('monitoring_bench', { max: 30 });
  const out: string[] = [];
  const log = (line: string) => {
    out.push(line);
    process.stdout.write(`${line}\n`);
  };
  const kafka = createKafka({ brokers: testInfrastructure.kafkaBrokers, clientId: 'monitoring-bench' });
  try {
    await migrateMonitoring(db.pool, db.schema);
    const store = new PostgresEventStore(db.pool, db.schema);
    const idleTopic = uniqueTopic('reading');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [idleTopic, ...MONITORING_TOPICS, ...MONITORING_CONSUMED_TOPICS].map((topic) => ({ topic, partitions: 3 })));
    await admin.disconnect();
    const seedStart = Date.now();
    const devices = await seed(store);
    const { app, base, projections, intake, issuer } = await startService(db, kafka, idleTopic, store);
    log(`# Monitoring benchmark`);
    log('');
    log(`Run ${new Date().toISOString()}, ${PATIENTS.toLocaleString('en-US')} hypertension patients, one device each; service and load generator in one Node process on this machine (PostgreSQL and Kafka local).`);
    log('');
    log(`Seed (20,000 appends through the store + projection): ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    const generator = readingGenerator(devices);
    await httpPhase({ db, store, log, base, issuer, generator, projections });
    await kafkaPhase({ db, store, log, kafka, projections, intake, generator });
    log('');
    log(`Whole run: ${((Date.now() - started) / 1000).toFixed(0)} s. Intake counters: ${JSON.stringify(intake.counters)}.`);
    await app.close();
  } finally {
    clearInterval(rssTimer);
    // Shortened runs (BENCH_* overrides) print only: results.md holds full runs.
    if (!Object.keys(process.env).some((k) => k.startsWith('BENCH_'))) writeFileSync(path.join(__dirname, 'results.md'), `${out.join('\n')}\n`);
    await db.dispose();
  }
}


/** 10,000 enrolled, consenting hypertension patients with an assigned device. */
async function seed(store: Store): Promise<Devices> {
  const careTeam = [randomUUID(), randomUUID()];
  const devices = Array.from({ length: PATIENTS }, () => ({ patientId: randomUUID(), deviceId: randomUUID() }));
  const meta = { actor: { id: 'bench', role: 'ops' as const }, correlationId: 'bench-seed', occurredAt: new Date().toISOString() };
  const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
  for (let i = 0; i < PATIENTS; i += 500) {
    await Promise.all(
      devices.slice(i, i + 500).flatMap(({ patientId, deviceId }) => [
        store.append(`patient-monitoring-${patientId}`, 'no-stream', [
          { id: randomUUID(), type: 'PatientEnrolled', data: { patientId, conditions: ['hypertension'], careTeam, billingPractitionerId: careTeam[0], established: true, escalateAfterSeconds: 3_600 } },
          { id: randomUUID(), type: 'MonitoringConsentRecorded', data: { patientId, consentedAt: meta.occurredAt } },
        ], meta),
        store.append(`device-${deviceId}`, 'no-stream', [
          { id: randomUUID(), type: 'DeviceRegistered', data: { deviceId, serial: deviceId.slice(0, 8), kind: 'multi', manufacturer: 'Bench', model: 'B1' } },
          { id: randomUUID(), type: 'DeviceAssigned', data: { deviceId, assignmentId: deterministicEventId(deviceId, 'a', 0), patientId, from, keyHash: deviceId } },
        ], meta),
      ]),
    );
  }

  return devices;
}

async function startService(db: TestSchema, kafka: ReturnType<typeof createKafka>, idleTopic: string, store: Store) {
  const issuer = await DevTokenIssuer.create();
  const moduleRef = await Test.createTestingModule({
    imports: [
      MonitoringModule.register({
        pool: db.pool,
        schema: db.schema,
        auth: issuer.authOptions(),
        checks: [],
        clock: { now: () => new Date() },
        messaging: { kafka, groupId: uniqueName('monitoring-bench'), topics: { [DEVICE_READINGS_TOPIC]: idleTopic } },
        readingPartitionsConcurrently: 3,
        rpmClose: RPM_CLOSE_DAILY,
        onError: (error) => process.stderr.write(`background error: ${String(error)}\n`),
      }),
    ],
  }).compile();
  const app = configureServiceApp(moduleRef.createNestApplication<NestExpressApplication>(), { logger: createLogger({ service: 'monitoring', level: 'warn' }) });
  app.useBodyParser('json', { limit: MAX_BATCH_BODY });
  // As the service runs it: the prescriptions consumer through the integration events transport.
  connectIntegrationEvents(app);
  await app.init();
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const projections = app.get(MonitoringProjections);
  const intake = app.get<symbol, ReadingIntake>(READING_INTAKE);
  await projections.waitFor(await store.headPosition(), 120_000);
  return { app, base, projections, intake, issuer };
}

/** Readings with distinct measurement instants; `sentAt` remembers when each crisis reading was sent. */
function readingGenerator(devices: Devices) {
  let seq = 0;
  const baseTime = Date.now() - 10 * 86_400_000;
  const sentAt = new Map<string, number>(); // crisis reading id -> ms when its request was sent
  const readingFor = (deviceId: string, now: number) => {
    // Distinct measurement instants, inside the device's assignment, in the past.
    const measuredAt = new Date(baseTime + (seq++ % (9 * 86_400_000))).toISOString();
    const roll = Math.random();
    if (roll < CRISIS_SHARE) {
      const reading = { deviceId, type: 'blood-pressure' as const, measuredAt, systolic: 182 + Math.floor(Math.random() * 20), diastolic: 100, unit: 'mmHg' };
      sentAt.set(readingIdOf(reading), now);
      return reading;
    }
    if (roll < 0.3) return { deviceId, type: 'blood-pressure' as const, measuredAt, systolic: 125, diastolic: 80, unit: 'mmHg' };
    if (roll < 0.7) return { deviceId, type: 'heart-rate' as const, measuredAt, value: 60 + Math.floor(Math.random() * 40), unit: '/min' };
    if (roll < 0.9) return { deviceId, type: 'spo2' as const, measuredAt, value: 95 + Math.floor(Math.random() * 5), unit: '%' };
    return { deviceId, type: 'body-weight' as const, measuredAt, value: 150 + Math.floor(Math.random() * 60), unit: 'lb' };
  };
  const randomDevice = () => devices[Math.floor(Math.random() * PATIENTS)]!.deviceId;

  return { readingFor, randomDevice, sentAt };
}
type Generator = ReturnType<typeof readingGenerator>;

/** Phase 1: the batch REST API, HTTP_CONCURRENCY clients for HTTP_SECONDS. */
async function httpPhase({ db, store, log, base, issuer, generator, projections }: { db: TestSchema; store: Store; log: Log; base: string; issuer: DevTokenIssuer; generator: Generator; projections: MonitoringProjections }) {
  const { readingFor, randomDevice, sentAt } = generator;
  const token = await issuer.mint({ sub: 'bench-gateway', role: 'ops' });
  const httpStart = Date.now();
  const headBefore = await store.headPosition();
  let httpAccepted = 0;
  let httpRequests = 0;
  const requestMs: number[] = [];
  const perSecond: number[] = [];
  let secondMark = httpStart;
  let secondCount = 0;
  await Promise.all(
    Array.from({ length: HTTP_CONCURRENCY }, async () => {
      while (Date.now() - httpStart < HTTP_SECONDS * 1_000) {
        const now = Date.now();
        const readings = Array.from({ length: BATCH }, () => readingFor(randomDevice(), now));
        const res = await fetch(`${base}/v1/readings/batch`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ readings }),
        });
        const body = (await res.json()) as { accepted: number };
        if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
        requestMs.push(Date.now() - now);
        httpAccepted += body.accepted;
        httpRequests++;
        secondCount += body.accepted;
        if (Date.now() - secondMark >= 1_000) {
          perSecond.push(secondCount / ((Date.now() - secondMark) / 1000));
          secondMark = Date.now();
          secondCount = 0;
        }
      }
    }),
  );
  const httpSeconds = (Date.now() - httpStart) / 1000;
  // Every request has been answered, so its readings are committed; the head shows them once no
  // older transaction (of any database of the cluster) holds them back.
  await store.settled(60_000);
  const head = await store.headPosition();
  const drainStart = Date.now();
  await projections.waitFor(head, 300_000);
  const drainSeconds = (Date.now() - drainStart) / 1000;
  const sortedRequests = [...requestMs].sort((a, b) => a - b);

  const latencies = await alertLatencies(db.pool, db.schema, headBefore, sentAt);
  if (process.env.BENCH_DEBUG) {
    const { rows } = await db.pool.query(`SELECT data->'readingIds' AS ids FROM "${db.schema}".events WHERE event_type IN ('AlertRaised','AlertUpdated')`);
    const seen = new Set(rows.flatMap((r) => r.ids as string[]));
    const missing = [...sentAt.keys()].filter((id) => !seen.has(id)).slice(0, 3);
    for (const id of missing) {
      const r = await db.pool.query(`SELECT patient_id, measured_at, systolic FROM "${db.schema}".readings WHERE reading_id = $1`, [id]);
      const a = r.rows[0] ? await db.pool.query(`SELECT event_type, data FROM "${db.schema}".events WHERE stream_id LIKE $1 ORDER BY global_position`, [`alert-${r.rows[0].patient_id}%`]) : { rows: [] };
      process.stderr.write(`missing ${id}: ${JSON.stringify(r.rows[0])} alerts ${JSON.stringify(a.rows)}\n`);
    }
  }
  log('');
  log('## Batch REST API (`POST /v1/readings/batch`, 1,000 readings a request)');
  log('');
  log('| metric | value |');
  log('| --- | --- |');
  log(`| clients x duration | ${HTTP_CONCURRENCY} concurrent x ${httpSeconds.toFixed(0)} s, ${httpRequests} requests |`);
  log(`| readings accepted (stored durably: one append of up to 1,000 events per request) | ${httpAccepted.toLocaleString('en-US')} |`);
  log(`| throughput into the event store, every alerting rule evaluated in the request, alerts stored with the readings | **${Math.round(httpAccepted / httpSeconds).toLocaleString('en-US')} readings/s** |`);
  log(`| throughput, median of 1-s windows | ${Math.round(median(perSecond)).toLocaleString('en-US')} readings/s |`);
  log(`| read side (read models) caught up ${drainSeconds.toFixed(1)} s after the load stopped: readings/s through it | ${Math.round(httpAccepted / (httpSeconds + drainSeconds)).toLocaleString('en-US')} readings/s |`);
  log(`| request latency p50 / p99 | ${percentile(sortedRequests, 50)} / ${percentile(sortedRequests, 99)} ms |`);
  log(`| crisis readings sent / with an alert event | ${sentAt.size} / ${latencies.length} |`);
  log(`| reading received -> alert event stored, p50 / p99 | **${percentile(latencies, 50)} / ${percentile(latencies, 99)} ms** |`);
  log(`| peak RSS (service + load generator) | ${mb(peakRss)} MiB |`);

}

/** Phase 2: the device-gateway Kafka topic at 1, 3 and 6 partitions. */
async function kafkaPhase({ db, store, log, kafka, projections, intake, generator }: {
  db: TestSchema;
  store: Store;
  log: Log;
  kafka: ReturnType<typeof createKafka>;
  projections: MonitoringProjections;
  intake: ReadingIntake;
  generator: Generator;
}) {
  const { readingFor, randomDevice } = generator;
  log('');
  log(`## Device-gateway Kafka topic (${KAFKA_READINGS.toLocaleString('en-US')} readings, ${READINGS_PER_MESSAGE} per message, keyed by device id, consumed with eachBatch)`);
  log('');
  log('| partitions | readings/s stored (produced first, then consumed; read side caught up before each round) | consume time | peak RSS |');
  log('| --- | --- | --- | --- |');
  const producer = kafka.producer();
  await producer.connect();
  for (const partitions of [1, 3, 6]) {
    // Each round starts with the read side caught up, so rounds do not pay for each other.
    const settled = await store.headPosition();
    await projections.waitFor(settled, 300_000);
    peakRss = process.memoryUsage().rss;
    const topic = uniqueTopic('reading');
    const a = kafka.admin();
    await a.connect();
    await ensureTopics(a, [{ topic, partitions }]);
    await a.disconnect();
    const messages: { key: string; value: string }[] = [];
    for (let i = 0; i < KAFKA_READINGS / READINGS_PER_MESSAGE; i++) {
      const deviceId = randomDevice();
      const record = deviceReadingsRecord(
        { deviceId, readings: Array.from({ length: READINGS_PER_MESSAGE }, () => readingFor(deviceId, Date.now())) },
        { id: randomUUID(), time: new Date(), correlationId: randomUUID(), actor: { id: 'bench-gateway', role: 'system' } },
      );
      messages.push({ key: record.key, value: record.value });
    }
    for (let i = 0; i < messages.length; i += 400) await producer.send({ topic, messages: messages.slice(i, i + 400) });
    const consumer = new DeviceGatewayConsumer({ kafka, groupId: uniqueName('bench-gateway'), topic, intake, clock: { now: () => new Date() }, partitionsConsumedConcurrently: partitions, fromBeginning: true });
    const before = intake.counters.accepted + intake.counters.duplicates;
    const t0 = Date.now();
    await consumer.start();
    while (consumer.stats.readings < KAFKA_READINGS) await new Promise((r) => setTimeout(r, 50));
    const seconds = (Date.now() - t0) / 1000;
    await consumer.stop();
    const stored = intake.counters.accepted + intake.counters.duplicates - before;
    log(`| ${partitions} | ${Math.round(stored / seconds).toLocaleString('en-US')} | ${seconds.toFixed(1)} s | ${mb(peakRss)} MiB |`);
  }
  await producer.disconnect();
}

/** ms from a crisis reading's request to the AlertRaised or AlertUpdated event that carries it (stored). */
async function alertLatencies(pool: import('pg').Pool, schema: string, after: number, sentAt: Map<string, number>): Promise<number[]> {
  const { rows } = await pool.query(
    `SELECT data->'readingIds' AS ids, recorded_at FROM "${schema}".events WHERE global_position > $1 AND event_type IN ('AlertRaised', 'AlertUpdated')`,
    [after],
  );
  const latencies: number[] = [];
  for (const row of rows) {
    for (const id of row.ids as string[]) {
      const sent = sentAt.get(id);
      if (sent !== undefined) latencies.push((row.recorded_at as Date).getTime() - sent);
    }
  }
  return latencies.sort((a, b) => a - b);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
