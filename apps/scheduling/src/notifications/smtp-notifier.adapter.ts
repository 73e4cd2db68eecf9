import { type Transporter, createTransport } from 'nodemailer';
import type { Logger } from '@carebridge/platform';
import { type Message, noShowMessage, reminderMessage, waitlistOfferMessage } from './messages.mapping';
import type { AppointmentReminder, NoShowFollowUp, Notifier, WaitlistOffer } from './notification.port';
import type { PatientContact, PatientContacts } from './patient-contact.port';

export interface SmtpNotifierOptions {
  /** `smtp://user:pass@host:587` or `smtps://...` (nodemailer connection URL). */
  readonly url: string;
  /** `Carebridge <no-reply@carebridge.example>` */
  readonly from: string;
  readonly contacts: PatientContacts;
  readonly logger: Logger;
}

/**
 * E-mail through SMTP (nodemailer) to the address in the patient's contact, only when the job asks
 * for e-mail and the patient accepts it. A patient with no contact or no e-mail gets nothing (logged
 * by ids). A send that fails throws and the job retries it. Reminders and no-show invitations carry
 * a Message-ID derived from their delivery id, the same on every retry, so that the one message a
 * crash between the send and the job's record of it can repeat is recognisable as a duplicate
 * (RFC 5322 3.6.4) by the receiving system.
 */
export class SmtpNotifier implements Notifier {
  private readonly transport: Transporter;
  private readonly messageIdDomain: string;

  constructor(private readonly options: SmtpNotifierOptions) {
    this.transport = createTransport(options.url);
    this.messageIdDomain = /@([^>\s]+)>?\s*$/.exec(options.from)?.[1] ?? 'carebridge.local';
  }

  /** `<reminder_<appointment>_<start ms>_<minutes>_email@<from domain>>`: ids and a time only. */
  messageIdOf(deliveryId: string): string {
    return `<${deliveryId}@${this.messageIdDomain}>`;
  }

  async sendReminder(reminder: AppointmentReminder): Promise<void> {
    const contact = await this.options.contacts.contactOf(reminder.patientId);
    if (reminder.channels.includes('email')) {
      await this.mail(contact, reminder.patientId, reminderMessage(reminder, contact?.timeZone), { appointmentId: reminder.appointmentId }, reminder.deliveryId);
    }
  }

  async sendNoShowFollowUp(followUp: NoShowFollowUp): Promise<void> {
    const contact = await this.options.contacts.contactOf(followUp.patientId);
    if (followUp.channels.includes('email')) {
      await this.mail(contact, followUp.patientId, noShowMessage(followUp), { appointmentId: followUp.appointmentId }, followUp.deliveryId);
    }
  }

  async sendWaitlistOffer(offer: WaitlistOffer): Promise<void> {
    const contact = await this.options.contacts.contactOf(offer.patientId);
    if (offer.channels.includes('email')) {
      await this.mail(contact, offer.patientId, waitlistOfferMessage(offer, contact?.timeZone), { entryId: offer.entryId }, offer.deliveryId);
    }
  }

  private async mail(contact: PatientContact | undefined, patientId: string, message: Message, ids: Record<string, string>, deliveryId?: string): Promise<void> {
    if (contact?.email === undefined || !contact.channels.includes('email')) {
      this.options.logger.info({ ...ids, patientId }, 'no e-mail sent: the patient has no e-mail contact or does not accept e-mail');
      return;
    }
    await this.transport.sendMail({
      from: this.options.from,
      to: contact.email,
      subject: message.subject,
      text: message.text,
      ...(deliveryId !== undefined && { messageId: this.messageIdOf(deliveryId) }),
    });
  }
}

