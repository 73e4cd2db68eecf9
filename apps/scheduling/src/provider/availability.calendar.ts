import { DateTime, IANAZone } from 'luxon';
import type { Availability } from './provider.events';

/** A bookable interval, as UTC ISO instants. */
export interface SlotTime {
  readonly start: string;
  readonly end: string;
}

const MINUTE = 60_000;

export const isValidTimeZone = (zone: string): boolean => IANAZone.isValidZone(zone);

const at = (date: string, time: string, zone: string): DateTime =>
  DateTime.fromISO(`${date}T${time}`, { zone });

/**
 * The slots of one local date in the provider's zone. Windows are wall-clock times, so a
 * 09:00 window starts at 09:00 local on both sides of a daylight-saving change; slot length and
 * buffer are elapsed minutes, so a window that spans the change holds one hour fewer (spring) or
 * more (autumn) of slots. A wall-clock time skipped by the spring change resolves to the instant
 * after the gap (luxon's rule), and an ambiguous autumn time to its first occurrence.
 */
export function slotsOnDate(availability: Availability, timeZone: string, date: string): SlotTime[] {
  const day = DateTime.fromISO(date, { zone: timeZone });
  if (!day.isValid) return [];
  const exceptions = availability.exceptions.filter((e) => e.date === date);
  if (exceptions.some((e) => e.kind === 'time-off' && e.start === undefined)) return [];
  const windows = [
    ...availability.weekly.filter((w) => w.weekday === day.weekday),
    ...exceptions.filter((e) => e.kind === 'extra-hours').map((e) => ({ start: e.start!, end: e.end! })),
  ];
  const timeOff = exceptions
    .filter((e) => e.kind === 'time-off')
    .map((e) => ({ start: at(date, e.start!, timeZone).toMillis(), end: at(date, e.end!, timeZone).toMillis() }));
  // Only the window edges need the zone; inside a window slots step by elapsed time (plain
  // arithmetic on instants, which is also what keeps a DST day's window one hour shorter or longer).
  const length = availability.slotMinutes * MINUTE;
  const step = (availability.slotMinutes + availability.bufferMinutes) * MINUTE;
  const slots = new Map<string, SlotTime>();
  for (const window of windows) {
    const windowEnd = at(date, window.end, timeZone).toMillis();
    for (let start = at(date, window.start, timeZone).toMillis(); start + length <= windowEnd; start += step) {
      const end = start + length;
      if (timeOff.some((off) => start < off.end && off.start < end)) continue;
      const slot = { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
      slots.set(slot.start, slot);
    }
  }
  return [...slots.values()].sort((a, b) => a.start.localeCompare(b.start));
}

/** The provider's local date of an instant (`yyyy-MM-dd`): which provider-day stream owns it. */
export function localDateOf(instant: string, timeZone: string): string {
  return DateTime.fromISO(instant, { zone: 'utc' }).setZone(timeZone).toISODate()!;
}

/** Local dates from `from` to `to` inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  let day = DateTime.fromISO(from, { zone: 'utc' });
  const last = DateTime.fromISO(to, { zone: 'utc' });
  while (day <= last) {
    dates.push(day.toISODate()!);
    day = day.plus({ days: 1 });
  }
  return dates;
}

/** Canonical UTC ISO form (`2026-03-09T13:00:00.000Z`) of any ISO instant with an offset. */
export function canonicalInstant(instant: string): string | undefined {
  const parsed = DateTime.fromISO(instant, { setZone: true });
  return parsed.isValid ? parsed.toUTC().toISO()! : undefined;
}
