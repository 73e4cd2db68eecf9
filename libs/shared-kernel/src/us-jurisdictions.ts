/**
 * US states, DC and the inhabited territories by USPS code, with the time zone each mostly keeps
 * (its most populous part). Licences, pharmacy registrations and coverage rules are per
 * jurisdiction, and "the date there" decides whether a licence is still valid or which day a visit
 * was. States split over two zones (TX, FL, IN, KY, TN, ...) can be a day off for an instant within
 * an hour of midnight in their other zone.
 */
export const US_STATE_TIME_ZONES: Readonly<Record<string, string>> = {
  AL: 'America/Chicago', AK: 'America/Anchorage', AZ: 'America/Phoenix', AR: 'America/Chicago',
  CA: 'America/Los_Angeles', CO: 'America/Denver', CT: 'America/New_York', DE: 'America/New_York',
  DC: 'America/New_York', FL: 'America/New_York', GA: 'America/New_York', HI: 'Pacific/Honolulu',
  ID: 'America/Boise', IL: 'America/Chicago', IN: 'America/Indiana/Indianapolis', IA: 'America/Chicago',
  KS: 'America/Chicago', KY: 'America/New_York', LA: 'America/Chicago', ME: 'America/New_York',
  MD: 'America/New_York', MA: 'America/New_York', MI: 'America/Detroit', MN: 'America/Chicago',
  MS: 'America/Chicago', MO: 'America/Chicago', MT: 'America/Denver', NE: 'America/Chicago',
  NV: 'America/Los_Angeles', NH: 'America/New_York', NJ: 'America/New_York', NM: 'America/Denver',
  NY: 'America/New_York', NC: 'America/New_York', ND: 'America/Chicago', OH: 'America/New_York',
  OK: 'America/Chicago', OR: 'America/Los_Angeles', PA: 'America/New_York', RI: 'America/New_York',
  SC: 'America/New_York', SD: 'America/Chicago', TN: 'America/Chicago', TX: 'America/Chicago',
  UT: 'America/Denver', VT: 'America/New_York', VA: 'America/New_York', WA: 'America/Los_Angeles',
  WV: 'America/New_York', WI: 'America/Chicago', WY: 'America/Denver',
};

/** Puerto Rico, the US Virgin Islands, Guam, American Samoa and the Northern Mariana Islands. */
export const US_TERRITORY_TIME_ZONES: Readonly<Record<string, string>> = {
  PR: 'America/Puerto_Rico', VI: 'America/St_Thomas', GU: 'Pacific/Guam', AS: 'Pacific/Pago_Pago', MP: 'Pacific/Saipan',
};

/** The 50 states and DC. */
export const US_STATES: readonly string[] = Object.keys(US_STATE_TIME_ZONES);

/** The states, DC and the territories: where a US licence or registration can be held. */
export const US_JURISDICTIONS: readonly string[] = [...US_STATES, ...Object.keys(US_TERRITORY_TIME_ZONES)];

export function isUsJurisdiction(code: string): boolean {
  return Object.hasOwn(US_STATE_TIME_ZONES, code) || Object.hasOwn(US_TERRITORY_TIME_ZONES, code);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar date (YYYY-MM-DD) of `instant` (a Date or ISO 8601) in the jurisdiction's time zone;
 * the UTC date for a code that is not a US jurisdiction.
 */
export function dateInJurisdiction(code: string, instant: Date | string): string {
  const zone = US_STATE_TIME_ZONES[code] ?? US_TERRITORY_TIME_ZONES[code] ?? 'UTC';
  let format = dateFormats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const endsOfDay = new Map<string, number>();

/** Epoch ms at which `day` (YYYY-MM-DD) ends in the jurisdiction: the next day's local midnight. */
function endOfDayIn(code: string, day: string): number {
  const key = `${code} ${day}`;
  const known = endsOfDay.get(key);
  if (known !== undefined) return known;
  const zone = US_STATE_TIME_ZONES[code] ?? US_TERRITORY_TIME_ZONES[code] ?? 'UTC';
  const midnightUtc = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
  // Local midnight is UTC midnight less the zone's offset then (found twice: the offset at the guess
  // can differ from the one at the answer across a daylight-saving change; US changes are at 2 am).
  let at = midnightUtc - offsetMs(zone, midnightUtc);
  at = midnightUtc - offsetMs(zone, at);
  if (endsOfDay.size >= 10_000) endsOfDay.clear();
  endsOfDay.set(key, at);
  return at;
}

/** Local time minus UTC at `at`, in ms. */
function offsetMs(zone: string, at: number): number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - Math.floor(at / 1000) * 1000;
}

/**
 * Whether a licence or registration of jurisdiction `code`, valid through `expiresOn` (YYYY-MM-DD,
 * the last day, as the board that issued it counts days), is still valid at `instant`. Cheap after
 * the first call per licence (slot search asks it for every candidate slot).
 */
export function validThroughIn(code: string, expiresOn: string, instant: Date | string): boolean {
  const at = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return at < endOfDayIn(code, expiresOn);
}
