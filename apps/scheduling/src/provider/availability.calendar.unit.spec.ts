import { localDateOf, slotsOnDate } from './availability.calendar';
import type { Availability } from './provider.events';

const zone = 'America/New_York';
const weekdays9to12: Availability = {
  weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '12:00' })),
  exceptions: [],
  slotMinutes: 30,
  bufferMinutes: 0,
};

describe('slots of a local date', () => {
  it('cuts windows into slot length plus buffer, never past the window end', () => {
    const slots = slotsOnDate({ ...weekdays9to12, slotMinutes: 40, bufferMinutes: 10 }, zone, '2026-01-05');
    // 09:00, 09:50, 10:40 (ends 11:20); 11:30 would end 12:10 > 12:00. EST = UTC-5.
    expect(slots).toEqual([
      { start: '2026-01-05T14:00:00.000Z', end: '2026-01-05T14:40:00.000Z' },
      { start: '2026-01-05T14:50:00.000Z', end: '2026-01-05T15:30:00.000Z' },
      { start: '2026-01-05T15:40:00.000Z', end: '2026-01-05T16:20:00.000Z' },
    ]);
  });

  it('keeps 09:00 local across the spring change (EST UTC-5 -> EDT UTC-4, 2026-03-08)', () => {
    expect(slotsOnDate(weekdays9to12, zone, '2026-03-07')[0]!.start).toBe('2026-03-07T14:00:00.000Z');
    expect(slotsOnDate(weekdays9to12, zone, '2026-03-09')[0]!.start).toBe('2026-03-09T13:00:00.000Z');
  });

  it('keeps 09:00 local across the autumn change (EDT -> EST, 2026-11-01)', () => {
    expect(slotsOnDate(weekdays9to12, zone, '2026-10-31')[0]!.start).toBe('2026-10-31T13:00:00.000Z');
    expect(slotsOnDate(weekdays9to12, zone, '2026-11-02')[0]!.start).toBe('2026-11-02T14:00:00.000Z');
  });

  it('a night window holds one hour fewer on the spring-forward night', () => {
    const night: Availability = { ...weekdays9to12, weekly: [{ weekday: 7, start: '01:00', end: '04:00' }], slotMinutes: 60 };
    // 01:00 EST -> 03:00 EDT is two elapsed hours; 02:00 local does not exist.
    expect(slotsOnDate(night, zone, '2026-03-08')).toEqual([
      { start: '2026-03-08T06:00:00.000Z', end: '2026-03-08T07:00:00.000Z' },
      { start: '2026-03-08T07:00:00.000Z', end: '2026-03-08T08:00:00.000Z' },
    ]);
    expect(slotsOnDate(night, zone, '2026-03-01')).toHaveLength(3);
  });

  it('a night window holds one hour more on the fall-back night, with no two slots at one instant', () => {
    const night: Availability = { ...weekdays9to12, weekly: [{ weekday: 7, start: '00:00', end: '03:00' }], slotMinutes: 60 };
    const slots = slotsOnDate(night, zone, '2026-11-01');
    // 00:00 EDT (04:00Z) to 03:00 EST (08:00Z): four elapsed hours.
    expect(slots.map((s) => s.start)).toEqual([
      '2026-11-01T04:00:00.000Z',
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ]);
  });

  it('gives nothing on a whole day off and drops slots inside partial time off', () => {
    const exceptions = [
      { exceptionId: 'a', date: '2026-01-05', kind: 'time-off' as const },
      { exceptionId: 'b', date: '2026-01-06', kind: 'time-off' as const, start: '10:00', end: '11:00' },
    ];
    expect(slotsOnDate({ ...weekdays9to12, exceptions }, zone, '2026-01-05')).toEqual([]);
    const partial = slotsOnDate({ ...weekdays9to12, exceptions }, zone, '2026-01-06');
    expect(partial.map((s) => s.start)).toEqual([
      '2026-01-06T14:00:00.000Z',
      '2026-01-06T14:30:00.000Z',
      '2026-01-06T16:00:00.000Z',
      '2026-01-06T16:30:00.000Z',
    ]);
  });

  it('adds extra hours on a date without weekly windows', () => {
    const availability: Availability = {
      ...weekdays9to12,
      weekly: [],
      exceptions: [{ exceptionId: 'c', date: '2026-01-10', kind: 'extra-hours', start: '18:00', end: '19:00' }],
    };
    expect(slotsOnDate(availability, zone, '2026-01-10').map((s) => s.start)).toEqual([
      '2026-01-10T23:00:00.000Z',
      '2026-01-10T23:30:00.000Z',
    ]);
  });

  it('names the provider-local date of an instant', () => {
    expect(localDateOf('2026-01-06T03:00:00.000Z', zone)).toBe('2026-01-05');
    expect(localDateOf('2026-01-06T03:00:00.000Z', 'Europe/Paris')).toBe('2026-01-06');
  });
});
