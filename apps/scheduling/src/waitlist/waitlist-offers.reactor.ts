import type { Pool, PoolClient } from 'pg';
import { type PostgresEventStore, Projection, type RecordedEvent, deterministicEventId, handle, quoteIdent } from '@carebridge/event-store';
import { type CommandMetadata, isDomainError } from '@carebridge/shared-kernel';
import type { Clock } from '../clock.port';
import type { WaitlistOffer } from '../notifications/notification.port';
import { licensedOn } from '../appointment/licensure.rules';
import { providerDayDecider } from '../provider-day/provider-day.decider';
import type { ProviderLicence } from '../provider/provider.events';
import type { Interval, ProviderDayEvent, SlotHeld } from '../provider-day/provider-day.events';
import { termsAt } from '../provider-day/provider-terms.handler';
import type { SchedulingPolicy } from '../scheduling.policy';
import { waitlistDecider } from './waitlist.decider';
import type { WaitlistEvent, WaitlistSlotOffered } from './waitlist.events';
import { waitlistStreamId } from './waitlist.stream';

export interface FreedSlot extends Interval {
  readonly providerId: string;
}

export interface WaitlistOffersOptions {
  readonly store: PostgresEventStore;
  readonly pool: Pool;
  readonly clock: Clock;
  readonly policy: SchedulingPolicy;
  /** Tells the patient of the offer (a job, retried until delivered; idempotent by hold id). */
  readonly scheduleOffer?: (offer: Omit<WaitlistOffer, 'deliveryId' | 'channels'>) => Promise<void>;
  /** Runs `offerNext(slot)` again at `atMs` (a delayed job), so an unused offer passes to the next patient. */
  readonly scheduleExpiry?: (slot: FreedSlot, atMs: number) => Promise<void>;
  readonly onError?: (error: unknown) => void;
}

const SYSTEM = { id: 'scheduling-waitlist', role: 'system' } as const;

/**
 * Keeps the waitlist read model and offers freed slots (cancel, reschedule) to matching entries in
 * the order they joined: the slot is held for the patient (an ordinary hold on the provider-day
 * stream, so it competes fairly with direct bookings), the offer is recorded on the entry (each
 * entry is offered a slot once), and when the hold expires unused the next entry is offered it.
 * Command ids are derived from the entry and the slot, so a replay appends nothing new; the
 * notice to the patient and the expiry are jobs named by the hold, scheduled again on a replay
 * (a failure between the offer and its jobs is healed when the batch is followed again).
 */
export class WaitlistOffers {
  private readonly projection: Projection;
  private readonly reactions: Projection;
  private readonly table: string;
  private readonly providers: string;

  constructor(private readonly options: WaitlistOffersOptions) {
    this.table = `${quoteIdent(options.store.schema)}.waitlist_entries`;
    this.providers = `${quoteIdent(options.store.schema)}.slot_search_providers`;
    this.projection = new Projection({
      name: 'waitlist',
      store: options.store,
      pool: options.pool,
      handle: (events, client) => this.follow(events, client),
      ...(options.onError && { onError: options.onError }),
    });
    // Offers append to other streams, notify and schedule expiry jobs: effects with no transaction
    // held (idempotent by commandId), after the entries table has caught up with the same events.
    this.reactions = new Projection({
      name: 'waitlist-offers',
      store: options.store,
      pool: options.pool,
      effect: async (events) => {
        await this.projection.waitFor(events.at(-1)!.globalPosition, 30_000);
        for (const recorded of events) {
          if (!recorded.streamId.startsWith('provider-day-')) continue;
          await this.onDayEvent({ type: recorded.type, data: recorded.data } as ProviderDayEvent, recorded.eventId);
        }
      },
      ...(options.onError && { onError: options.onError }),
    });
  }

  start(): void {
    this.projection.start();
    this.reactions.start();
  }

  async stop(): Promise<void> {
    await this.reactions.stop();
    await this.projection.stop();
  }

