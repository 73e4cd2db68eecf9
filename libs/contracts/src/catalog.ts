import type { DefinedIntegrationEvent } from './integration-event';

/**
 * Every integration event of the platform, for the AsyncAPI document and for consumers that
 * decode whatever a topic carries. Each service's contracts module adds its events here.
 */
export const allIntegrationEvents: readonly DefinedIntegrationEvent<any>[] = [];
