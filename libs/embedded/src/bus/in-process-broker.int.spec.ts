import type { EachMessagePayload } from '@carebridge/messaging';
import { createTestSchema, eventually, uniqueName, type TestSchema } from '@carebridge/testing';
import type { BusMessage } from './bus-log';
import { InProcessBroker } from './in-process-broker';
import { partitionForKey } from './partitioner';

// The bus runs on any PostgreSQL; here the real server (jest cannot load PGlite's dynamic
// imports, the embedded platform's own smoke test runs it on PGlite).
let db: TestSchema;
let bus: InProcessBroker;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  db = await createTestSchema('bus');
  bus = new InProcessBroker({ pool: db.pool, schema: db.sibling('bus'), retryBackoffMs: 20, idlePollMs: 200, onError: () => undefined });
  await bus.init();
});
afterAll(async () => {
  await db.dispose();
});

async function produce(topic: string, messages: { key: string; value: string }[]) {
  const producer = bus.producer();
  await producer.connect();
  return producer.send({ topic, messages, acks: -1 });
}

function collect() {
  const got: { topic: string; partition: number; message: BusMessage }[] = [];
  // The bus delivers its own messages (headers always present) through the port's payload.
  return { got, eachMessage: async (p: EachMessagePayload) => void got.push({ topic: p.topic, partition: p.partition, message: p.message as BusMessage }) };
}

describe('embedded bus (Kafka semantics on a PostgreSQL log)', () => {
  it('keeps per-key order on one partition, chosen by murmur2 like kafkajs', async () => {
    const topic = uniqueName('order');
    await bus.admin().createTopics({ topics: [{ topic, numPartitions: 4 }] });
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const sent = Array.from({ length: 50 }, (_, i) => ({ key: keys[i % 5]!, value: String(i) }));
    const meta = await produce(topic, sent);
    expect(meta.map((m) => m.partition)).toEqual(sent.map((m) => partitionForKey(Buffer.from(m.key), 4)));

    const consumer = bus.consumer({ groupId: uniqueName('g') });
    const { got, eachMessage } = collect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage, partitionsConsumedConcurrently: 3 });
    await eventually(() => (got.length === 50 ? true : undefined));
    await consumer.disconnect();
    for (const key of keys) {
      const values = got.filter((g) => g.message.key!.toString() === key).map((g) => Number(g.message.value!.toString()));
      expect(values).toEqual(sent.filter((s) => s.key === key).map((s) => Number(s.value)));
      expect(new Set(got.filter((g) => g.message.key!.toString() === key).map((g) => g.partition)).size).toBe(1);
    }
  });

  it('gives every group every message and splits partitions between the members of one group', async () => {
    const topic = uniqueName('groups');
    await bus.admin().createTopics({ topics: [{ topic, numPartitions: 4 }] });
    const group = uniqueName('shared');
    const one = collect();
    const two = collect();
    const other = collect();
    const m1 = bus.consumer({ groupId: group });
    const m2 = bus.consumer({ groupId: group });
    const solo = bus.consumer({ groupId: uniqueName('solo') });
    for (const [c, h] of [[m1, one], [m2, two], [solo, other]] as const) {
      await c.subscribe({ topic, fromBeginning: true });
      await c.run({ eachMessage: h.eachMessage });
    }
    await produce(topic, Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: String(i) })));
    await eventually(() => (one.got.length + two.got.length === 40 && other.got.length === 40 ? true : undefined));
    await settle(300);
    expect(one.got.length + two.got.length).toBe(40);
    const offsets = (g: typeof one.got) => g.map((x) => `${x.partition}/${x.message.offset}`);
    expect(new Set([...offsets(one.got), ...offsets(two.got)]).size).toBe(40);
    const partitionsOf = (g: typeof one.got) => new Set(g.map((x) => x.partition));
    for (const p of partitionsOf(one.got)) expect(partitionsOf(two.got).has(p)).toBe(false);
    expect(one.got.length).toBeGreaterThan(0);
    expect(two.got.length).toBeGreaterThan(0);
    await Promise.all([m1.disconnect(), m2.disconnect(), solo.disconnect()]);
  });

  it('redelivers a message whose handler failed, before any later message of its partition (at least once)', async () => {
    const topic = uniqueName('retry');
    await bus.admin().createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await produce(topic, ['1', '2', '3'].map((value) => ({ key: 'same', value })));
    const seen: string[] = [];
    let failures = 0;
    const consumer = bus.consumer({ groupId: uniqueName('g') });
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = message.value!.toString();
        seen.push(value);
        if (value === '2' && failures < 2) {
          failures++;
          throw new Error('handler down');
        }
      },
    });
    await eventually(() => (seen.includes('3') ? true : undefined));
    await consumer.disconnect();
    expect(seen).toEqual(['1', '2', '2', '2', '3']);
  });

  it('survives a restart: a group resumes after its last commit; a new group without fromBeginning starts at the end', async () => {
    const topic = uniqueName('durable');
    const group = uniqueName('g');
    await bus.admin().createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await produce(topic, [1, 2, 3].map((i) => ({ key: `k${i}`, value: String(i) })));
    const first = collect();
    const consumer = bus.consumer({ groupId: group });
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: first.eachMessage });
    await eventually(() => (first.got.length === 3 ? true : undefined));
    await consumer.disconnect();

    // A new client on the same log: what a process restart sees.
    const restarted = new InProcessBroker({ pool: db.pool, schema: (bus as unknown as { schema: string }).schema.replace(/"/g, ''), idlePollMs: 200 });
    expect(await restarted.admin().listTopics()).toContain(topic);
    await restarted.producer().send({ topic, messages: [{ key: 'k4', value: '4' }] });
    const again = collect();
    const resumed = restarted.consumer({ groupId: group });
    await resumed.subscribe({ topic, fromBeginning: true });
    await resumed.run({ eachMessage: again.eachMessage });
    const latest = collect();
    const late = restarted.consumer({ groupId: uniqueName('late') });
    await late.subscribe({ topic, fromBeginning: false });
    await late.run({ eachMessage: latest.eachMessage });
    await restarted.producer().send({ topic, messages: [{ key: 'k5', value: '5' }] });
    await eventually(() => (again.got.length === 2 && latest.got.length === 1 ? true : undefined));
    expect(again.got.map((g) => g.message.value!.toString()).sort()).toEqual(['4', '5']);
    expect(latest.got[0]!.message.value!.toString()).toBe('5');
    const lag = await restarted.admin().fetchOffsets({ groupId: group, topics: [topic] });
    const ends = await restarted.admin().fetchTopicOffsets(topic);
    expect(lag[0]!.partitions.map((p) => p.offset).sort()).toEqual(ends.map((e) => e.high).sort());
    await Promise.all([resumed.disconnect(), late.disconnect()]);
  });

  it('carries headers and null keys; refuses Kafka transactions rather than faking them', async () => {
    const topic = uniqueName('headers');
    await bus.producer().send({ topic, messages: [{ value: 'v', headers: { 'ce-id': 'abc', bin: Buffer.from([1, 2]) } }] });
    const { got, eachMessage } = collect();
    const consumer = bus.consumer({ groupId: uniqueName('g') });
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage });
    await eventually(() => (got.length === 1 ? true : undefined));
    await consumer.disconnect();
    expect(got[0]!.message.key).toBeNull();
    expect(got[0]!.message.headers['ce-id']!.toString()).toBe('abc');
    expect([...got[0]!.message.headers['bin']!]).toEqual([1, 2]);
    await expect(bus.producer().transaction()).rejects.toThrow(/no Kafka transactions/);
  });
});
