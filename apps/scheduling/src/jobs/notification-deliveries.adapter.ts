import type { Pool } from 'pg';
import { quoteIdent } from '@carebridge/event-store';

export type DeliveryKind = 'reminder' | 'no-show' | 'waitlist-offer';
export type DeliveryChannel = 'sms' | 'email';

export interface Delivery {
  readonly deliveryId: string;
  /** The appointment of a reminder or no-show invitation; the waitlist entry of an offer. */
  readonly subjectId: string;
  readonly kind: DeliveryKind;
  readonly channel: DeliveryChannel;
  readonly deliveredAt: Date;
}

/** One message of one job on one channel: the job id names the reminder, no-show or offer, so a retry finds it. */
export const deliveryId = (jobId: string, channel: DeliveryChannel): string => `${jobId}_${channel}`;

/**
 * Which messages the notifier has accepted, in a plain mutable table beside the event store: the
 * event records that a reminder is due, this row that it went out. Written after the send, in its
 * own statement (no transaction is held while the notifier is awaited: the embedded profile runs on
 * a single PGlite session). Ids and times only, no contact details.
 */
export class NotificationDeliveries {
  private readonly table: string;

  constructor(
    private readonly pool: Pick<Pool, 'query'>,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.notification_deliveries`;
  }

  async delivered(deliveryIds: readonly string[]): Promise<ReadonlySet<string>> {
    if (deliveryIds.length === 0) return new Set();
    const { rows } = await this.pool.query<{ delivery_id: string }>(`SELECT delivery_id FROM ${this.table} WHERE delivery_id = ANY($1::text[])`, [
      [...deliveryIds],
    ]);
    return new Set(rows.map((row) => row.delivery_id));
  }

  async record(delivery: Delivery): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} (delivery_id, subject_id, kind, channel, delivered_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (delivery_id) DO NOTHING`,
      [delivery.deliveryId, delivery.subjectId, delivery.kind, delivery.channel, delivery.deliveredAt],
    );
  }
}
