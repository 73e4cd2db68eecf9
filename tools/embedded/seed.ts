/**
 * Seed data for a small clinic, written through the services' own HTTP APIs (no database
 * shortcuts), so every seeded fact is an event like any other. Idempotent: fixed ids and fixed
 * Idempotency-Keys, so a restart on the same data folder appends nothing new (a replay answers
 * like the first time; "already exists" is accepted too).
 *
 * Everything here is fictional: names, NPIs (valid check digits, not real people), NCPDP ids,
 * member ids (the Medicare one is CMS's published MBI example format), payer ids.
 *
 * The data and the writing are split by role: seed-providers.ts, seed-pharmacies.ts, seed-patients.ts;
 * seed-call.ts is how they write.
 */
import { id, type SeedContext, type SeedTokens } from './seed-call';
import { patients, seedPatient, seedRpm } from './seed-patients';
import { pharmacies, seedPharmacy } from './seed-pharmacies';
import { LICENCE_EXPIRES_ON, providers, seedProvider } from './seed-providers';

export type { SeedTokens } from './seed-call';
export type { SeedCoverage, SeedPatient } from './seed-patients';
export type { SeedPharmacy } from './seed-pharmacies';
export { withNpiCheckDigit, type SeedProvider } from './seed-providers';

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
  licenceExpiresOn: LICENCE_EXPIRES_ON,
};

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
  const seed: SeedContext = { url, tokens, ops, counts: { providers: 0, pharmacies: 0, patients: 0, coverages: 0, devices: 0 } };
  const { counts } = seed;

  // The services are independent of each other here, so their parts run side by side.
  await Promise.all([
    Promise.all(providers.map((p) => seedProvider(seed, p))),
    (async () => {
      await Promise.all(pharmacies.map((ph) => seedPharmacy(seed, ph)));
      await Promise.all(patients.map((pt) => seedPatient(seed, pt)));
    })(),
    running.has('monitoring') ? Promise.all(patients.map((pt) => seedRpm(seed, pt))) : Promise.resolve([]),
  ]);
  const took = ((Date.now() - started) / 1000).toFixed(1);
  if (!running.has('monitoring')) say('seed: monitoring is not running, no RPM devices seeded');
  return (
    `${counts.providers} providers, ${counts.pharmacies} pharmacies, ${counts.patients} patients with ${counts.coverages} coverages ` +
    `(Medicare Part B, Medicaid CA/FL/HI, commercial NY/CO), ${counts.devices} RPM devices enrolled (${took} s)`
  );
}
