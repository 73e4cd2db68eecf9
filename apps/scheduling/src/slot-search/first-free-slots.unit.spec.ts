import { DateTime } from 'luxon';
import { datesBetween, slotsOnDate } from '../provider/availability.calendar';
import { licensedOn } from '../appointment/licensure.rules';
import { type FoundSlot, type SlotSource, firstFreeSlots } from './slot-search.projection';

// Providers in zones from Honolulu to Auckland (their local dates straddle the requester's days),
// with weekday hours, a night window, time off, taken slots and a lapsed licence.
const ZONES = ['Pacific/Honolulu', 'America/Los_Angeles', 'America/New_York', 'Europe/Berlin', 'Pacific/Auckland'];
const providers: SlotSource[] = Array.from({ length: 12 }, (_, i) => ({
  provider_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  time_zone: ZONES[i % ZONES.length]!,
  availability: {
    weekly: [
      ...[1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: `${String(8 + (i % 3)).padStart(2, '0')}:00`, end: '12:00' })),
      ...(i % 4 === 0 ? [{ weekday: 6, start: '20:00', end: '23:30' }] : []),
    ],
    exceptions: i % 5 === 0 ? [{ exceptionId: `x-${i}`, date: '2026-03-10', kind: 'time-off' as const }] : [],
    slotMinutes: 15 + 15 * (i % 2),
    bufferMinutes: i % 3 === 0 ? 5 : 0,
  },
  licences: [{ state: 'NY', ...(i === 7 && { expiresOn: '2026-03-11' }) }],
}));
const busyBy = new Map(
  providers.slice(0, 6).map((p, i) => {
    const start = DateTime.fromISO(`2026-03-0${9 + (i % 3)}T09:00`, { zone: p.time_zone }).toMillis();
    return [p.provider_id, [{ start, end: start + 3_600_000 }]];
  }),
);

/** The computation before the early stop: every slot of every date, sorted, then paged. */
function everySlot(dates: readonly string[], options: Parameters<typeof firstFreeSlots>[3]): { slots: FoundSlot[]; more: boolean } {
  const found: FoundSlot[] = [];
  for (const provider of providers) {
    for (const date of dates) {
      for (const slot of slotsOnDate(provider.availability, provider.time_zone, date)) {
        const start = Date.parse(slot.start);
        const end = Date.parse(slot.end);
        if (start < options.notBefore || start >= options.rangeEnd) continue;
        if ((busyBy.get(provider.provider_id) ?? []).some((t) => t.start < end && start < t.end)) continue;
        if (options.telehealth && !licensedOn(provider.licences, options.patientState!, slot.start)) continue;
        found.push({ providerId: provider.provider_id, start: slot.start, end: slot.end, providerTimeZone: provider.time_zone });
      }
    }
  }
  found.sort((a, b) => a.start.localeCompare(b.start) || a.providerId.localeCompare(b.providerId));
  const { after } = options;
  const rest = after ? found.filter((s) => s.start > after.start || (s.start === after.start && s.providerId > after.providerId)) : found;
  return { slots: rest.slice(0, options.pageSize), more: rest.length > options.pageSize };
}

describe('firstFreeSlots', () => {
  const search = (zone: string, from: string, to: string, pageSize: number, telehealth = false) => {
    const rangeStart = DateTime.fromISO(from, { zone }).startOf('day');
    const rangeEnd = DateTime.fromISO(to, { zone }).plus({ days: 1 }).startOf('day');
    const dates = datesBetween(rangeStart.minus({ days: 1 }).toISODate()!, rangeEnd.toISODate()!);
    const options = { notBefore: rangeStart.toMillis(), rangeEnd: rangeEnd.toMillis(), telehealth, patientState: 'NY', pageSize };
    return { dates, options };
  };

  it.each([
    ['America/New_York', '2026-03-07', '2026-05-01', 20, false],
    ['America/New_York', '2026-03-07', '2026-05-01', 20, true],
    ['Pacific/Honolulu', '2026-03-09', '2026-03-15', 7, false],
    ['Pacific/Auckland', '2026-03-08', '2026-04-04', 50, true],
    ['Europe/Berlin', '2026-03-28', '2026-03-30', 1, false],
  ])('pages like the exhaustive search, page after page (%s, %s to %s, %i a page, telehealth %s)', (zone, from, to, pageSize, telehealth) => {
    const { dates, options } = search(zone, from, to, pageSize, telehealth);
    let after: { start: string; providerId: string } | undefined;
    for (let page = 0; page < 8; page++) {
      const withAfter = { ...options, ...(after && { after }) };
      const expected = everySlot(dates, withAfter);

      expect(firstFreeSlots(providers, busyBy, dates, withAfter)).toEqual(expected);
      if (!expected.more) break;
      const last = expected.slots.at(-1)!;
      after = { start: last.start, providerId: last.providerId };
    }
  });

  it('answers an empty page for a range with no hours', () => {
    const { dates, options } = search('America/New_York', '2026-03-14', '2026-03-14', 20);

    expect(firstFreeSlots(providers.slice(1, 3), new Map(), dates, options)).toEqual({ slots: [], more: false });
  });
});
