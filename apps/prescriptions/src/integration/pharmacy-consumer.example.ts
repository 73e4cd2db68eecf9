/**
 * A pharmacy system's side of the pharmacy topic, small enough to copy: it reads the NCPDP SCRIPT
 * XML of the messages keyed by its own NCPDP id (CloudEvents binary mode: the record value is the
 * XML, `content-type: application/xml`, attributes in `ce_` headers) and answers in SCRIPT XML on
 * the inbound topic (here: Status and RxFill to a NewRx, CancelRxResponse to a CancelRx). Run it
 * against a local broker:
 *
 *   NCPDP_ID=1234567 KAFKA_BROKERS=127.0.0.1:9092 ./tools/ts-node.sh apps/prescriptions/src/integration/pharmacy-consumer.example.ts
 *
 * Kafka authorises by topic, not by key: a pharmacy reading this topic directly can see other
 * pharmacies' keys, and the messages now carry the whole prescription (SCRIPT). In production
 * pharmacies read through a gateway, per-pharmacy topics, or the polling endpoint
 * GET /v1/pharmacies/{ncpdpId}/script-messages, which only shows a pharmacy its own.
 */
import { randomUUID } from 'node:crypto';
import { PHARMACY_TOPIC, PharmacyScriptReceived, readScriptKafkaRecord, toKafkaRecord, type ScriptCloudEvent } from '@carebridge/contracts';
import { consumerGroupTiming, createKafka, type MessageBroker } from '@carebridge/messaging';
import type { PharmacyMessage } from '../prescription/pharmacy-messages.rules';
import type { ScriptVersion } from '../prescription/prescription.events';
import { renderPharmacyReply } from '../prescription/script/pharmacy-side.mapping';
import { parseScriptXml, textAt } from '../prescription/script/script-parse.mapping';

/** What a pharmacy system needs of a message it received to answer it. */
export interface ReceivedScript {
  readonly event: ScriptCloudEvent;
  readonly ncpdpId: string;
  readonly partition: number;
  readonly offset: string;
  readonly messageId: string;
  readonly prescriberNpi: string;
  readonly quantity: number | null;
}

export interface PharmacyConsumerOptions {
  readonly kafka: MessageBroker;
  readonly groupId: string;
  /** This pharmacy's NCPDP id; absent: every key (the demo pharmacy stands in for them all). */
  readonly ncpdpId?: string;
  /** What to answer (default: Status and RxFill dispensed to a NewRx, CancelRxResponse approved to a CancelRx); false: nothing. */
  readonly answer?: ((received: ReceivedScript) => PharmacyMessage[]) | false;
  /** Called with every SCRIPT message read (after it was answered). */
  readonly onMessage?: (received: ReceivedScript) => void;
}

export function defaultAnswer(received: ReceivedScript): PharmacyMessage[] {
  switch (received.event.message) {
    case 'NewRx':
      return [
        { kind: 'Status', messageId: randomUUID() },
        { kind: 'RxFill', messageId: randomUUID(), fillStatus: 'dispensed', quantityDispensed: received.quantity, reason: null },
      ];
    case 'CancelRx':
      return [{ kind: 'CancelRxResponse', messageId: randomUUID(), approved: true, reason: null }];
    default:
      return [];
  }
}

export async function runPharmacyConsumer(options: PharmacyConsumerOptions): Promise<{ stop(): Promise<void> }> {
  const producer = options.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  // Rejoins within seconds of a broker restart (kafkajs' default 30 s session would hold the group that long).
  const consumer = options.kafka.consumer({ groupId: options.groupId, ...consumerGroupTiming() });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [PHARMACY_TOPIC], fromBeginning: true });
  const answer = options.answer === undefined ? defaultAnswer : options.answer;
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const key = message.key?.toString();
      if (!key || (options.ncpdpId !== undefined && key !== options.ncpdpId)) return; // another pharmacy's message
      let event: ScriptCloudEvent | null;
      let root: ReturnType<typeof parseScriptXml>;
      try {
        event = readScriptKafkaRecord(message.headers, message.value);
        if (event === null) return; // a JSON event from before SCRIPT XML
        root = parseScriptXml(event.xml);
      } catch (error) {
        // Not a message this pharmacy can read (another producer on a shared broker, broken XML):
        // skipped and said, never a crash loop that holds back every later message.
        process.stderr.write(`${JSON.stringify({ level: 'warn', logger: 'pharmacy-consumer', message: 'message skipped: not SCRIPT it can read', partition, offset: message.offset, error: (error as Error).message })}\n`);
        return;
      }
      const received: ReceivedScript = {
        event,
        ncpdpId: key,
        partition,
        offset: message.offset,
        messageId: textAt(root, 'Header', 'MessageID') ?? event.id,
        prescriberNpi: textAt(root, 'Header', 'From') ?? '',
        quantity: quantityOf(textAt(root, 'Body', event.message, 'MedicationPrescribed', 'Quantity', 'Value')),
      };
      const replies = answer === false ? [] : answer(received);
      if (replies.length > 0) {
        const records = replies.map((reply) => replyRecord(received, reply));
        await producer.send({ topic: records[0]!.topic, messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })) });
      }
      options.onMessage?.(received);
    },
  });
  return {
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

const quantityOf = (value: string | undefined): number | null => (value === undefined || !Number.isFinite(Number(value)) ? null : Number(value));

function replyRecord(received: ReceivedScript, reply: PharmacyMessage) {
  const version = received.event.scriptversion as ScriptVersion;
  const xml = renderPharmacyReply(
    {
      version,
      fromNcpdpId: received.ncpdpId,
      toNpi: received.prescriberNpi,
      relatesToMessageId: received.messageId,
      prescriberOrderNumber: received.event.subject,
      sentAt: new Date().toISOString(),
    },
    reply,
  );
  return toKafkaRecord(
    PharmacyScriptReceived,
    { prescriptionId: received.event.subject, pharmacyNcpdpId: received.ncpdpId, scriptVersion: version, xml },
    { id: randomUUID(), time: new Date(), correlationId: received.event.correlationid, causationId: received.event.id, actor: { id: `ncpdp:${received.ncpdpId}`, role: 'pharmacy' } },
  );
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
    onMessage: ({ event }) => console.log(JSON.stringify({ received: event.message, scriptVersion: event.scriptversion, subject: event.subject, bytes: event.xml.length })),
  }).then((running) => {
    const stop = () => void running.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
