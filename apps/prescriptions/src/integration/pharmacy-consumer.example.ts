/**
 * A pharmacy system's side of the pharmacy topic, small enough to copy: it reads the messages
 * keyed by its own NCPDP id, and answers on the inbound topic (here: Status at once, then an
 * RxFill). Run it against a local broker:
 *
 *   NCPDP_ID=1234567 KAFKA_BROKERS=127.0.0.1:9092 ./tools/ts-node.sh apps/prescriptions/src/integration/pharmacy-consumer.example.ts
 *
 * Kafka authorises by topic, not by key: a pharmacy reading this topic directly can see other
 * pharmacies' keys. In production pharmacies read through a gateway (or per-pharmacy topics).
 */
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import {
  CancelRxSent,
  ContractRegistry,
  NewRxTransmitted,
  PHARMACY_TOPIC,
  PharmacyMessageReceived,
  RxChangeResponseSent,
  RxRenewalResponseSent,
  toKafkaRecord,
  type CloudEvent,
} from '@carebridge/contracts';
import { CONSUMER_GROUP_TIMING, createKafka } from '@carebridge/messaging';

export interface PharmacyConsumerOptions {
  readonly kafka: Kafka;
  readonly ncpdpId: string;
  readonly groupId: string;
  /** Called with every message for this pharmacy (after it was answered). */
  readonly onMessage?: (event: CloudEvent<unknown>, key: string) => void;
  /** What to answer to a NewRx; default Status then RxFill dispensed. */
  readonly answerNewRx?: (data: typeof NewRxTransmitted.Data) => (typeof PharmacyMessageReceived.Data)['message'][];
}

export async function runPharmacyConsumer(options: PharmacyConsumerOptions): Promise<{ stop(): Promise<void> }> {
  const registry = new ContractRegistry([NewRxTransmitted, CancelRxSent, RxRenewalResponseSent, RxChangeResponseSent]);
  const producer = options.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  // Rejoins within seconds of a broker restart (kafkajs' default 30 s session would hold the group that long).
  const consumer = options.kafka.consumer({ groupId: options.groupId, ...CONSUMER_GROUP_TIMING });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [PHARMACY_TOPIC], fromBeginning: true });

  const answer = async (prescriptionId: string, message: (typeof PharmacyMessageReceived.Data)['message'], correlationId: string) => {
    const record = toKafkaRecord(
      PharmacyMessageReceived,
      { prescriptionId, pharmacyNcpdpId: options.ncpdpId, message },
      { id: randomUUID(), time: new Date(), correlationId, actor: { id: `ncpdp:${options.ncpdpId}`, role: 'pharmacy' } },
    );
    await producer.send({ topic: record.topic, messages: [{ key: record.key, value: record.value, headers: record.headers }] });
  };

  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = message.key?.toString();
      if (key !== options.ncpdpId || !message.value) return; // another pharmacy's message
      const event = registry.decode(message.value);
      if (event.type === NewRxTransmitted.type) {
        const data = event.data as typeof NewRxTransmitted.Data;
        const replies = options.answerNewRx?.(data) ?? [
          { kind: 'Status' as const, messageId: randomUUID() },
          { kind: 'RxFill' as const, messageId: randomUUID(), fillStatus: 'dispensed' as const, quantityDispensed: data.quantity.value, reason: null },
        ];
        for (const reply of replies) await answer(data.prescriptionId, reply, event.correlationid);
      } else if (event.type === CancelRxSent.type) {
        const data = event.data as typeof CancelRxSent.Data;
        await answer(data.prescriptionId, { kind: 'CancelRxResponse', messageId: randomUUID(), approved: true, reason: null }, event.correlationid);
      }
      options.onMessage?.(event, key);
    },
  });
  return {
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

if (require.main === module) {
  const ncpdpId = process.env.NCPDP_ID ?? '';
  if (!/^\d{7}$/.test(ncpdpId)) {
    console.error('NCPDP_ID must be the 7-digit NCPDP Provider ID of your pharmacy');
    process.exit(64);
  }
  const kafka = createKafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), clientId: `pharmacy-${ncpdpId}` });
  void runPharmacyConsumer({
    kafka,
    ncpdpId,
    groupId: `pharmacy-${ncpdpId}`,
    onMessage: (event) => console.log(JSON.stringify({ received: event.type, subject: event.subject, data: event.data })),
  }).then((running) => {
    const stop = () => void running.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
