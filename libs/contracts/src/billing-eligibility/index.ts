import type { DefinedIntegrationEvent } from '../integration-event';

/** Integration events published by the billing-eligibility service. */
export const billingEligibilityEvents: readonly DefinedIntegrationEvent<any>[] = [];
