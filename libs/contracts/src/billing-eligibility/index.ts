import type { DefinedIntegrationEvent } from '../integration-event';
import { EligibilityDetermined } from './eligibility.events';

export { EligibilityDetermined } from './eligibility.events';

/** Integration events published by the billing-eligibility service. */
export const billingEligibilityEvents: readonly DefinedIntegrationEvent<any>[] = [EligibilityDetermined];
