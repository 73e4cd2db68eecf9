import type { MessageBroker } from '@carebridge/messaging';
import type { KafkaRecord } from '@carebridge/contracts';

/**
 * Produces records (from `toKafkaRecord`) as another service's relay would: in order, each one
 * `times` times (a redelivery), with a producer of its own that is disconnected afterwards.
 */
export async function sendRecords(kafka: MessageBroker, records: readonly KafkaRecord[], times = 1): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (const r of records) {
      for (let i = 0; i < times; i++) {
        await producer.send({ topic: r.topic, messages: [{ key: r.key, value: r.value, headers: r.headers }] });
      }
    }
  } finally {
    await producer.disconnect();
  }
}
