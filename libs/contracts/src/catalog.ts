import type { DefinedIntegrationEvent } from './integration-event';
import { billingEligibilityEvents } from './billing-eligibility';
import { monitoringEvents } from './monitoring';
import { prescriptionsEvents } from './prescriptions';
import { schedulingEvents } from './scheduling';
import { visitsEvents } from './visits';

/** Every integration event of the platform (AsyncAPI document, consumers of whole topics). */
export const allIntegrationEvents: readonly DefinedIntegrationEvent<any>[] = [
  ...schedulingEvents,
  ...visitsEvents,
  ...prescriptionsEvents,
  ...monitoringEvents,
  ...billingEligibilityEvents,
];
