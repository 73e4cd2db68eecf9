import type { DefinedIntegrationEvent } from '../integration-event';

/** Integration events published by the visits service. */
export const visitsEvents: readonly DefinedIntegrationEvent<any>[] = [];
