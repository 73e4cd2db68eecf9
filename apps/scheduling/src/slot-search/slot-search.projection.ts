import { DateTime } from 'luxon';
import type { PoolClient } from 'pg';
import { type RecordedEvent, quoteIdent } from '@carebridge/event-store';
import { datesBetween, slotsOnDate } from '../provider/availability.calendar';
import { type ProviderState, licencesOf, providerDecider } from '../provider/provider.decider';
import type { Availability, Modality, ProviderEvent, ProviderLicence } from '../provider/provider.events';
import { licensedOn } from '../appointment/licensure.rules';
import type { ProviderDayEvent } from '../provider-day/provider-day.events';

export const SLOT_SEARCH_PROJECTION = 'slot-search';

/** Keeps who offers what (providers and their availability) and which times are taken. */
export function slotSearchHandler(schema: string) {
  const providers = `${quoteIdent(schema)}.slot_search_providers`;
  const busy = `${quoteIdent(schema)}.slot_search_busy`;
  const sessions = { sessions: `${quoteIdent(schema)}.group_sessions`, seats: `${quoteIdent(schema)}.group_session_seats` };
  return async (events: readonly RecordedEvent[], client: PoolClient): Promise<void> => {
    for (const recorded of events) {
      if (recorded.streamId.startsWith('provider-day-')) {
        const event = { type: recorded.type, data: recorded.data } as ProviderDayEvent;
        await applyDayEvent(event, client, busy);
        await applySeatEvent(event, client, sessions);
      } else if (recorded.streamId.startsWith('provider-')) {
        await applyProviderEvent({ type: recorded.type, data: recorded.data } as ProviderEvent, client, providers);
      }
    }
  };
}

async function applyProviderEvent(event: ProviderEvent, client: PoolClient, table: string): Promise<void> {
  if (event.type === 'ProviderRegistered') {
    const d = event.data;
    const state = providerDecider.evolve(providerDecider.initialState(), event);
    await client.query(
      `INSERT INTO ${table} (provider_id, specialties, licensed_states, modalities, time_zone, availability, licences)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (provider_id) DO NOTHING`,
      [
        d.providerId,
        d.specialties,
        d.licensedStates,
        d.modalities,
        d.timeZone,
        JSON.stringify(state.status === 'active' ? state.availability : null),
        // Every licensed state with its expiry where known, as the booking checks it.
        JSON.stringify(state.status === 'active' ? licencesOf(state.profile) : []),
      ],
    );
    return;
  }
  if (event.type === 'ProviderLicencesUpdated') {
    await client.query(`UPDATE ${table} SET licensed_states = $2, licences = $3 WHERE provider_id = $1`, [
      event.data.providerId,
      event.data.licences.map((l) => l.state),
      JSON.stringify(event.data.licences),
    ]);
    return;
  }
  // Availability changes fold through the provider decider's own evolve, so both sides agree.
  const { rows } = await client.query<{ availability: Availability; time_zone: string }>(
    `SELECT availability, time_zone FROM ${table} WHERE provider_id = $1 FOR UPDATE`,
    [event.data.providerId],
  );
  if (rows.length === 0) return;
  const before: ProviderState = {
    status: 'active',
    profile: { providerId: event.data.providerId, specialties: [], licensedStates: [], timeZone: rows[0]!.time_zone, modalities: [] },
    availability: rows[0]!.availability,
  };
  const after = providerDecider.evolve(before, event);
  if (after.status === 'active') {
    await client.query(`UPDATE ${table} SET availability = $2 WHERE provider_id = $1`, [event.data.providerId, JSON.stringify(after.availability)]);
  }
}

