import type { DefinedIntegrationEvent } from '../integration-event';

/** Integration events published by the monitoring service. */
export const monitoringEvents: readonly DefinedIntegrationEvent<any>[] = [];
