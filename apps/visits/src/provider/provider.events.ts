import type { Licence } from '../visit/visit.events';

/** The events of a `provider-licences-<id>` stream: what visits knows of a provider. */

/** The provider's state licences as they stand now (replaces the previous list). */
export type LicencesRegistered = { readonly type: 'LicencesRegistered'; readonly data: { readonly providerId: string; readonly licences: readonly Licence[] } };
/** On duty: takes urgent-care patients (counted in the estimated wait). */
export type UrgentCareDutyChanged = { readonly type: 'UrgentCareDutyChanged'; readonly data: { readonly providerId: string; readonly onDuty: boolean } };

export type ProviderEvent = LicencesRegistered | UrgentCareDutyChanged;
