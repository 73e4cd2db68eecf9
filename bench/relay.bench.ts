/**
 * npm run bench:relay
 * Our relay (PostgreSQL event store -> Kafka, checkpointed) beside the limit of the client: a bare
 * kafkajs producer sending the same records with the same settings (idempotent, acks=all, one
 * request in flight, the relay's request size), and @platformatic/kafka doing the same, all in one
 * run on the same topic. Events/s, medians of BENCH_ROUNDS (default 3) rounds of BENCH_EVENTS
 * (default 20,000) events. Writes bench/results/relay.json and relay.md.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import type { Message } from 'kafkajs';
import { Producer as PlatformaticProducer, ProduceAcks, stringSerializers } from '@platformatic/kafka';
import { migrate, PostgresEventStore, type EventMetadata, type RecordedEvent } from '@carebridge/event-store';
import { createIdempotentProducer, createKafka, ensureTopics, messagingMigrations, publish, Relay } from '@carebridge/messaging';
import { defineIntegrationEvent, type KafkaRecord, z } from '@carebridge/contracts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const BATCH = 2_000; // the relay's batchSize here, and the bare producers' records per request
const MAX_REQUEST_BYTES = 768 * 1024; // the relay's default request bound
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carebridge';
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const schema = `bench_relay_${Date.now().toString(36)}`;
const pool = new Pool({ connectionString: databaseUrl, max: 10 });
const store = new PostgresEventStore(pool, schema);
const log = (message: string) => console.log(`[bench:relay] ${message}`);

const metadata: EventMetadata = {
  actor: { id: '7b7d3c9e-3f0a-4a57-9d3c-8f3e0f6b1a11', role: 'provider' },
  correlationId: 'b2a1f6a4-5f7e-4a0a-9a1b-1d2c3e4f5a6b',
  occurredAt: '2026-11-22T10:00:00.000Z',
  command: 'RecordReading',
};
const reading = () => ({
  readingId: randomUUID(),
  deviceId: 'a3c1e1f0-1b2c-4d5e-8f90-123456789abc',
  kind: 'blood-pressure',
  systolic: 128,
  diastolic: 84,
  unit: 'mm[Hg]',
  loinc: '85354-9',
  measuredAt: new Date().toISOString(),
});

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The relay's chunking: at most BATCH records and MAX_REQUEST_BYTES per request. */
function chunks(records: readonly KafkaRecord[]): KafkaRecord[][] {
  const out: KafkaRecord[][] = [];
  let chunk: KafkaRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = Buffer.byteLength(r.value) + Buffer.byteLength(r.key) + Object.entries(r.headers).reduce((n, [k, v]) => n + k.length + v.length, 0) + 100;
    if (chunk.length === BATCH || bytes + size > MAX_REQUEST_BYTES) {
      out.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(r);
    bytes += size;
  }
  if (chunk.length) out.push(chunk);
  return out;
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg().map((l) => +l.toFixed(2));
  log(`schema ${schema}; ${os.cpus().length} cores, load ${loadBefore.join(' ')}; ${ROUNDS} rounds of ${fmt(EVENTS)} events`);
  await migrate(pool, schema);
  await migrate(pool, schema, messagingMigrations, 'messaging_migrations');
  const kafka = createKafka({ brokers, clientId: 'bench-relay' });
  const admin = kafka.admin();
  await admin.connect();
  const topic = `carebridge.bench-relay-${Date.now().toString(36)}.reading.v1`;
  await ensureTopics(admin, [{ topic, partitions: 6, withDlq: false }]);
  await admin.disconnect();
  const ReadingRecorded = defineIntegrationEvent({
    context: 'bench',
    name: 'ReadingRecorded',
    version: 1,
    topic,
    schema: z.object({ streamId: z.string() }).loose(),
    partitionKey: (d) => d.streamId,
  });
  const publisher = (event: RecordedEvent) => [publish(ReadingRecorded, { streamId: event.streamId, ...(event.data as object) }, event)];

  // The events every round relays: appended once, 100 per append over 50 streams.
  const versions = new Map<string, number>();
  for (let i = 0; i < EVENTS / 100; i++) {
    const stream = `patient-monitoring-${i % 50}`;
    const result = await store.append(stream, versions.get(stream) ?? 'no-stream', Array.from({ length: 100 }, () => ({ id: randomUUID(), type: 'ReadingRecorded', data: reading() })), metadata);
    versions.set(stream, result.nextExpectedVersion);
  }
  const head = await store.headPosition();
  // The same records the relay sends, built once for the bare producers (their limit excludes the read).
  const records: KafkaRecord[] = [];
  for (let after = head - EVENTS; ; ) {
    const page = await store.readAll(after, 5_000);
    if (page.length === 0) break;
    for (const event of page) records.push(...publisher(event));
    after = page.at(-1)!.globalPosition;
  }
  const requests = chunks(records);
  log(`${fmt(records.length)} records in ${requests.length} requests`);

  const relayRound = async (round: number) => {
    const name = `bench-relay-${round}`;
    const relay = new Relay({ name, store, pool, schema, kafka, publisher, batchSize: BATCH, logger: { info: () => undefined, error: (m, f) => log(`${m} ${JSON.stringify(f)}`) } });
    await pool.query(`INSERT INTO ${schema}.relay_checkpoints (relay_name, position) VALUES ($1, $2)`, [name, head - EVENTS]);
    const started = process.hrtime.bigint();
    relay.start();
    while (relay.status().checkpoint < head) await new Promise((resolve) => setTimeout(resolve, 2));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await relay.stop();
    return EVENTS / seconds;
  };

  const kafkajs = createIdempotentProducer(kafka); // the relay's own producer settings
  await kafkajs.connect();
  const kafkajsRound = async () => {
    const started = process.hrtime.bigint();
    for (const request of requests) {
      const byTopic = new Map<string, Message[]>();
      for (const r of request) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), { key: r.key, value: r.value, headers: r.headers }]);
      await kafkajs.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([t, messages]) => ({ topic: t, messages })) });
    }
    return EVENTS / (Number(process.hrtime.bigint() - started) / 1e9);
  };

  const platformatic = new PlatformaticProducer({
    clientId: 'bench-relay-platformatic',
    bootstrapBrokers: brokers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    serializers: stringSerializers,
  });
  const platformaticRound = async () => {
    const started = process.hrtime.bigint();
    for (const request of requests) {
      await platformatic.send({ messages: request.map((r) => ({ topic: r.topic, key: r.key, value: r.value, headers: new Map(Object.entries(r.headers)) })) });
    }
    return EVENTS / (Number(process.hrtime.bigint() - started) / 1e9);
  };

  // Warm-up: connections, metadata, JIT.
  await kafkajsRound();
  await platformaticRound();
  const results = { relay: [] as number[], kafkajs: [] as number[], platformatic: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so none always runs first.
    const order: (keyof typeof results)[] = [['relay', 'kafkajs', 'platformatic'], ['kafkajs', 'platformatic', 'relay'], ['platformatic', 'relay', 'kafkajs']][round % 3] as never;
    for (const who of order) results[who].push(who === 'relay' ? await relayRound(round) : who === 'kafkajs' ? await kafkajsRound() : await platformaticRound());
    log(`round ${round + 1}: relay ${fmt(results.relay.at(-1)!)}/s, kafkajs ${fmt(results.kafkajs.at(-1)!)}/s, @platformatic/kafka ${fmt(results.platformatic.at(-1)!)}/s`);
  }
  await kafkajs.disconnect();
  await platformatic.close();

  report(results, loadBefore, requests.length);
}

