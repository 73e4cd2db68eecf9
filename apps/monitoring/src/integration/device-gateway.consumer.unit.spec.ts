import { randomUUID } from 'node:crypto';
import { DeviceReadingsReported, toKafkaRecord } from '@carebridge/contracts';
import type { EachBatchPayload, Kafka } from 'kafkajs';
import type { ReadingIntake } from '../readings/reading-intake.handler';
import { DeviceGatewayConsumer } from './device-gateway.consumer';

// Issue 21: during a PostgreSQL outage the device-gateway consumer's batch failed, kafkajs retried
// it a few times and crashed the consumer out of its group; now the partition waits for the database.
function fakeKafka() {
  let eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  const sent: unknown[] = [];
  const kafka = {
    producer: () => ({ connect: async () => undefined, disconnect: async () => undefined, send: async (r: unknown) => void sent.push(r) }),
    consumer: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      subscribe: async () => undefined,
      run: async (options: { eachBatch: typeof eachBatch }) => void (eachBatch = options.eachBatch),
    }),
  } as unknown as Kafka;
  return { kafka, sent, deliver: (payload: EachBatchPayload) => eachBatch!(payload) };
}

function batchOf(resolved: string[]): EachBatchPayload {
  const record = toKafkaRecord(
    DeviceReadingsReported,
    { deviceId: randomUUID(), readings: [{ type: 'heart-rate', measuredAt: new Date().toISOString(), value: 72 }] },
    { id: randomUUID(), time: new Date(), correlationId: 'c', actor: { id: 'gateway', role: 'system' } },
  );
  const message = { key: Buffer.from(record.key), value: Buffer.from(record.value), offset: '7', headers: {}, timestamp: '0', attributes: 0 };
  return {
    batch: { topic: DeviceReadingsReported.topic, partition: 0, messages: [message], firstOffset: () => '7' },
    heartbeat: async () => undefined,
    commitOffsetsIfNecessary: async () => undefined,
    resolveOffset: (offset: string) => void resolved.push(offset),
    isRunning: () => true,
    isStale: () => false,
  } as unknown as EachBatchPayload;
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('the device-gateway consumer while PostgreSQL is down', () => {
  it('retries the readings until the database answers, then moves the offset, dead-lettering nothing', async () => {
    const { kafka, sent, deliver } = fakeKafka();
    let calls = 0;
    const intake = { ingest: async () => (++calls <= 3 ? Promise.reject(refused()) : { stored: 1 }) } as unknown as ReadingIntake;
    const consumer = new DeviceGatewayConsumer({ kafka, groupId: 'g', intake, clock: { now: () => new Date() }, infrastructureRetry: { initialMs: 1, maxMs: 2 } });
    await consumer.start();
    const resolved: string[] = [];

    await deliver(batchOf(resolved));

    expect(calls).toBe(4);
    expect(resolved).toEqual(['7']);
    expect(sent).toEqual([]);
    expect(consumer.stats).toMatchObject({ messages: 1, readings: 1, deadLettered: 0, infrastructureWaits: 3 });
  });

  it('lets any other failure through to kafkajs (redelivery), without moving the offset', async () => {
    const { kafka, deliver } = fakeKafka();
    const intake = { ingest: async () => Promise.reject(new TypeError('a bug')) } as unknown as ReadingIntake;
    const consumer = new DeviceGatewayConsumer({ kafka, groupId: 'g', intake, clock: { now: () => new Date() } });
    await consumer.start();
    const resolved: string[] = [];

    await expect(deliver(batchOf(resolved))).rejects.toThrow('a bug');
    expect(resolved).toEqual([]);
  });
});
