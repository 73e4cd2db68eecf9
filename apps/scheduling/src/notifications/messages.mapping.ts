import { DateTime } from 'luxon';
import type { AppointmentReminder, NoShowFollowUp, WaitlistOffer } from './notification.port';

/** The words of our messages, for any channel that carries text. Ids, times and links only: no reason, no provider name. */
export interface Message {
  readonly subject: string;
  readonly text: string;
}

const when = (iso: string, zone = 'UTC'): string =>
  `${DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('cccc d LLLL yyyy, HH:mm')} (${zone})`;

const ahead = (minutes: number): string => {
  if (minutes % 1440 === 0) return minutes === 1440 ? '24 hours' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return `${minutes} minutes`;
};

export function reminderMessage(reminder: AppointmentReminder, timeZone?: string): Message {
  const at = when(reminder.start, timeZone);
  return {
    subject: `Reminder: your Carebridge appointment on ${at}`,
    text: [
      `Your appointment starts on ${at}, in ${ahead(reminder.minutesBefore)}.`,
      '',
      `Join your visit: ${reminder.joinUrl}`,
      '',
      'Before your visit:',
      ...reminder.preparationTips.map((tip) => `- ${tip}`),
      '',
      'You receive this because you asked Carebridge for appointment reminders.',
    ].join('\n'),
  };
}

export function noShowMessage(followUp: NoShowFollowUp): Message {
  return {
    subject: 'We missed you at your Carebridge appointment',
    text: [
      'You did not join your appointment. You can book another time here:',
      followUp.rescheduleUrl,
      '',
      'If you need urgent care, call 911 or go to the nearest emergency room.',
    ].join('\n'),
  };
}

export function waitlistOfferMessage(offer: WaitlistOffer, timeZone?: string): Message {
  return {
    subject: `A Carebridge appointment opened on ${when(offer.start, timeZone)}`,
    text: [
      `An appointment you were waiting for is free on ${when(offer.start, timeZone)}.`,
      `It is held for you until ${when(offer.expiresAt, timeZone)}: book it with hold ${offer.holdId}.`,
    ].join('\n'),
  };
}

/**
 * The same messages as texts (SMS): one or two segments, the time and the link only. Carriers and
 * the CTIA handbook expect the sender's name and how to opt out in an automated text.
 */
const shortWhen = (iso: string, zone = 'UTC'): string =>
  `${DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('ccc d LLL, HH:mm')} (${zone})`;

export function reminderText(reminder: AppointmentReminder, timeZone?: string): string {
  return `Carebridge: your appointment is on ${shortWhen(reminder.start, timeZone)}, in ${ahead(reminder.minutesBefore)}. Test your camera and connection first. Join: ${reminder.joinUrl} Reply STOP to opt out.`;
}

export function noShowText(followUp: NoShowFollowUp): string {
  return `Carebridge: we missed you at your appointment. Book another time: ${followUp.rescheduleUrl} If you need urgent care, call 911. Reply STOP to opt out.`;
}

export function waitlistOfferText(offer: WaitlistOffer, timeZone?: string): string {
  return `Carebridge: an appointment you were waiting for is free on ${shortWhen(offer.start, timeZone)}, held for you until ${shortWhen(offer.expiresAt, timeZone)} (hold ${offer.holdId}). Reply STOP to opt out.`;
}
