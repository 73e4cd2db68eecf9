/**
 * A demo pharmacy system inside `npm start` (development only): it reads the pharmacy topic (the
 * in-process bus, or the real broker in the distributed profile) as a pharmacy integrator's
 * consumer would (consumer group `demo-pharmacy`, every NCPDP id's key). It consumes the NCPDP
 * SCRIPT XML of each message (CloudEvents binary mode, `application/xml`), keeps what each
 * pharmacy received, and shows it at `GET /dev/pharmacies/:ncpdpId/messages`. By default it
 * answers nothing by itself: a pharmacy fills through the prescriptions service's REST API with a
 * pharmacy token, as `npm run tour` does. With `answer: true` it answers in SCRIPT XML on the
 * inbound topic (Status and RxFill to a NewRx, CancelRxResponse to a CancelRx), as the round-trip
 * test uses it.
 *
 * The inbox lives in memory: after a restart it shows what arrives from then on (the group's
 * offsets are kept in the data folder, so old messages are not delivered again).
 */
import type { Express } from 'express';
import type { MessageBroker } from '@carebridge/messaging';
import { PHARMACY_TOPIC, SCRIPT_XML_CONTENT_TYPE } from '@carebridge/contracts';
import { defaultAnswer, runPharmacyConsumer, type ReceivedScript } from '../../apps/prescriptions/src/integration/pharmacy-consumer.example';
import type { PharmacyMessage } from '../../apps/prescriptions/src/prescription/pharmacy-messages.rules';

export interface PharmacyInboxMessage {
  readonly receivedAt: string;
  readonly offset: string;
  readonly partition: number;
  readonly type: string;
  /** The SCRIPT message: NewRx, CancelRx, RxRenewalResponse, RxChangeResponse. */
  readonly message: string;
  readonly id: string;
  readonly subject: string;
  readonly scriptVersion: string;
  readonly datacontenttype: typeof SCRIPT_XML_CONTENT_TYPE;
  /** The message body as received: the SCRIPT XML. */
  readonly xml: string;
}

export interface DemoPharmacyOptions {
  readonly groupId?: string;
  /** Answer in SCRIPT XML: true for the default answers to NewRx and CancelRx, or a function choosing them (default: none). */
  readonly answer?: boolean | ((received: ReceivedScript) => PharmacyMessage[]);
}

const MAX_PER_PHARMACY = 200;

export class DemoPharmacy {
  private readonly inbox = new Map<string, PharmacyInboxMessage[]>();
  private stopConsumer?: () => Promise<void>;
  private readonly groupId: string;

  constructor(private readonly options: DemoPharmacyOptions = {}) {
    this.groupId = options.groupId ?? 'demo-pharmacy';
  }

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
      res.json({ ncpdpId, consumerGroup: this.groupId, topic: PHARMACY_TOPIC, messages: this.received(ncpdpId) });
    });
  }

  /** What the pharmacy of this NCPDP id received, oldest first. */
  received(ncpdpId: string): readonly PharmacyInboxMessage[] {
    return this.inbox.get(ncpdpId) ?? [];
  }

  /** The in-process bus (embedded profile) or the real broker (distributed profile). */
  async start(bus: MessageBroker): Promise<void> {
    const running = await runPharmacyConsumer({
      kafka: bus,
      groupId: this.groupId,
      answer: this.options.answer === true ? defaultAnswer : (this.options.answer ?? false),
      onMessage: (received) => this.keep(received),
    });
    this.stopConsumer = () => running.stop();
  }

  private keep({ event, ncpdpId, partition, offset }: ReceivedScript): void {
    const list = this.inbox.get(ncpdpId) ?? [];
    if (list.some((m) => m.id === event.id)) return; // redelivered (at least once)
    list.push({
      receivedAt: new Date().toISOString(),
      offset,
      partition,
      type: event.type,
      message: event.message,
      id: event.id,
      subject: event.subject,
      scriptVersion: event.scriptversion,
      datacontenttype: SCRIPT_XML_CONTENT_TYPE,
      xml: event.xml,
    });
    if (list.length > MAX_PER_PHARMACY) list.shift();
    this.inbox.set(ncpdpId, list);
  }

  async stop(): Promise<void> {
    await this.stopConsumer?.();
  }
}