  waitFor(position: number): Promise<void> {
    return this.projection.waitFor(position).then(() => this.reactions.waitFor(position));
  }

  private async follow(events: readonly RecordedEvent[], client: PoolClient): Promise<void> {
    for (const recorded of events) {
      if (recorded.streamId.startsWith('waitlist-')) {
        await this.applyEntryEvent({ type: recorded.type, data: recorded.data } as WaitlistEvent, recorded.globalPosition, client);
      }
    }
  }

  private async applyEntryEvent(event: WaitlistEvent, position: number, client: PoolClient): Promise<void> {
    switch (event.type) {
      case 'WaitlistJoined': {
        const d = event.data;
        await client.query(
          `INSERT INTO ${this.table} (entry_id, patient_id, provider_id, specialty, modality, patient_state, from_at, to_at, joined_at, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'waiting') ON CONFLICT DO NOTHING`,
          [d.entryId, d.patientId, d.providerId ?? null, d.specialty ?? null, d.modality, d.patientState, d.from, d.to, position],
        );
        return;
      }
      case 'WaitlistSlotOffered':
        await client.query(`UPDATE ${this.table} SET offered = array_append(offered, $2), hold_ids = array_append(hold_ids, $3) WHERE entry_id = $1`, [
          event.data.entryId,
          `${event.data.providerId}@${event.data.start}`,
          event.data.holdId,
        ]);
        return;
      case 'WaitlistFulfilled':
        await client.query(`UPDATE ${this.table} SET status = 'fulfilled' WHERE entry_id = $1`, [event.data.entryId]);
        return;
      default: {
        const exhaustive: never = event;
        throw new Error(`unhandled event ${JSON.stringify(exhaustive)}`);
      }
    }
  }

  private async onDayEvent(event: ProviderDayEvent, eventId: string): Promise<void> {
    const client = this.options.pool;
    switch (event.type) {
      // The lead's time freed: cancelled, or moved away within the day or to another day.
      case 'AppointmentTimeReleased':
        return this.offerNext({ providerId: event.data.providerId, start: event.data.start, end: event.data.end }, client);
      case 'AppointmentTimeMoved':
        return this.offerNext({ providerId: event.data.providerId, ...event.data.from }, client);
      case 'AppointmentTimeReserved': {
        if (event.data.holdId === undefined) return;
        const { rows } = await client.query<{ entry_id: string }>(`SELECT entry_id FROM ${this.table} WHERE $1 = ANY (hold_ids)`, [event.data.holdId]);
        for (const row of rows) {
          await handle(this.options.store, waitlistStreamId(row.entry_id), waitlistDecider, {
            type: 'FulfilWaitlistEntry',
            data: { entryId: row.entry_id, holdId: event.data.holdId, appointmentId: event.data.appointmentId },
            metadata: this.metadata(`waitlist-fulfil:${eventId}`),
          });
        }
        return;
      }
      default:
        return;
    }
  }

