/** The seed's pharmacies: the prescriptions directory (NCPDP ids, hours, SCRIPT versions). */
import { call, id, type SeedContext } from './seed-call';

export interface SeedPharmacy {
  readonly pharmacyId: string;
  readonly ncpdpId: string;
  readonly npi: string;
  readonly name: string;
  readonly address: { line: string[]; city: string; state: string; postalCode: string };
  readonly phone: string;
}

export const pharmacies: readonly SeedPharmacy[] = [
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

const WEEKDAY_HOURS = { opens: '08:00', closes: '21:00' };
const PHARMACY_HOURS = { '1': WEEKDAY_HOURS, '2': WEEKDAY_HOURS, '3': WEEKDAY_HOURS, '4': WEEKDAY_HOURS, '5': WEEKDAY_HOURS, '6': { opens: '09:00', closes: '18:00' } };

export async function seedPharmacy(seed: SeedContext, ph: SeedPharmacy): Promise<void> {
  const details = {
    name: ph.name,
    address: ph.address,
    phone: ph.phone,
    hours: PHARMACY_HOURS,
    acceptsEPrescribing: true,
    scriptVersions: ['2017071', '2023011'],
  };
  await call(seed.url, 'POST', '/prescriptions/v1/pharmacies', seed.ops, { pharmacyId: ph.pharmacyId, ncpdpId: ph.ncpdpId, npi: ph.npi, ...details }, `pharmacy-${ph.ncpdpId}`);
  // A database seeded before a field existed (the SCRIPT versions) gets today's details: the
  // POST above replays its first answer for the same key and changes nothing.
  await call(seed.url, 'PUT', `/prescriptions/v1/pharmacies/${ph.ncpdpId}`, seed.ops, details, `pharmacy-details-${ph.ncpdpId}-script`);
  seed.counts.pharmacies++;
}