async function applyDayEvent(event: ProviderDayEvent, client: PoolClient, table: string): Promise<void> {
  const upsert = (providerId: string, busyId: string, start: string, end: string, expiresAt: string | null) =>
    client.query(
      `INSERT INTO ${table} (provider_id, busy_id, starts_at, ends_at, expires_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (provider_id, busy_id) DO UPDATE SET starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, expires_at = EXCLUDED.expires_at`,
      [providerId, busyId, start, end, expiresAt],
    );
  const remove = (providerId: string, busyId: string) =>
    client.query(`DELETE FROM ${table} WHERE provider_id = $1 AND busy_id = $2`, [providerId, busyId]);
  switch (event.type) {
    case 'GroupSessionScheduled':
      await upsert(event.data.providerId, `session:${event.data.sessionId}`, event.data.start, event.data.end, null);
      return;
    case 'SlotHeld':
      await upsert(event.data.providerId, `hold:${event.data.holdId}`, event.data.start, event.data.end, event.data.expiresAt);
      return;
    case 'AppointmentTimeReserved':
      if (event.data.holdId !== undefined) await remove(event.data.providerId, `hold:${event.data.holdId}`);
      await upsert(event.data.providerId, `appointment:${event.data.appointmentId}`, event.data.start, event.data.end, null);
      return;
    case 'AppointmentParticipantBooked':
      await upsert(event.data.providerId, `appointment:${event.data.appointmentId}`, event.data.start, event.data.end, null);
      return;
    case 'AppointmentTimeMoved':
    case 'AppointmentParticipantMoved':
      await upsert(event.data.providerId, `appointment:${event.data.appointmentId}`, event.data.to.start, event.data.to.end, null);
      return;
    // Only the released time: a move to another day reserves the new day's time first, in the same write.
    case 'AppointmentTimeReleased':
    case 'AppointmentParticipantReleased':
      await client.query(`DELETE FROM ${table} WHERE provider_id = $1 AND busy_id = $2 AND starts_at = $3`, [
        event.data.providerId,
        `appointment:${event.data.appointmentId}`,
        event.data.start,
      ]);
      return;
    case 'DoubleBookingAuthorized':
      return;
    default: {
      const exhaustive: never = event;
      throw new Error(`unhandled event ${JSON.stringify(exhaustive)}`);
    }
  }
}

/** Group sessions and their taken seats, for the search of sessions with free seats. */
async function applySeatEvent(event: ProviderDayEvent, client: PoolClient, tables: { sessions: string; seats: string }): Promise<void> {
  const leave = async (appointmentId: string) => {
    const { rows } = await client.query<{ session_id: string }>(`DELETE FROM ${tables.seats} WHERE appointment_id = $1 RETURNING session_id`, [appointmentId]);
    if (rows[0]) await client.query(`UPDATE ${tables.sessions} SET seats_taken = seats_taken - 1 WHERE session_id = $1`, [rows[0].session_id]);
  };
  switch (event.type) {
    case 'GroupSessionScheduled': {
      const d = event.data;
      await client.query(
        `INSERT INTO ${tables.sessions} (session_id, provider_id, starts_at, ends_at, capacity) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [d.sessionId, d.providerId, d.start, d.end, d.capacity],
      );
      return;
    }
    case 'AppointmentTimeReserved': {
      const sessionId = event.data.groupSessionId;
      if (sessionId === undefined) return;
      const { rowCount } = await client.query(`INSERT INTO ${tables.seats} (appointment_id, session_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        event.data.appointmentId,
        sessionId,
      ]);
      if (rowCount) await client.query(`UPDATE ${tables.sessions} SET seats_taken = seats_taken + 1 WHERE session_id = $1`, [sessionId]);
      return;
    }
    // A cancelled seat frees room; a seat moved to another time has left its session.
    case 'AppointmentTimeReleased':
    case 'AppointmentTimeMoved':
      await leave(event.data.appointmentId);
      return;
    default:
      return;
  }
}

/** Expiries known (profile `licences`): the licence must be valid then; none known: licensed_states already filtered. */
const licensedAt = (licences: readonly ProviderLicence[], state: string, start: string): boolean =>
  licences.length === 0 || licensedOn(licences, state, start);

export interface GroupSessionCriteria {
  readonly specialty: string;
  readonly modality: Modality;
  readonly patientState?: string;
  /** Instants bounding the sessions' starts. */
  readonly from: Date;
  readonly to: Date;
  readonly limit: number;
  readonly now: Date;
}

export interface FoundGroupSession {
  readonly sessionId: string;
  readonly providerId: string;
  readonly start: string;
  readonly end: string;
  readonly capacity: number;
  readonly freeSeats: number;
}

export interface SlotSearchCriteria {
  readonly specialty: string;
  readonly modality: Modality;
  /** Where the patient will be: required for video and phone (licensure). */
  readonly patientState?: string;
  /** Local dates in the requester's zone, inclusive. */
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
  readonly pageSize: number;
  /** `<start ISO>|<providerId>` of the last slot of the previous page. */
  readonly after?: { start: string; providerId: string };
  readonly now: Date;
}

export interface FoundSlot {
  readonly providerId: string;
  readonly start: string;
  readonly end: string;
  readonly providerTimeZone: string;
}

/**
 * Free slots: candidate slots generated from each matching provider's availability (in the
 * provider's zone) minus busy time. Answers in UTC; the HTTP layer renders the requester's zone.
 */
