/**
 * A demo pharmacy system inside `npm start` (development only): it reads the pharmacy topic (the
 * in-process bus, or the real broker in the distributed profile) as a pharmacy integrator's consumer would (consumer group
 * `demo-pharmacy`, every NCPDP id's key), keeps what each pharmacy received, and shows it at
 * `GET /dev/pharmacies/:ncpdpId/messages`. It answers nothing by itself: a pharmacy fills through
 * the prescriptions service's REST API (`POST /prescriptions/v1/prescriptions/:id/pharmacy-messages`)
 * with a pharmacy token, as `npm run tour` does.
 *
 * The inbox lives in memory: after a restart it shows what arrives from then on (the group's
 * offsets are kept in the data folder, so old messages are not delivered again).
 */
import type { Express } from 'express';
import { CancelRxSent, ContractRegistry, NewRxTransmitted, PHARMACY_TOPIC, RxChangeResponseSent, RxRenewalResponseSent } from '@carebridge/contracts';
import { CONSUMER_GROUP_TIMING } from '@carebridge/messaging';
import type { Kafka } from 'kafkajs';

export interface PharmacyInboxMessage {
  readonly receivedAt: string;
  readonly offset: string;
  readonly partition: number;
  readonly type: string;
  readonly id: string;
  readonly subject: string | undefined;
  readonly data: unknown;
}

const MAX_PER_PHARMACY = 200;

export class DemoPharmacy {
  private readonly inbox = new Map<string, PharmacyInboxMessage[]>();
  private stopConsumer?: () => Promise<void>;

  /** `GET /dev/pharmacies/:ncpdpId/messages`: what the pharmacy received, oldest first. */
  mount(app: Express): void {
    app.get('/dev/pharmacies/:ncpdpId/messages', (req, res) => {
      const { ncpdpId } = req.params;
      if (!/^\d{7}$/.test(ncpdpId)) {
        res.status(400).type('application/problem+json').json({
          title: 'Bad request',
          status: 400,
          errors: [{ field: 'ncpdpId', message: 'must be a 7-digit NCPDP Provider ID' }],
        });
        return;
      }
      res.json({ ncpdpId, consumerGroup: 'demo-pharmacy', topic: PHARMACY_TOPIC, messages: this.inbox.get(ncpdpId) ?? [] });
    });
  }

  /** The in-process bus (embedded profile) or the real broker (distributed profile). */
  async start(bus: Kafka): Promise<void> {
    const registry = new ContractRegistry([NewRxTransmitted, CancelRxSent, RxRenewalResponseSent, RxChangeResponseSent]);
    // The platform's group timing: on kafkajs' defaults a broker restart held this group 30 s.
    const consumer = bus.consumer({ groupId: 'demo-pharmacy', ...CONSUMER_GROUP_TIMING });
    await consumer.connect();
    await consumer.subscribe({ topics: [PHARMACY_TOPIC], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const key = message.key?.toString();
        if (!key || !message.value) return;
        let event: ReturnType<ContractRegistry['decode']>;
        try {
          event = registry.decode(message.value);
        } catch (error) {
          // Not ours to judge (another producer's message on a shared broker, a type it does not
          // read): skipped and said, never a crash loop that stops every later NewRx (the
          // distributed tour met one on the shared broker: step 17 waited in vain).
          process.stderr.write(
            `${JSON.stringify({ level: 'warn', logger: 'demo-pharmacy', message: 'message skipped: not a pharmacy event it reads', partition, offset: message.offset, error: (error as Error).message })}\n`,
          );
          return;
        }
        const list = this.inbox.get(key) ?? [];
        if (list.some((m) => m.id === event.id)) return; // redelivered (at least once)
        list.push({
          receivedAt: new Date().toISOString(),
          offset: message.offset,
          partition,
          type: event.type,
          id: event.id,
          subject: event.subject,
          data: event.data,
        });
        if (list.length > MAX_PER_PHARMACY) list.shift();
        this.inbox.set(key, list);
      },
    });
    this.stopConsumer = async () => {
      await consumer.stop();
      await consumer.disconnect();
    };
  }

  async stop(): Promise<void> {
    await this.stopConsumer?.();
  }
}
