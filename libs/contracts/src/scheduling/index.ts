import type { DefinedIntegrationEvent } from '../integration-event';
import {
  AppointmentBooked,
  AppointmentCancelled,
  AppointmentCheckedIn,
  AppointmentNoShow,
  AppointmentReminderSent,
  AppointmentRescheduled,
} from './appointment.events';
import { EmergencyRedirected } from './triage.events';

export * from './appointment.events';
export * from './triage.events';

/** Integration events published by the scheduling service. */
export const schedulingEvents: readonly DefinedIntegrationEvent<any>[] = [
  AppointmentBooked,
  AppointmentRescheduled,
  AppointmentCancelled,
  AppointmentCheckedIn,
  AppointmentNoShow,
  AppointmentReminderSent,
  EmergencyRedirected,
];