export class SlotSearchQuery {
  private readonly providers: string;
  private readonly busy: string;
  private readonly sessions: string;
  constructor(
    private readonly db: { query: PoolClient['query'] },
    schema: string,
  ) {
    this.providers = `${quoteIdent(schema)}.slot_search_providers`;
    this.busy = `${quoteIdent(schema)}.slot_search_busy`;
    this.sessions = `${quoteIdent(schema)}.group_sessions`;
  }

  /** Group sessions not yet started with at least one free seat, of providers who match. */
  async groupSessions(criteria: GroupSessionCriteria): Promise<FoundGroupSession[]> {
    const { rows } = await this.db.query<{
      session_id: string;
      provider_id: string;
      starts_at: Date;
      ends_at: Date;
      capacity: number;
      seats_taken: number;
      licences: ProviderLicence[];
    }>(
      `SELECT g.session_id, g.provider_id, g.starts_at, g.ends_at, g.capacity, g.seats_taken, p.licences
         FROM ${this.sessions} g JOIN ${this.providers} p ON p.provider_id = g.provider_id
        WHERE $1 = ANY (p.specialties) AND $2 = ANY (p.modalities) AND (NOT $3 OR $4 = ANY (p.licensed_states))
          AND g.starts_at >= $5 AND g.starts_at < $6 AND g.starts_at > $7 AND g.seats_taken < g.capacity
        ORDER BY g.starts_at, g.session_id LIMIT $8`,
      [
        criteria.specialty,
        criteria.modality,
        criteria.modality !== 'in-person',
        criteria.patientState ?? null,
        criteria.from,
        criteria.to,
        criteria.now,
        criteria.limit,
      ],
    );
    const telehealth = criteria.modality !== 'in-person';
    return rows
      .filter((r) => !telehealth || licensedAt(r.licences, criteria.patientState!, r.starts_at.toISOString()))
      .map((r) => ({
        sessionId: r.session_id,
        providerId: r.provider_id,
        start: r.starts_at.toISOString(),
        end: r.ends_at.toISOString(),
        capacity: r.capacity,
        freeSeats: r.capacity - r.seats_taken,
      }));
  }

  /** Every slot of one provider between two instants, free or busy (FHIR Slot views). */
  async forProvider(providerId: string, from: Date, to: Date, now: Date): Promise<(FoundSlot & { busy: boolean })[]> {
    const { rows } = await this.db.query<{ time_zone: string; availability: Availability }>(
      `SELECT time_zone, availability FROM ${this.providers} WHERE provider_id = $1`,
      [providerId],
    );
    if (rows.length === 0) return [];
    const { time_zone: zone, availability } = rows[0]!;
    const { rows: busy } = await this.db.query<{ starts_at: Date; ends_at: Date }>(
      `SELECT starts_at, ends_at FROM ${this.busy}
        WHERE provider_id = $1 AND starts_at < $3 AND ends_at > $2 AND (expires_at IS NULL OR expires_at > $4)`,
      [providerId, from, to, now],
    );
    const first = DateTime.fromJSDate(from, { zone }).minus({ days: 1 }).toISODate()!;
    const last = DateTime.fromJSDate(to, { zone }).toISODate()!;
    return datesBetween(first, last)
      .flatMap((date) => slotsOnDate(availability, zone, date))
      .filter((slot) => Date.parse(slot.start) >= from.getTime() && Date.parse(slot.start) < to.getTime())
      .map((slot) => ({
        providerId,
        start: slot.start,
        end: slot.end,
        providerTimeZone: zone,
        busy: busy.some((b) => b.starts_at.getTime() < Date.parse(slot.end) && Date.parse(slot.start) < b.ends_at.getTime()),
      }));
  }

