import type { Logger } from '@carebridge/platform';
import { noShowText, reminderText, waitlistOfferText } from './messages.mapping';
import type { AppointmentReminder, NoShowFollowUp, Notifier, WaitlistOffer } from './notification.port';
import type { PatientContacts } from './patient-contact.port';

export interface TwilioSmsNotifierOptions {
  /** `https://api.twilio.com` (plain http only on loopback, for tests). */
  readonly apiUrl: string;
  readonly accountSid: string;
  /** The account's auth token, or an API key secret with `keySid` as the user. */
  readonly authToken: string;
  /** API key SID (`SK...`) to authenticate with instead of the account SID. */
  readonly keySid?: string;
  /** Sender: an E.164 number of the account, or a Messaging Service (`MG...`). One of the two. */
  readonly from?: string;
  readonly messagingServiceSid?: string;
  readonly contacts: PatientContacts;
  readonly logger: Logger;
  /** Per request; a slow API is a failed send, retried by the job. Default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * A send the SMS API refused or could not take: the HTTP status and Twilio's error code only. The
 * API's own message can name the recipient's number, and the job's failure reason is kept in Redis.
 */
export class SmsNotSentError extends Error {
  override readonly name = 'SmsNotSentError';
  /**
   * 400: the API refuses this message for good (an invalid or landline number, 21211/21614; a
   * recipient who replied STOP, 21610): a retry would be refused again. Authentication (401/403),
   * rate limits (429) and server errors are worth retrying (an operator can fix the first).
   */
  readonly permanent: boolean;

  constructor(
    readonly responseCode: number,
    readonly code: number | string | undefined,
  ) {
    super(`SMS API answered ${responseCode}${code === undefined ? '' : ` (error ${code})`}`);
    this.permanent = responseCode === 400;
  }
}

/**
 * Texts through Twilio's Programmable Messaging REST API (`POST /2010-04-01/Accounts/{sid}/Messages.json`,
 * HTTP Basic auth, form-encoded `To`, `From` or `MessagingServiceSid`, `Body`) to the E.164 number in the
 * patient's contact, only when the patient accepts sms. A patient with no contact, no number or who
 * does not accept sms gets nothing (logged by ids). Any answer but 2xx, a network error or a
 * timeout throws, and the job retries that channel. The API has no idempotency key: a crash between
 * its 201 and the job's record of the delivery repeats that one text (at least once).
 */
export class TwilioSmsNotifier implements Notifier {
  private readonly endpoint: string;
  private readonly authorization: string;

  constructor(private readonly options: TwilioSmsNotifierOptions) {
    if ((options.from === undefined) === (options.messagingServiceSid === undefined)) {
      throw new Error('TwilioSmsNotifier needs exactly one sender: from (E.164) or messagingServiceSid');
    }
    this.endpoint = `${options.apiUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
    this.authorization = `Basic ${Buffer.from(`${options.keySid ?? options.accountSid}:${options.authToken}`).toString('base64')}`;
  }

  async sendReminder(reminder: AppointmentReminder): Promise<void> {
    if (!reminder.channels.includes('sms')) return;
    await this.text(reminder.patientId, { appointmentId: reminder.appointmentId, deliveryId: reminder.deliveryId }, (zone) => reminderText(reminder, zone));
  }

  async sendNoShowFollowUp(followUp: NoShowFollowUp): Promise<void> {
    if (!followUp.channels.includes('sms')) return;
    await this.text(followUp.patientId, { appointmentId: followUp.appointmentId, deliveryId: followUp.deliveryId }, () => noShowText(followUp));
  }

  async sendWaitlistOffer(offer: WaitlistOffer): Promise<void> {
    if (!offer.channels.includes('sms')) return;
    await this.text(offer.patientId, { entryId: offer.entryId, deliveryId: offer.deliveryId }, (zone) => waitlistOfferText(offer, zone));
  }

  private async text(patientId: string, ids: Record<string, string>, body: (timeZone?: string) => string): Promise<void> {
    const contact = await this.options.contacts.contactOf(patientId);
    if (contact?.phone === undefined || !contact.channels.includes('sms')) {
      this.options.logger.info({ ...ids, patientId }, 'no text sent: the patient has no phone number or does not accept sms');
      return;
    }
    const form = new URLSearchParams({ To: contact.phone, Body: body(contact.timeZone) });
    if (this.options.from !== undefined) form.set('From', this.options.from);
    else form.set('MessagingServiceSid', this.options.messagingServiceSid!);
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { authorization: this.authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const answer = (await response.json().catch(() => ({}))) as { sid?: unknown; status?: unknown; code?: unknown };
    if (!response.ok) {
      throw new SmsNotSentError(response.status, typeof answer.code === 'number' || typeof answer.code === 'string' ? answer.code : undefined);
    }
    this.options.logger.info({ ...ids, patientId, messageSid: answer.sid, status: answer.status }, 'text accepted by the SMS API');
  }
}
