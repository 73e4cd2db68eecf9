/**
 * Seed data for a small clinic, written through the services' own HTTP APIs (no database
 * shortcuts), so every seeded fact is an event like any other. Idempotent: fixed ids and fixed
 * Idempotency-Keys, so a restart on the same data folder appends nothing new (a replay answers
 * like the first time; "already exists" is accepted too).
 *
 * Everything here is fictional: names, NPIs (valid check digits, not real people), NCPDP ids,
 * member ids (the Medicare one is CMS's published MBI example format), payer ids.
 */

const id = (n: number) => `7c1e2a40-0000-4000-8000-${String(n).padStart(12, '0')}`;

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

export interface SeedPharmacy {
  readonly pharmacyId: string;
  readonly ncpdpId: string;
  readonly npi: string;
  readonly name: string;
  readonly address: { line: string[]; city: string; state: string; postalCode: string };
  readonly phone: string;
}

export interface SeedCoverage {
  readonly coverageId: string;
  readonly payerKind: 'medicare-part-b' | 'medicaid' | 'commercial';
  readonly payerId: string;
  readonly planName: string;
  readonly state?: string;
  readonly memberId: string;
  readonly groupNumber?: string;
  readonly effectiveFrom: string;
  readonly order: 'primary' | 'secondary';
}

export interface SeedPatient {
  readonly patientId: string;
  readonly name: string;
  readonly state: string;
  readonly coverages: readonly SeedCoverage[];
  readonly preferredPharmacy: string;
  /** Remote patient monitoring: conditions, care team (escalation order) and the device sent home. */
  readonly rpm?: {
    readonly conditions: readonly string[];
    readonly careTeam: readonly string[];
    readonly device: { deviceId: string; serial: string; kind: string; manufacturer: string; model: string };
  };
}

const weekdays = (days: readonly number[], ...windows: readonly [string, string][]) =>
  days.flatMap((weekday) => windows.map(([start, end]) => ({ weekday, start, end })));
const MON_FRI = [1, 2, 3, 4, 5];