  /**
   * Offers `slot` to the first waiting entry that matches it and has not been offered it. A
   * telehealth entry also needs the provider's licence in the patient's state still valid at the
   * slot's start (as the booking checks it), so no offer is made that the booking would refuse.
   */
  async offerNext(slot: FreedSlot, db: Pick<PoolClient, 'query'> = this.options.pool): Promise<void> {
    if (Date.parse(slot.start) <= this.options.clock.now().getTime()) return;
    const key = `${slot.providerId}@${slot.start}`;
    if (await this.resumeLiveOffer(slot, key, db)) return;
    const { rows } = await db.query<{ entry_id: string; patient_id: string; modality: string; patient_state: string; licences: ProviderLicence[] }>(
      `SELECT w.entry_id, w.patient_id, w.modality, w.patient_state, p.licences FROM ${this.table} w JOIN ${this.providers} p ON p.provider_id = $1
        WHERE w.status = 'waiting' AND NOT ($2 = ANY (w.offered))
          AND (w.provider_id = $1 OR (w.provider_id IS NULL AND w.specialty = ANY (p.specialties)))
          AND w.modality = ANY (p.modalities)
          AND (w.modality = 'in-person' OR w.patient_state = ANY (p.licensed_states))
          AND w.from_at <= $3 AND $3 < w.to_at
        ORDER BY w.joined_at LIMIT 50`,
      [slot.providerId, key, slot.start],
    );
    // Expiries known (the profile's licences): valid at the start; none known: licensed_states decided.
    const entry = rows.find((r) => r.modality === 'in-person' || r.licences.length === 0 || licensedOn(r.licences, r.patient_state, slot.start));
    if (entry === undefined) return;
    const { streamId, terms } = await termsAt(this.options.store, slot.providerId, slot.start);
    const holdId = deterministicEventId(streamId, `waitlist:${entry.entry_id}:${key}`, 0);
    let expiresAt: string;
    try {
      const held = await handle(this.options.store, streamId, providerDayDecider, {
        type: 'HoldSlot',
        data: { holdId, patientId: entry.patient_id, slot: { start: slot.start, end: slot.end }, holdMinutes: this.options.policy.waitlistOfferMinutes, terms },
        metadata: this.metadata(`waitlist-hold:${entry.entry_id}:${key}`),
      });
      expiresAt = (held.newEvents[0]!.data as SlotHeld['data']).expiresAt;
    } catch (error) {
      if (isDomainError(error)) return; // booked by someone else meanwhile, or no longer offered
      throw error;
    }
    const offered = await handle(this.options.store, waitlistStreamId(entry.entry_id), waitlistDecider, {
      type: 'OfferWaitlistSlot',
      data: { entryId: entry.entry_id, providerId: slot.providerId, start: slot.start, end: slot.end, holdId, expiresAt },
      metadata: this.metadata(`waitlist-offer:${entry.entry_id}:${key}`),
    });
    // Nothing new and no earlier offer of this slot to this entry (the decider declined it).
    if (offered.newEvents.length === 0) return;
    await this.options.scheduleOffer?.({ entryId: entry.entry_id, patientId: entry.patient_id, providerId: slot.providerId, start: slot.start, holdId, expiresAt });
    await this.options.scheduleExpiry?.(slot, Date.parse(expiresAt) + 1_000);
  }

  /**
   * An offer of this slot already made and still held (its jobs may not have been scheduled: the
   * batch failed after the offer was recorded, and is followed again): schedules its notice and
   * expiry again (both idempotent by hold) instead of offering the slot to someone else.
   */
  private async resumeLiveOffer(slot: FreedSlot, key: string, db: Pick<PoolClient, 'query'>): Promise<boolean> {
    const { rows } = await db.query<{ entry_id: string }>(`SELECT entry_id FROM ${this.table} WHERE status = 'waiting' AND $1 = ANY (offered)`, [key]);
    const now = this.options.clock.now().getTime();
    for (const row of rows) {
      const offered = (await this.options.store.readStream(waitlistStreamId(row.entry_id)))
        .filter((e) => e.type === 'WaitlistSlotOffered')
        .map((e) => e.data as WaitlistSlotOffered['data'])
        .find((o) => o.providerId === slot.providerId && o.start === slot.start);
      if (offered === undefined || Date.parse(offered.expiresAt) <= now) continue;
      const { entryId, patientId, providerId, start, holdId, expiresAt } = offered;
      await this.options.scheduleOffer?.({ entryId, patientId, providerId, start, holdId, expiresAt });
      await this.options.scheduleExpiry?.(slot, Date.parse(expiresAt) + 1_000);
      return true;
    }
    return false;
  }

  private metadata(commandId: string): CommandMetadata {
    return { now: this.options.clock.now(), actor: SYSTEM, correlationId: commandId, commandId, purpose: 'treatment' };
  }
}
