import { validThroughIn } from '@carebridge/shared-kernel';
import type { ProviderLicence } from '../provider/provider.events';

/**
 * The licence of `state` at the instant `at`: valid through its `expiresOn` as that state counts
 * days, when an expiry is known. (A telehealth visit is lawful where the provider is licensed and
 * the patient is.)
 */
export function licensedOn(licences: readonly ProviderLicence[], state: string, at: string): boolean {
  const licence = licences.find((l) => l.state === state);
  return licence !== undefined && (licence.expiresOn === undefined || validThroughIn(state, licence.expiresOn, at));
}