const providers: readonly SeedProvider[] = [
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

const pharmacies: readonly SeedPharmacy[] = [
  {
    pharmacyId: id(201),
    ncpdpId: '3310001',
    npi: '1730100201',
    name: 'Chelsea Community Pharmacy',
    address: { line: ['210 Eighth Avenue'], city: 'New York', state: 'NY', postalCode: '10011' },
    phone: '+1-212-555-0141',
  },
  {
    pharmacyId: id(202),
    ncpdpId: '4520002',
    npi: '1730100202',
    name: 'Montrose Family Pharmacy',
    address: { line: ['1601 Westheimer Road'], city: 'Houston', state: 'TX', postalCode: '77006' },
    phone: '+1-713-555-0172',
  },
  {
    pharmacyId: id(203),
    ncpdpId: '0530003',
    npi: '1730100203',
    name: 'Temescal Apothecary',
    address: { line: ['4901 Telegraph Avenue'], city: 'Oakland', state: 'CA', postalCode: '94609' },
    phone: '+1-510-555-0133',
  },
  {
    pharmacyId: id(204),
    ncpdpId: '1020004',
    npi: '1730100204',
    name: 'Hyde Park Drugs',
    address: { line: ['815 South Howard Avenue'], city: 'Tampa', state: 'FL', postalCode: '33606' },
    phone: '+1-813-555-0119',
  },
  {
    pharmacyId: id(205),
    ncpdpId: '0640005',
    npi: '1730100205',
    name: 'Capitol Hill Pharmacy',
    address: { line: ['1200 East Colfax Avenue'], city: 'Denver', state: 'CO', postalCode: '80218' },
    phone: '+1-303-555-0166',
  },
  {
    pharmacyId: id(206),
    ncpdpId: '1220006',
    npi: '1730100206',
    name: 'Kaimuki Pharmacy',
    address: { line: ['3620 Waialae Avenue'], city: 'Honolulu', state: 'HI', postalCode: '96816' },
    phone: '+1-808-555-0150',
  },
];

const MEDICARE_B = { payerKind: 'medicare-part-b', payerId: 'CMS-MEDICARE-B', planName: 'Original Medicare Part B' } as const;

const patients: readonly SeedPatient[] = [
  {
    patientId: id(1),
    name: 'Maria Alvarez',
    state: 'NY',
    coverages: [
      {
        coverageId: id(1001),
        payerKind: 'commercial',
        // The seeded payer's token subject is its payer id, so `GET /dev/token?role=payer` sees these members.
        payerId: id(301),
        planName: 'Hudson Valley Health Plan PPO',
        state: 'NY',
        memberId: 'HVH-440127-01',
        groupNumber: 'GRP-20931',
        effectiveFrom: '2026-01-01',
        order: 'primary',
      },
    ],
    preferredPharmacy: '3310001',
  },
  {
    patientId: id(2),
    name: 'Robert Johnson',
    state: 'TX',
    coverages: [{ coverageId: id(1002), ...MEDICARE_B, memberId: '1EG4TE5MK73', effectiveFrom: '2026-01-01', order: 'primary' }],
    preferredPharmacy: '4520002',
    rpm: {
      conditions: ['hypertension'],
      careTeam: [id(102), id(105)],
      device: { deviceId: id(501), serial: 'BPM-TX-000501', kind: 'blood-pressure-monitor', manufacturer: 'Omron', model: 'BP7450' },
    },
  },
  {
    patientId: id(3),
    name: 'Linh Tran',
    state: 'CA',
    coverages: [
      {
        coverageId: id(1003),
        payerKind: 'medicaid',
        payerId: 'CA-MEDI-CAL',
        planName: 'Medi-Cal (fee-for-service)',
        state: 'CA',
        memberId: '91234567A',
        effectiveFrom: '2026-01-01',
        order: 'primary',
      },
    ],
    preferredPharmacy: '0530003',
  },
  {
    patientId: id(4),
    name: 'Dorothy Mitchell',
    state: 'FL',
    // Dual eligible: Medicare first, Florida Medicaid for the rest.
    coverages: [
      { coverageId: id(1004), ...MEDICARE_B, memberId: '2FH7JK9LM24', effectiveFrom: '2026-01-01', order: 'primary' },
      {
        coverageId: id(1014),
        payerKind: 'medicaid',
        payerId: 'FL-MEDICAID',
        planName: 'Florida Medicaid',
        state: 'FL',
        memberId: '8812345670',
        effectiveFrom: '2026-01-01',
        order: 'secondary',
      },
    ],
    preferredPharmacy: '1020004',
    rpm: {
      conditions: ['heart-failure', 'hypertension'],
      careTeam: [id(105), id(101)],
      device: { deviceId: id(502), serial: 'SCL-FL-000502', kind: 'multi', manufacturer: 'Withings', model: 'Body Cardio + BPM Connect' },
    },
  },
  {
    patientId: id(5),
    name: 'Jordan Blake',
    state: 'CO',
    coverages: [
      {
        coverageId: id(1005),
        payerKind: 'commercial',
        payerId: 'FRONT-RANGE-MUTUAL',
        planName: 'Front Range Mutual HMO',
        state: 'CO',
        memberId: 'FRM-7730021',
        groupNumber: 'DEN-118',
        effectiveFrom: '2026-01-01',
        order: 'primary',
      },
    ],
    preferredPharmacy: '0640005',
  },
  {
    patientId: id(6),
    name: 'Leilani Akana',
    state: 'HI',
    coverages: [
      {
        coverageId: id(1006),
        payerKind: 'medicaid',
        payerId: 'HI-MED-QUEST',
        planName: 'Med-QUEST',
        state: 'HI',
        memberId: '0049912345',
        effectiveFrom: '2026-01-01',
        order: 'primary',
      },
    ],
    preferredPharmacy: '1220006',
  },
];

/** Seed data for a small clinic (ids are fixed: the tour and the README refer to them). */
export const SEED = {
  defaultSubject: {
    patient: id(1),
    provider: id(101),
    pharmacy: id(201),
    payer: id(301),
    ops: id(401),
  } as Record<'patient' | 'provider' | 'pharmacy' | 'payer' | 'ops', string>,
  providers,
  pharmacies,
  patients,
  /** Licences as visits knows them: one per licensed state, valid for years to come. */
  licenceExpiresOn: '2028-12-31',
};

export interface SeedTokens {
  provider(id: string): Promise<string>;
  patient(id: string): Promise<string>;
  pharmacy(id: string): Promise<string>;
  ops(): Promise<string>;
  payer(): Promise<string>;
}

const WEEKDAY_HOURS = { opens: '08:00', closes: '21:00' };
const PHARMACY_HOURS = { '1': WEEKDAY_HOURS, '2': WEEKDAY_HOURS, '3': WEEKDAY_HOURS, '4': WEEKDAY_HOURS, '5': WEEKDAY_HOURS, '6': { opens: '09:00', closes: '18:00' } };

class SeedError extends Error {}

/** One seeding call: 2xx, or 409 for what an earlier seed already created. No body (`undefined`) for operations that take none. */
async function call(url: string, method: string, path: string, token: string, body: unknown, key?: string): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(key !== undefined && { 'idempotency-key': `seed-${key}` }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.ok || response.status === 409) return text ? (JSON.parse(text) as unknown) : undefined;
  throw new SeedError(`${method} ${path} answered ${response.status}: ${text.slice(0, 400)}`);
}

async function servicesRunning(url: string): Promise<Set<string>> {
  const response = await fetch(`${url}/health`);
  const body = (await response.json()) as { services?: { name: string }[] };
  return new Set((body.services ?? []).map((s) => s.name));
}

/**
 * Providers (scheduling profile and weekly hours, visits licences), pharmacies (prescriptions
 * directory), patients (coverage in billing-eligibility, preferred pharmacy in prescriptions) and
 * RPM enrolments with a device (monitoring, when it runs). Returns a one-line summary.
 */
