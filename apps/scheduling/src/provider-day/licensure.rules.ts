import type { ProviderLicence } from '../provider/provider.events';

/**
 * The licence of `state` on the UTC date of `at`: valid through its `expiresOn` when one is
 * known. (A telehealth visit is lawful where the provider is licensed and the patient is.)
 */
export function licensedOn(licences: readonly ProviderLicence[], state: string, at: string): boolean {
  const licence = licences.find((l) => l.state === state);
  return licence !== undefined && (licence.expiresOn === undefined || at.slice(0, 10) <= licence.expiresOn);
}
