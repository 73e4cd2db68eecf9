/**
 * npm run bench:consumer
 * The same IntegrationConsumer two ways: handlers bound with `on(...)` (the consumer calls them
 * directly) and an @IntegrationEventHandler controller behind IntegrationEventsTransport (the
 * consumer calls Nest's handler proxy: filters, param decorators, then the method).
 *  1. end to end: BENCH_EVENTS (default 2,000) events produced beforehand to a fresh topic of 3
 *     partitions on the Kafka broker of deploy/local, consumed by a fresh group; each one is
 *     validated, its inbox row and one appended event committed in one PostgreSQL transaction
 *     (127.0.0.1:5432, a schema of its own). Events/s from the first event processed to the last
 *     (the group join before it takes seconds and is the same either way).
 *  2. dispatch alone: BENCH_CALLS (default 200,000) calls of each binding with a no-op handler,
 *     no broker, no database: what the Nest layer adds per event, in microseconds.
 * Medians of BENCH_ROUNDS (default 5) rounds, the two ways alternating. Writes
 * bench/results/consumer-dispatch.json and consumer-dispatch.md.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Controller, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import { Pool } from 'pg';
import { ContractRegistry, defineIntegrationEvent, toKafkaRecord, z } from '@carebridge/contracts';
import { migrate } from '@carebridge/event-store';
import {
  IntegrationConsumer,
  IntegrationEventContext,
  IntegrationEventHandler,
  IntegrationEventsTransport,
  createKafka,
  ensureTopics,
  messagingMigrations,
  on,
  type HandlerBinding,
  type HandlerContext,
  type IntegrationHandler,
  type ReceivedEvent,
} from '@carebridge/messaging';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 200_000);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carebridge';
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const schema = `bench_consumer_${Date.now().toString(36)}`;
const pool = new Pool({ connectionString: databaseUrl, max: 10 });
const kafka = createKafka({ brokers, clientId: 'bench-consumer' });
const log = (message: string) => console.log(`[bench:consumer] ${message}`);
const quiet = { info: () => undefined, warn: () => undefined, error: (m: string, f?: Record<string, unknown>) => console.error(m, f) };

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const contractOn = (topic: string) =>
  defineIntegrationEvent({
    context: 'bench',
    name: 'ReadingTaken',
    version: 1,
    topic,
    schema: z.object({ patientId: z.string(), systolic: z.number().int(), diastolic: z.number().int() }),
    partitionKey: (d) => d.patientId,
  });
type Reading = { patientId: string; systolic: number; diastolic: number };

/** What both ways do per event: append one event to the patient's stream on the inbox transaction. */
const appendReading = async (event: ReceivedEvent<Reading>, ctx: { store?: HandlerContext['store'] }): Promise<void> => {
  await ctx.store!.append(`reading-${event.id}`, 'no-stream', [{ id: randomUUID(), type: 'ReadingRecorded', data: event.data }], {
    actor: { id: 'bench', role: 'system' },
    correlationId: event.correlationid,
    causationId: event.id,
    occurredAt: event.time,
  });
};

function nestConsumerFor(contract: ReturnType<typeof contractOn>, handle: (event: ReceivedEvent<Reading>, ctx: IntegrationEventContext) => Promise<void>) {
  @Controller()
  class ReadingsConsumer {
    @IntegrationEventHandler(contract)
    async readingTaken(@Payload() event: ReceivedEvent<Reading>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
      await handle(event, ctx);
    }
  }
  @Module({ controllers: [ReadingsConsumer] })
  class BenchModule {}
  return BenchModule;
}

/** A Nest app (hybrid, as the services run it) with the transport connected and started. */
async function startNest(transport: IntegrationEventsTransport, module: ReturnType<typeof nestConsumerFor>): Promise<INestApplication> {
  const app = await NestFactory.create(module, { logger: false });
  app.connectMicroservice({ strategy: transport });
  await app.init();
  await app.startAllMicroservices();
  return app;
}

