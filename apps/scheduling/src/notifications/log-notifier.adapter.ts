import type { Logger } from '@carebridge/platform';
import type { AppointmentReminder, NoShowFollowUp, Notifier, WaitlistOffer } from './notification.port';

/** The default adapter: writes the reminder to the log (ids and times only) instead of sending it. */
export class LogNotifier implements Notifier {
  constructor(private readonly logger: Logger) {}

  async sendReminder(reminder: AppointmentReminder): Promise<void> {
    this.logger.info(
      { deliveryId: reminder.deliveryId, appointmentId: reminder.appointmentId, patientId: reminder.patientId, channels: reminder.channels, minutesBefore: reminder.minutesBefore },
      'appointment reminder (log adapter: not sent)',
    );
  }

  async sendNoShowFollowUp(followUp: NoShowFollowUp): Promise<void> {
    this.logger.info(
      { deliveryId: followUp.deliveryId, appointmentId: followUp.appointmentId, patientId: followUp.patientId, channels: followUp.channels },
      'no-show: invitation to reschedule (log adapter: not sent)',
    );
  }

  async sendWaitlistOffer(offer: WaitlistOffer): Promise<void> {
    this.logger.info(
      { deliveryId: offer.deliveryId, entryId: offer.entryId, patientId: offer.patientId, channels: offer.channels, providerId: offer.providerId, start: offer.start, expiresAt: offer.expiresAt },
      'waitlist offer (log adapter: not sent)',
    );
  }
}
