import type { AppointmentReminder, NoShowFollowUp, Notifier, WaitlistOffer } from './notification.port';

/**
 * Sends each channel through its own adapter (e-mail: SMTP or the log; sms: the SMS API or the
 * log). A message asks for the channels of its job, one at a time; each adapter sends only what
 * the patient accepts.
 */
export class ChannelNotifier implements Notifier {
  constructor(private readonly by: { readonly email: Notifier; readonly sms: Notifier }) {}

  async sendReminder(reminder: AppointmentReminder): Promise<void> {
    for (const channel of reminder.channels) await this.by[channel].sendReminder({ ...reminder, channels: [channel] });
  }

  async sendNoShowFollowUp(followUp: NoShowFollowUp): Promise<void> {
    for (const channel of followUp.channels) await this.by[channel].sendNoShowFollowUp({ ...followUp, channels: [channel] });
  }

  async sendWaitlistOffer(offer: WaitlistOffer): Promise<void> {
    for (const channel of offer.channels) await this.by[channel].sendWaitlistOffer({ ...offer, channels: [channel] });
  }
}