/** The medians and ratios, written to results/relay.json and results/relay.md and printed as a table. */
function report(results: Record<'relay' | 'kafkajs' | 'platformatic', number[]>, loadBefore: number[], requestCount: number): void {
  const m = { relay: median(results.relay), kafkajs: median(results.kafkajs), platformatic: median(results.platformatic) };
  const loadAfter = os.loadavg().map((l) => +l.toFixed(2));
  const out = {
    date: new Date().toISOString(),
    machine: { cores: os.cpus().length, node: process.version, loadAverage: loadBefore, loadAverageAfter: loadAfter },
    rounds: ROUNDS,
    events: EVENTS,
    requests: requestCount,
    eventsPerSecond: { relay: Math.round(m.relay), bareKafkajs: Math.round(m.kafkajs), barePlatformaticKafka: Math.round(m.platformatic) },
    roundsEventsPerSecond: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.map(Math.round)])),
    ratios: { relayVsKafkajs: +(m.relay / m.kafkajs).toFixed(2), platformaticVsKafkajs: +(m.platformatic / m.kafkajs).toFixed(2) },
  };
  const table = [
    '| measure (events/s) | median | rounds | ratio |',
    '| --- | ---: | --- | ---: |',
    `| our relay (read store, map, produce, checkpoint) | ${fmt(m.relay)} | ${out.roundsEventsPerSecond.relay!.map(fmt).join(', ')} | ${out.ratios.relayVsKafkajs.toFixed(2)} × bare kafkajs |`,
    `| bare kafkajs producer, same records and settings | ${fmt(m.kafkajs)} | ${out.roundsEventsPerSecond.kafkajs!.map(fmt).join(', ')} | 1.00 |`,
    `| bare @platformatic/kafka producer, same records, idempotent, acks=all | ${fmt(m.platformatic)} | ${out.roundsEventsPerSecond.platformatic!.map(fmt).join(', ')} | ${out.ratios.platformaticVsKafkajs.toFixed(2)} × bare kafkajs |`,
  ].join('\n');
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'relay.json'), JSON.stringify(out, null, 2) + '\n');
  writeFileSync(
    path.join(dir, 'relay.md'),
    `# Relay benchmark\n\n${out.date}, ${out.machine.cores} cores, Node ${out.machine.node}, load average ${loadBefore.join(' ')} (after: ${loadAfter.join(' ')}), ` +
      `${ROUNDS} rounds of ${fmt(EVENTS)} events (${requestCount} requests of up to ${fmt(BATCH)} records / 768 KiB), one topic of 6 partitions, medians.\n\n${table}\n`,
  );
  console.log(`\n${table}\n`);
}

main()
  .catch((error) => {
    console.error('[bench:relay] failed:', error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await pool.end();
  });
