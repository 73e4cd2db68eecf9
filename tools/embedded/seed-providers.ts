/** The seed's providers: scheduling profile, licences and weekly hours; visits licences (credentialing). */
import { call, id, type SeedContext } from './seed-call';

export const LICENCE_EXPIRES_ON = '2028-12-31';

/** NPI check digit (Luhn over "80840" + the first nine digits): the seed's NPIs pass the prescriptions service's check. */
export function withNpiCheckDigit(nineDigits: string): string {
  const digits = `80840${nineDigits}`.split('').map(Number);
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits[i]!;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${nineDigits}${(10 - (sum % 10)) % 10}`;
}

export interface SeedProvider {
  readonly providerId: string;
  readonly name: string;
  readonly npi: string;
  readonly specialties: readonly string[];
  readonly licensedStates: readonly string[];
  readonly timeZone: string;
  readonly modalities: readonly ('video' | 'phone' | 'in-person')[];
  readonly clinicAddress?: { line1: string; city: string; state: string; postalCode: string };
  readonly weekly: readonly { weekday: number; start: string; end: string }[];
  readonly slotMinutes: number;
  readonly bufferMinutes: number;
}

const weekdays = (days: readonly number[], ...windows: readonly [string, string][]) =>
  days.flatMap((weekday) => windows.map(([start, end]) => ({ weekday, start, end })));
const MON_FRI = [1, 2, 3, 4, 5];

export const providers: readonly SeedProvider[] = [
  {
    providerId: id(101),
    name: 'Dr. Amara Okafor (family medicine)',
    npi: withNpiCheckDigit('174002211'),
    specialties: ['family-medicine', 'internal-medicine'],
    licensedStates: ['NY', 'NJ', 'CT', 'PA'],
    timeZone: 'America/New_York',
    modalities: ['video', 'phone', 'in-person'],
    clinicAddress: { line1: '125 West 31st Street, Suite 400', city: 'New York', state: 'NY', postalCode: '10001' },
    weekly: weekdays(MON_FRI, ['08:00', '12:00'], ['13:00', '17:00']),
    slotMinutes: 15,
    bufferMinutes: 0,
  },
  {
    providerId: id(102),
    name: 'Dr. Luis Herrera (family medicine)',
    npi: withNpiCheckDigit('128455302'),
    specialties: ['family-medicine'],
    licensedStates: ['TX', 'OK', 'NM'],
    timeZone: 'America/Chicago',
    modalities: ['video', 'phone', 'in-person'],
    clinicAddress: { line1: '2400 Fannin Street', city: 'Houston', state: 'TX', postalCode: '77002' },
    weekly: weekdays(MON_FRI, ['07:30', '11:30'], ['12:30', '16:30']),
    slotMinutes: 15,
    bufferMinutes: 0,
  },
  {
    providerId: id(103),
    name: 'Dr. Hannah Weiss (psychiatry)',
    npi: withNpiCheckDigit('196788413'),
    specialties: ['psychiatry'],
    licensedStates: ['CO', 'UT', 'WY'],
    timeZone: 'America/Denver',
    modalities: ['video', 'phone'],
    weekly: weekdays([2, 3, 4, 5, 6], ['09:00', '13:00'], ['14:00', '18:00']),
    slotMinutes: 50,
    bufferMinutes: 10,
  },
  {
    providerId: id(104),
    name: 'Dr. Priya Raman (dermatology)',
    npi: withNpiCheckDigit('150312924'),
    specialties: ['dermatology'],
    licensedStates: ['CA', 'OR', 'WA'],
    timeZone: 'America/Los_Angeles',
    modalities: ['video', 'in-person'],
    clinicAddress: { line1: '3100 Telegraph Avenue', city: 'Oakland', state: 'CA', postalCode: '94609' },
    weekly: weekdays([1, 3, 5], ['09:00', '16:00']),
    slotMinutes: 15,
    bufferMinutes: 5,
  },
  {
    providerId: id(105),
    name: 'Dr. Samuel Greene (cardiology)',
    npi: withNpiCheckDigit('167034535'),
    specialties: ['cardiology'],
    licensedStates: ['FL', 'GA', 'NY'],
    timeZone: 'America/New_York',
    modalities: ['video', 'in-person'],
    clinicAddress: { line1: '4 Columbia Drive', city: 'Tampa', state: 'FL', postalCode: '33606' },
    weekly: weekdays([1, 2, 4], ['08:00', '15:00']),
    slotMinutes: 30,
    bufferMinutes: 0,
  },
  {
    providerId: id(106),
    name: 'Dr. Keoni Kahale (family medicine, pediatrics)',
    npi: withNpiCheckDigit('133690146'),
    specialties: ['family-medicine', 'pediatrics'],
    licensedStates: ['HI', 'CA'],
    timeZone: 'Pacific/Honolulu',
    modalities: ['video', 'phone'],
    weekly: weekdays(MON_FRI, ['07:00', '15:00']),
    slotMinutes: 15,
    bufferMinutes: 0,
  },
  {
    providerId: id(107),
    name: 'Dr. Ben Tsosie (family medicine)',
    npi: withNpiCheckDigit('112847757'),
    specialties: ['family-medicine'],
    licensedStates: ['AZ', 'NM', 'CO', 'UT'],
    timeZone: 'America/Phoenix',
    modalities: ['video', 'phone'],
    weekly: weekdays([1, 2, 3, 4, 5, 6], ['08:00', '12:00'], ['13:00', '17:00']),
    slotMinutes: 15,
    bufferMinutes: 0,
  },
];

export async function seedProvider(seed: SeedContext, p: SeedProvider): Promise<void> {
  const token = await seed.tokens.provider(p.providerId);
  await call(
    seed.url,
    'POST',
    '/scheduling/v1/providers',
    token,
    {
      providerId: p.providerId,
      specialties: p.specialties,
      licensedStates: p.licensedStates,
      timeZone: p.timeZone,
      modalities: p.modalities,
      ...(p.clinicAddress && { clinicAddress: p.clinicAddress }),
    },
    `provider-${p.providerId}`,
  );
  // Licence expiries travel with each booking to billing-eligibility (AppointmentBooked).
  await call(
    seed.url,
    'PUT',
    `/scheduling/v1/providers/${p.providerId}/licences`,
    token,
    { licences: p.licensedStates.map((state) => ({ state, expiresOn: LICENCE_EXPIRES_ON })) },
    `scheduling-licences-${p.providerId}`,
  );
  await call(
    seed.url,
    'PUT',
    `/scheduling/v1/providers/${p.providerId}/availability`,
    token,
    { weekly: p.weekly, slotMinutes: p.slotMinutes, bufferMinutes: p.bufferMinutes },
    `availability-${p.providerId}-v1`,
  );
  // Visits learns licences from credentialing (ops): scheduling's events carry none.
  await call(seed.url, 'PUT', `/visits/v1/providers/${p.providerId}/licences`, seed.ops, {
    licences: p.licensedStates.map((state) => ({ state, number: `${state}-${p.npi.slice(0, 6)}`, expiresOn: LICENCE_EXPIRES_ON })),
  });
  seed.counts.providers++;
}