  async find(criteria: SlotSearchCriteria): Promise<{ slots: FoundSlot[]; more: boolean }> {
    const rangeStart = DateTime.fromISO(criteria.from, { zone: criteria.timeZone }).startOf('day');
    const rangeEnd = DateTime.fromISO(criteria.to, { zone: criteria.timeZone }).plus({ days: 1 }).startOf('day');
    const notBefore = Math.max(rangeStart.toMillis(), criteria.now.getTime() + 1);
    const telehealth = criteria.modality !== 'in-person';
    const { rows: providers } = await this.db.query<{ provider_id: string; time_zone: string; availability: Availability; licences: ProviderLicence[] }>(
      `SELECT provider_id, time_zone, availability, licences FROM ${this.providers}
        WHERE $1 = ANY (specialties) AND $2 = ANY (modalities) AND (NOT $3 OR $4 = ANY (licensed_states))
        ORDER BY provider_id`,
      [criteria.specialty, criteria.modality, telehealth, criteria.patientState ?? null],
    );
    if (providers.length === 0) return { slots: [], more: false };
    const { rows: busyRows } = await this.db.query<{ provider_id: string; starts_at: Date; ends_at: Date }>(
      `SELECT provider_id, starts_at, ends_at FROM ${this.busy}
        WHERE provider_id = ANY ($1) AND starts_at < $3 AND ends_at > $2 AND (expires_at IS NULL OR expires_at > $4)`,
      [providers.map((p) => p.provider_id), new Date(rangeStart.toMillis()), new Date(rangeEnd.toMillis()), criteria.now],
    );
    const busyBy = new Map<string, { start: number; end: number }[]>();
    for (const row of busyRows) {
      const list = busyBy.get(row.provider_id) ?? [];
      list.push({ start: row.starts_at.getTime(), end: row.ends_at.getTime() });
      busyBy.set(row.provider_id, list);
    }
    // Provider-local dates that can hold an instant of the requester's range: one day either side.
    const dates = datesBetween(rangeStart.minus({ days: 1 }).toISODate()!, rangeEnd.toISODate()!);
    return firstFreeSlots(providers, busyBy, dates, {
      notBefore,
      rangeEnd: rangeEnd.toMillis(),
      telehealth,
      ...(criteria.patientState !== undefined && { patientState: criteria.patientState }),
      pageSize: criteria.pageSize,
      ...(criteria.after !== undefined && { after: criteria.after }),
    });
  }
}

export interface SlotSource {
  readonly provider_id: string;
  readonly time_zone: string;
  readonly availability: Availability;
  readonly licences: ProviderLicence[];
}

/**
 * The page of free slots: every provider's slots on `dates` (provider-local), minus the taken and
 * the unlicensed, in start order then provider id, after `after`. Dates are walked in order and the
 * walk stops once more than a page of slots is certain to come first: a slot of a later local date
 * starts at or after that date's midnight in its provider's zone, so everything found before the
 * earliest such midnight is final. An 8-week search then computes the first days, not 58; a later
 * page starts from the date of the previous page's last slot.
 */
export function firstFreeSlots(
  providers: readonly SlotSource[],
  busyBy: ReadonlyMap<string, readonly { start: number; end: number }[]>,
  dates: readonly string[],
  options: {
    readonly notBefore: number;
    readonly rangeEnd: number;
    readonly telehealth: boolean;
    readonly patientState?: string;
    readonly pageSize: number;
    readonly after?: { readonly start: string; readonly providerId: string };
  },
): { slots: FoundSlot[]; more: boolean } {
  const { after } = options;
  const zones = [...new Set(providers.map((p) => p.time_zone))];
  const midnightIn = (date: string, pick: (...ms: number[]) => number) =>
    pick(...zones.map((zone) => DateTime.fromISO(date, { zone }).startOf('day').toMillis()));
  const afterMs = after === undefined ? undefined : Date.parse(after.start);
  const found: FoundSlot[] = [];
  for (let i = 0; i < dates.length; i++) {
    const date = dates[i]!;
    const next = dates[i + 1];
    // A later page: a date whose every slot starts before the previous page's last is skipped.
    if (afterMs !== undefined && next !== undefined && midnightIn(next, Math.max) <= afterMs) continue;
    for (const provider of providers) {
      const taken = busyBy.get(provider.provider_id) ?? [];
      for (const slot of slotsOnDate(provider.availability, provider.time_zone, date)) {
        const start = Date.parse(slot.start);
        const end = Date.parse(slot.end);
        if (start < options.notBefore || start >= options.rangeEnd) continue;
        if (after && !(slot.start > after.start || (slot.start === after.start && provider.provider_id > after.providerId))) continue;
        if (taken.some((t) => t.start < end && start < t.end)) continue;
        if (options.telehealth && !licensedAt(provider.licences, options.patientState!, slot.start)) continue;
        found.push({ providerId: provider.provider_id, start: slot.start, end: slot.end, providerTimeZone: provider.time_zone });
      }
    }
    if (next === undefined || found.length <= options.pageSize) continue;
    const laterDatesStart = midnightIn(next, Math.min);
    if (found.filter((slot) => Date.parse(slot.start) < laterDatesStart).length > options.pageSize) break;
  }
  found.sort((a, b) => a.start.localeCompare(b.start) || a.providerId.localeCompare(b.providerId));
  return { slots: found.slice(0, options.pageSize), more: found.length > options.pageSize };
}