async function endToEndRound(way: 'direct' | 'nest', round: number): Promise<number> {
  const topic = `carebridge.bench.readings-${way}-${round}-${randomUUID().slice(0, 8)}.v1`;
  const contract = contractOn(topic);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic, partitions: 3 }]);
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let sent = 0; sent < EVENTS; sent += 1_000) {
    const records = Array.from({ length: Math.min(1_000, EVENTS - sent) }, (_, i) =>
      toKafkaRecord(contract, { patientId: randomUUID(), systolic: 120 + (i % 30), diastolic: 80 }, {
        id: randomUUID(),
        time: new Date(),
        correlationId: randomUUID(),
        actor: { id: 'bench', role: 'system' },
      }),
    );
    await producer.send({ topic, acks: -1, messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })) });
  }
  await producer.disconnect();

  const groupId = `bench-consumer-${way}-${randomUUID().slice(0, 8)}`;
  const common = { groupId, kafka, pool, schema, storeSchema: schema, logger: quiet };
  const started = performance.now();
  let stats: () => { processed: number; deadLettered: number };
  let stop: () => Promise<void>;
  if (way === 'direct') {
    const consumer = new IntegrationConsumer({ ...common, registry: new ContractRegistry([contract]), handlers: [on(contract, appendReading)] });
    await consumer.start();
    stats = () => consumer.stats;
    stop = () => consumer.stop();
  } else {
    const transport = new IntegrationEventsTransport(common);
    const app = await startNest(transport, nestConsumerFor(contract, appendReading));
    stats = () => transport.stats;
    stop = () => app.close();
  }
  // From the first event processed: the group join (seconds, the same for both ways) is not dispatch.
  let first = 0;
  while (stats().processed + stats().deadLettered < EVENTS) {
    if (first === 0 && stats().processed > 0) first = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const seconds = (performance.now() - (first || started)) / 1000;
  await stop();
  if (stats().deadLettered > 0) throw new Error(`${way}: ${stats().deadLettered} events dead-lettered`);
  return (EVENTS - 1) / seconds;
}