export async function seedClinic(url: string, tokens: SeedTokens, say: (m: string) => void): Promise<string> {
  const started = Date.now();
  const running = await servicesRunning(url);
  const ops = await tokens.ops();
  const counts = { providers: 0, pharmacies: 0, patients: 0, coverages: 0, devices: 0 };

  const seedProvider = async (p: SeedProvider) => {
    const token = await tokens.provider(p.providerId);
    await call(
      url,
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
      url,
      'PUT',
      `/scheduling/v1/providers/${p.providerId}/licences`,
      token,
      { licences: p.licensedStates.map((state) => ({ state, expiresOn: SEED.licenceExpiresOn })) },
      `scheduling-licences-${p.providerId}`,
    );
    await call(
      url,
      'PUT',
      `/scheduling/v1/providers/${p.providerId}/availability`,
      token,
      { weekly: p.weekly, slotMinutes: p.slotMinutes, bufferMinutes: p.bufferMinutes },
      `availability-${p.providerId}-v1`,
    );
    // Visits learns licences from credentialing (ops): scheduling's events carry none.
    await call(url, 'PUT', `/visits/v1/providers/${p.providerId}/licences`, ops, {
      licences: p.licensedStates.map((state) => ({ state, number: `${state}-${p.npi.slice(0, 6)}`, expiresOn: SEED.licenceExpiresOn })),
    });
    counts.providers++;
  };

  const seedPharmacy = async (ph: SeedPharmacy) => {
    const details = {
      name: ph.name,
      address: ph.address,
      phone: ph.phone,
      hours: PHARMACY_HOURS,
      acceptsEPrescribing: true,
      scriptVersions: ['2017071', '2023011'],
    };
    await call(url, 'POST', '/prescriptions/v1/pharmacies', ops, { pharmacyId: ph.pharmacyId, ncpdpId: ph.ncpdpId, npi: ph.npi, ...details }, `pharmacy-${ph.ncpdpId}`);
    // A database seeded before a field existed (the SCRIPT versions) gets today's details: the
    // POST above replays its first answer for the same key and changes nothing.
    await call(url, 'PUT', `/prescriptions/v1/pharmacies/${ph.ncpdpId}`, ops, details, `pharmacy-details-${ph.ncpdpId}-script`);
    counts.pharmacies++;
  };

  const seedPatient = async (pt: SeedPatient) => {
    const token = await tokens.patient(pt.patientId);
    // Primary before secondary: a secondary needs a primary under it.
    for (const coverage of pt.coverages) {
      await call(url, 'POST', `/billing-eligibility/v1/patients/${pt.patientId}/coverages`, ops, coverage, `coverage-${coverage.coverageId}`);
      counts.coverages++;
    }
    await call(
      url,
      'PUT',
      `/prescriptions/v1/patients/${pt.patientId}/preferred-pharmacy`,
      token,
      { ncpdpId: pt.preferredPharmacy },
      `preferred-pharmacy-${pt.patientId}-${pt.preferredPharmacy}`,
    );
    counts.patients++;
  };

  const seedRpm = async (pt: SeedPatient) => {
    if (!pt.rpm) return;
    const { rpm } = pt;
    await call(
      url,
      'POST',
      `/monitoring/v1/patients/${pt.patientId}/enrolment`,
      ops,
      { conditions: rpm.conditions, careTeam: rpm.careTeam, billingPractitionerId: rpm.careTeam[0], established: true },
      `rpm-enrolment-${pt.patientId}`,
    );
    await call(url, 'POST', `/monitoring/v1/patients/${pt.patientId}/consent`, await tokens.patient(pt.patientId), undefined);
    await call(url, 'POST', '/monitoring/v1/devices', ops, rpm.device, `device-${rpm.device.deviceId}`);
    // The device's API key is shown once, to the first assignment: devices of the seed post
    // through the ops gateway (`POST /monitoring/v1/readings/batch`); the tour assigns its own.
    await call(
      url,
      'POST',
      `/monitoring/v1/devices/${rpm.device.deviceId}/assignments`,
      ops,
      { patientId: pt.patientId, from: '2026-01-01T00:00:00Z' },
      `device-assignment-${rpm.device.deviceId}`,
    );
    counts.devices++;
  };

  // The services are independent of each other here, so their parts run side by side.
  await Promise.all([
    Promise.all(providers.map(seedProvider)),
    (async () => {
      await Promise.all(pharmacies.map(seedPharmacy));
      await Promise.all(patients.map(seedPatient));
    })(),
    running.has('monitoring') ? Promise.all(patients.map(seedRpm)) : Promise.resolve([]),
  ]);
  const took = ((Date.now() - started) / 1000).toFixed(1);
  if (!running.has('monitoring')) say('seed: monitoring is not running, no RPM devices seeded');
  return (
    `${counts.providers} providers, ${counts.pharmacies} pharmacies, ${counts.patients} patients with ${counts.coverages} coverages ` +
    `(Medicare Part B, Medicaid CA/FL/HI, commercial NY/CO), ${counts.devices} RPM devices enrolled (${took} s)`
  );
}
