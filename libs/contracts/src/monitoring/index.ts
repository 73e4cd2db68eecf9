import type { DefinedIntegrationEvent } from '../integration-event';
import {
  DeviceReadingsReported,
  MonitoringAlertAcknowledged,
  MonitoringAlertEscalated,
  MonitoringAlertRaised,
  MonitoringAlertResolved,
  RpmPeriodClosed,
} from './monitoring.events';

export * from './monitoring.events';

/** Integration events published by the monitoring service (and the device gateways' readings it consumes). */
export const monitoringEvents: readonly DefinedIntegrationEvent<any>[] = [
  DeviceReadingsReported,
  MonitoringAlertRaised,
  MonitoringAlertEscalated,
  MonitoringAlertAcknowledged,
  MonitoringAlertResolved,
  RpmPeriodClosed,
];