/** µs per call of a binding's handle(), a no-op handler behind it. */
async function dispatchRound(binding: HandlerBinding<Reading>): Promise<number> {
  const event = {
    id: randomUUID(),
    source: 'bench',
    type: binding.event.type,
    specversion: '1.0',
    time: new Date().toISOString(),
    correlationid: randomUUID(),
    data: { patientId: randomUUID(), systolic: 120, diastolic: 80 },
    kafka: { topic: binding.event.topic, partition: 0, offset: '0' },
  } as ReceivedEvent<Reading>;
  const ctx = { client: undefined as never, attempt: 1 };
  for (let i = 0; i < 5_000; i++) await binding.handle(event, ctx); // warm-up
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) await binding.handle(event, ctx);
  return ((performance.now() - started) * 1000) / CALLS;
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg().map((l) => +l.toFixed(2));
  log(`schema ${schema}; ${os.cpus().length} cores, load ${loadBefore.join(' ')}; ${ROUNDS} rounds of ${fmt(EVENTS)} events and ${fmt(CALLS)} calls`);
  await migrate(pool, schema);
  await migrate(pool, schema, messagingMigrations, 'messaging_migrations');

  // 2. dispatch alone: the `on(...)` binding vs the binding the transport builds from Nest's handler.
  const contract = contractOn('carebridge.bench.readings-dispatch.v1');
  const noop: IntegrationHandler<Reading> = async () => undefined;
  const direct = on(contract, noop);
  const transport = new IntegrationEventsTransport({ groupId: 'bench-dispatch', kafka, pool, schema });
  const app = await NestFactory.create(nestConsumerFor(contract, noop), { logger: false });
  app.connectMicroservice({ strategy: transport });
  await app.init();
  const [viaNest] = transport.bindings() as HandlerBinding<Reading>[];
  const dispatch = { direct: [] as number[], nest: [] as number[] };
  for (let round = 1; round <= ROUNDS; round++) {
    dispatch.direct.push(await dispatchRound(direct));
    dispatch.nest.push(await dispatchRound(viaNest!));
    log(`dispatch round ${round}: direct ${fmt(dispatch.direct.at(-1)!, 3)} µs, nest ${fmt(dispatch.nest.at(-1)!, 3)} µs`);
  }
  await app.close();

  // 1. end to end, alternating which way goes first.
  const endToEnd = { direct: [] as number[], nest: [] as number[] };
  for (let round = 1; round <= ROUNDS; round++) {
    const order: ('direct' | 'nest')[] = round % 2 ? ['direct', 'nest'] : ['nest', 'direct'];
    for (const way of order) endToEnd[way].push(await endToEndRound(way, round));
    log(`end-to-end round ${round}: direct ${fmt(endToEnd.direct.at(-1)!)} events/s, nest ${fmt(endToEnd.nest.at(-1)!)} events/s`);
  }
  const loadAfter = os.loadavg().map((l) => +l.toFixed(2));
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();

  const result = {
    at: new Date().toISOString(),
    cores: os.cpus().length,
    node: process.version,
    load: { before: loadBefore, after: loadAfter },
    rounds: ROUNDS,
    events: EVENTS,
    calls: CALLS,
    endToEnd: {
      direct: { median: median(endToEnd.direct), rounds: endToEnd.direct },
      nest: { median: median(endToEnd.nest), rounds: endToEnd.nest },
      ratio: median(endToEnd.nest) / median(endToEnd.direct),
    },
    dispatchMicroseconds: {
      direct: { median: median(dispatch.direct), rounds: dispatch.direct },
      nest: { median: median(dispatch.nest), rounds: dispatch.nest },
      added: median(dispatch.nest) - median(dispatch.direct),
    },
  };
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'consumer-dispatch.json'), `${JSON.stringify(result, null, 2)}\n`);
  const e = result.endToEnd;
  const d = result.dispatchMicroseconds;
  const rounds = (values: number[], digits = 0) => values.map((v) => fmt(v, digits)).join(', ');
  writeFileSync(
    path.join(dir, 'consumer-dispatch.md'),
    `# Consumer dispatch benchmark: \`on(...)\` handlers vs the Nest transport

${result.at}, ${result.cores} cores, Node ${result.node}, load average ${loadBefore.join(' ')} (after: ${loadAfter.join(' ')}), ${ROUNDS} rounds, medians.
Broker: the Kafka broker of deploy/local (127.0.0.1:9092), not the in-process bus; PostgreSQL 127.0.0.1:5432, schema of its own.

| end to end (events/s): ${fmt(EVENTS)} events, 3 partitions, validate + inbox + one append per event | median | rounds | ratio |
| --- | ---: | --- | ---: |
| IntegrationConsumer with \`on(...)\` handlers | ${fmt(e.direct.median)} | ${rounds(e.direct.rounds)} | 1.00 |
| IntegrationEventsTransport, @IntegrationEventHandler controller | ${fmt(e.nest.median)} | ${rounds(e.nest.rounds)} | ${e.ratio.toFixed(2)} |

| dispatch alone (µs per event, no-op handler, ${fmt(CALLS)} calls) | median | rounds |
| --- | ---: | --- |
| \`on(...)\` binding | ${fmt(d.direct.median, 3)} | ${rounds(d.direct.rounds, 3)} |
| Nest handler proxy (filter, @Payload, @Ctx) | ${fmt(d.nest.median, 3)} | ${rounds(d.nest.rounds, 3)} |
| added by Nest | ${fmt(d.added, 3)} | |
`,
  );
  log(`end to end: direct ${fmt(e.direct.median)} events/s, nest ${fmt(e.nest.median)} events/s (ratio ${e.ratio.toFixed(2)}); dispatch adds ${fmt(d.added, 3)} µs/event`);
}

main().catch(async (error) => {
  console.error(error);
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  process.exit(1);
});
