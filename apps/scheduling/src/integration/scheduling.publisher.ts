import {
  AppointmentBooked,
  AppointmentCancelled,
  AppointmentCheckedIn,
  AppointmentNoShow,
  AppointmentReminderSent,
  AppointmentRescheduled,
  EmergencyRedirected,
} from '@carebridge/contracts';
import type { RecordedEvent } from '@carebridge/event-store';
import { type EventPublisher, publish } from '@carebridge/messaging';
import type { AppointmentEvent } from '../appointment/appointment.events';
import { APPOINTMENT_STREAM_PREFIX } from '../appointment/appointment.stream';

/** Topics the service publishes to (created at boot). */
export const SCHEDULING_TOPICS = [AppointmentBooked.topic, EmergencyRedirected.topic] as const;

/**
 * Private appointment events -> contracts/scheduling integration events. The calendar (provider-day:
 * holds, reservations, participants, group sessions, double bookings) and provider events stay private:
 * an appointment's AppointmentBooked names its further providers, its seat's session.
 */
export const schedulingPublisher: EventPublisher = (recorded: RecordedEvent) => {
  if (!recorded.streamId.startsWith(APPOINTMENT_STREAM_PREFIX)) return [];
  const event = { type: recorded.type, data: recorded.data } as AppointmentEvent;
  switch (event.type) {
    case 'AppointmentBooked': {
      const d = event.data;
      return [
        publish(AppointmentBooked, {
          appointmentId: d.appointmentId,
          patientId: d.patientId,
          providerId: d.providerId,
          startsAt: d.start,
          endsAt: d.end,
          modality: d.modality,
          patientState: d.patientState,
          ...(d.series !== undefined && { seriesId: d.series.seriesId }),
          ...(d.groupSessionId !== undefined && { groupSessionId: d.groupSessionId }),
          ...(d.serviceCodes !== undefined && { serviceCodes: [...d.serviceCodes] }),
          ...(d.visitPurpose !== undefined && { visitPurpose: d.visitPurpose }),
          ...(d.patientSetting !== undefined && { patientSetting: d.patientSetting }),
          ...(d.providerLicences !== undefined && {
            providerLicences: d.providerLicences.map((l) => ({ state: l.state, ...(l.expiresOn !== undefined && { expiresOn: l.expiresOn }) })),
          }),
          ...(d.additionalProviderIds !== undefined && d.additionalProviderIds.length > 0 && { additionalProviderIds: [...d.additionalProviderIds] }),
        }, recorded),
      ];
    }
    case 'AppointmentRescheduled': {
      const d = event.data;
      return [
        publish(AppointmentRescheduled, {
          appointmentId: d.appointmentId,
          patientId: d.patientId,
          providerId: d.providerId,
          previousStartsAt: d.from.start,
          startsAt: d.to.start,
          endsAt: d.to.end,
          reasonCode: d.reasonCode,
        }, recorded),
      ];
    }
    case 'AppointmentCancelled': {
      const d = event.data;
      return [
        publish(AppointmentCancelled, {
          appointmentId: d.appointmentId,
          patientId: d.patientId,
          providerId: d.providerId,
          startsAt: d.start,
          reasonCode: d.reasonCode,
          cancelledBy: recorded.metadata.actor.role,
        }, recorded),
      ];
    }
    case 'PatientCheckedIn':
      return [publish(AppointmentCheckedIn, { ...event.data }, recorded)];
    case 'AppointmentNoShow': {
      const d = event.data;
      return [
        publish(AppointmentNoShow, { appointmentId: d.appointmentId, patientId: d.patientId, providerId: d.providerId, startsAt: d.start }, recorded),
      ];
    }
    case 'EmergencyRedirected':
      return [
        publish(EmergencyRedirected, {
          patientId: event.data.patientId,
          providerId: event.data.providerId,
          redFlagCodes: [...event.data.redFlags],
          rulesSource: event.data.rulesSource,
        }, recorded),
      ];
    case 'AppointmentReminderSent': {
      const d = event.data;
      return [
        publish(AppointmentReminderSent, {
          appointmentId: d.appointmentId,
          patientId: d.patientId,
          providerId: d.providerId,
          startsAt: d.start,
          minutesBefore: d.minutesBefore,
          channels: [...d.channels],
        }, recorded),
      ];
    }
    case 'AppointmentCoverageRecorded': // billing-eligibility's own answer, not ours to republish
    case 'IntakeRead': // access log, stays in the service
    case 'AppointmentNotificationUndelivered': // the service's own delivery record (shown on the appointment)
    case 'IntakeAttachmentAdded': // PHI, stays in the service
    case 'InPersonRedirected': // nothing was booked; the patient was offered in-person care (intake words stay here)
    case 'TriageReviewed': // a clinician's review of the intake; a cancellation it causes is published as AppointmentCancelled
      return [];
    default: {
      const exhaustive: never = event;
      throw new Error(`unmapped event ${JSON.stringify(exhaustive)}`);
    }
  }
};
