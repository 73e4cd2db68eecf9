import type { DefinedIntegrationEvent } from '../integration-event';

/** Integration events published by the scheduling service. */
export const schedulingEvents: readonly DefinedIntegrationEvent<any>[] = [];
