import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { BrokerAdmin, MessageBroker } from '@carebridge/messaging';
import { migrate, PostgresEventStore, type EventMetadata } from '@carebridge/event-store';
import { createTestSchema, eventually, testInfrastructure, uniqueTopic, type TestSchema } from '@carebridge/testing';
import { collectTopic, testBus, testContract, testKafka } from '@carebridge/testing/messaging';
import { ensureTopics } from '../kafka';
import { messagingMigrations } from '../messaging.migrations';
import { Relay } from './relay';

const metadata: EventMetadata = {
  actor: { id: 'system', role: 'system' },
  correlationId: 'relay-test',
  occurredAt: '2026-11-22T10:00:00.000Z',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

let db: TestSchema;
let store: PostgresEventStore;
let kafka: MessageBroker;
let admin: BrokerAdmin;

beforeAll(async () => {
  db = await createTestSchema('relay');
  await migrate(db.pool, db.schema);
  await migrate(db.pool, db.schema, messagingMigrations, 'messaging_migrations');
  store = new PostgresEventStore(db.pool, db.schema);
  kafka = testKafka('relay-test', db);
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
  await db.dispose();
});

async function appendTicks(streams: number, perStream: number, prefix: string): Promise<void> {
  for (let v = 0; v < perStream; v++) {
    await Promise.all(
      Array.from({ length: streams }, (_, s) =>
        store.append(`${prefix}-${s}`, 'any', [{ id: randomUUID(), type: v % 7 === 3 ? 'Private' : 'Tick', data: {} }], metadata),
      ),
    );
  }
}

/** Distinct messages in order of first arrival; each key's versions must rise. */
function checkPerKeyOrder(values: { streamId: string; version: number; id: string }[]) {
  const firstSeen = new Map<string, (typeof values)[number]>();
  for (const value of values) if (!firstSeen.has(value.id)) firstSeen.set(value.id, value);
  const lastVersion = new Map<string, number>();
  for (const value of firstSeen.values()) {
    expect(value.version).toBeGreaterThan(lastVersion.get(value.streamId) ?? 0);
    lastVersion.set(value.streamId, value.version);
  }
  return firstSeen;
}

function decode(messages: { value: Buffer | null; key: Buffer | null }[]) {
  return messages.map((m) => {
    const event = JSON.parse(m.value!.toString());
    expect(m.key!.toString()).toBe(event.data.streamId);
    return { ...event.data, id: event.id, traceparent: event.traceparent } as {
      streamId: string;
      version: number;
      id: string;
      traceparent: string;
    };
  });
}

// Relays this file spawns; one still running when a test ends (it failed or hung) is ended then,
// so it does not go on retrying against the servers after the run.
const spawned: ChildProcess[] = [];
const leftover = (child: ChildProcess): ChildProcess => (spawned.push(child), child);
afterEach(() => {
  for (const child of spawned.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('relay', () => {
  it('publishes every integration event, keyed by stream, in per-key order, and skips private events', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 3 }]);
    await appendTicks(5, 14, 'a');
    await store.settled();
    const expected = (await store.readAll(0, 10_000)).filter((e) => e.type === 'Tick' && e.streamId.startsWith('a-'));

    const relay = new Relay({
      name: 'relay-a',
      store,
      pool: db.pool,
      schema: db.schema,
      kafka,
      publisher: testContract(topic).publisher,
      batchSize: 17,
    });
    relay.start();
    try {
      const messages = await collectTopic(kafka, topic, (m) => m.length >= expected.length);
      const values = decode(messages);
      const distinct = checkPerKeyOrder(values);
      expect(new Set(distinct.keys())).toEqual(new Set(expected.map((e) => e.eventId)));
      expect(values[0]!.traceparent).toBe(metadata.traceparent);
      await eventually(async () => ((await relay.status()).checkpoint === (await store.headPosition()) ? true : undefined));
    } finally {
      await relay.stop();
    }
  });

  it('splits a read larger than Kafka accepts in one request into several, in order', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 1 }]);
    const padding = 'x'.repeat(1_000);
    for (let i = 0; i < 15; i++) {
      await store.append('big-1', 'any', Array.from({ length: 100 }, () => ({ id: randomUUID(), type: 'Tick', data: { padding } })), metadata);
    }
    await store.settled();
    const from = (await store.readAll(0, 100_000)).find((e) => e.streamId === 'big-1')!.globalPosition - 1;
    await db.pool.query(`INSERT INTO "${db.schema}".relay_checkpoints (relay_name, position) VALUES ('relay-big', $1)`, [from]);
    const relay = new Relay({ name: 'relay-big', store, pool: db.pool, schema: db.schema, kafka, publisher: testContract(topic).publisher, batchSize: 2_000 });
    relay.start();
    try {
      const messages = await collectTopic(kafka, topic, (m) => m.length >= 1_500);
      expect(decode(messages).map((v) => v.version)).toEqual(Array.from({ length: 1_500 }, (_, i) => i + 1));
    } finally {
      await relay.stop();
    }
  });

  it('lets only one of two relays with the same name publish', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 1 }]);
    const options = { name: 'relay-b', store, pool: db.pool, schema: db.schema, kafka, publisher: testContract(topic).publisher, leaderRetryMs: 100 };
    const first = new Relay(options);
    const second = new Relay(options);
    first.start();
    await eventually(() => (first.status().leader ? true : undefined));
    second.start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(second.status().leader).toBe(false);
    await first.stop();
    await eventually(() => (second.status().leader ? true : undefined), { what: 'standby relay to take over' });
    await second.stop();
  });

  it('killed with SIGKILL at random points and restarted, loses no event and keeps per-key order', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 4 }]);
    const checkpoint = async () =>
      Number(
        (
          await db.pool.query(`SELECT position FROM "${db.schema}".relay_checkpoints WHERE relay_name = 'crash-test'`)
        ).rows[0]?.position ?? 0,
      );
    const spawnRelay = (): ChildProcess =>
      leftover(spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, '../../../testing/src/messaging/relay-process.ts')], {
        cwd: path.join(__dirname, '../../../..'),
        env: {
          ...process.env,
          SWC_NODE_PROJECT: 'tsconfig.json',
          DATABASE_URL: testInfrastructure.databaseUrl,
          SCHEMA: db.schema,
          TOPIC: topic,
          KAFKA_BROKERS: testInfrastructure.kafkaBrokers.join(','),
          BATCH_SIZE: '40',
          ...(testBus === 'in-process' && { BUS_SCHEMA: db.sibling('bus') }),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      }));
    const exited = (child: ChildProcess) => new Promise((resolve) => child.once('exit', resolve));

    await appendTicks(10, 60, 'c');
    let kills = 0;
    for (let round = 0; round < 3; round++) {
      const before = await checkpoint();
      const child = spawnRelay();
      await eventually(async () => ((await checkpoint()) > before ? true : undefined), {
        timeoutMs: 30_000,
        what: 'relay to publish',
      });
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 150));
      child.kill('SIGKILL');
      await exited(child);
      kills++;
      await appendTicks(10, 5, 'c'); // writes continue while the relay is down
    }
    expect(kills).toBe(3);

    const last = spawnRelay();
    await store.settled();
    const head = await store.headPosition();
    await eventually(async () => ((await checkpoint()) >= head ? true : undefined), { timeoutMs: 60_000, what: 'catch-up' });
    last.kill('SIGTERM');
    await exited(last);

    // This relay starts from position 0, so it publishes the events of the earlier tests too.
    const expected = (await store.readAll(0, 100_000)).filter((e) => e.type === 'Tick');
    const ids = new Set(expected.map((e) => e.eventId));
    const messages = await collectTopic(kafka, topic, (m) => {
      const seen = new Set(m.map((x) => JSON.parse(x.value!.toString()).id));
      return [...ids].every((id) => seen.has(id));
    });
    const distinct = checkPerKeyOrder(decode(messages));
    expect(new Set(distinct.keys())).toEqual(ids);
  });
});
