import type { DefinedIntegrationEvent } from '../integration-event';

/** Integration events published by the prescriptions service. */
export const prescriptionsEvents: readonly DefinedIntegrationEvent<any>[] = [];
