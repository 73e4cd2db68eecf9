import { noShowMessage, noShowText, reminderMessage, reminderText, waitlistOfferMessage, waitlistOfferText } from './messages.mapping';
import { PREPARATION_TIPS } from './notification.port';

const reminder = {
  deliveryId: 'reminder_a1_1773061200000_60_email',
  appointmentId: 'a1',
  patientId: 'p1',
  channels: ['email'] as const,
  start: '2026-03-09T13:00:00.000Z',
  minutesBefore: 60,
  joinUrl: 'https://visits.carebridge.local/join/a1',
  preparationTips: PREPARATION_TIPS,
};

describe('messages', () => {
  it('a reminder names the time in the patient zone, carries the join link and every preparation tip', () => {
    const message = reminderMessage(reminder, 'America/New_York');
    expect(message.subject).toBe('Reminder: your Carebridge appointment on Monday 9 March 2026, 09:00 (America/New_York)');
    expect(message.text).toContain('in 1 hour.');
    expect(message.text).toContain('Join your visit: https://visits.carebridge.local/join/a1');
    for (const tip of PREPARATION_TIPS) expect(message.text).toContain(`- ${tip}`);
  });

  it('writes times in UTC when the patient gave no zone', () => {
    expect(reminderMessage({ ...reminder, minutesBefore: 1440 }).subject).toContain('13:00 (UTC)');
    expect(reminderMessage({ ...reminder, minutesBefore: 1440 }).text).toContain('in 24 hours');
  });

  it('a no-show message links to rescheduling; a waitlist offer names the hold and its expiry', () => {
    expect(noShowMessage({ deliveryId: 'no-show_a1_email', appointmentId: 'a1', patientId: 'p1', channels: ['email'], rescheduleUrl: 'https://portal/a1/reschedule' }).text).toContain(
      'https://portal/a1/reschedule',
    );
    const offer = waitlistOfferMessage(
      { deliveryId: 'd', channels: ['email'], entryId: 'e1', patientId: 'p1', providerId: 'v1', start: '2026-03-09T13:00:00.000Z', holdId: 'h1', expiresAt: '2026-03-08T12:30:00.000Z' },
      'America/New_York',
    );
    expect(offer.text).toContain('hold h1');
    expect(offer.text).toContain('Sunday 8 March 2026, 08:30 (America/New_York)');
  });

  it('texts are short (at most two 160-character segments), name the sender and how to opt out', () => {
    const joinUrl = `https://visits.carebridge.local/join/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`;
    const text = reminderText({ ...reminder, joinUrl, minutesBefore: 1440 }, 'America/Los_Angeles');
    expect(text).toBe(`Carebridge: your appointment is on Mon 9 Mar, 06:00 (America/Los_Angeles), in 24 hours. Test your camera and connection first. Join: ${joinUrl} Reply STOP to opt out.`);
    const noShow = noShowText({ deliveryId: 'd', appointmentId: 'a1', patientId: 'p1', channels: ['sms'], rescheduleUrl: 'https://portal/a1/reschedule' });
    const offer = waitlistOfferText({ deliveryId: 'd', channels: ['sms'], entryId: 'e1', patientId: 'p1', providerId: 'v1', start: '2026-03-09T13:00:00.000Z', holdId: randomUUIDLike, expiresAt: '2026-03-08T12:30:00.000Z' }, 'America/New_York');
    for (const t of [text, noShow, offer]) {
      expect(t.length).toBeLessThanOrEqual(320);
      expect(t).toMatch(/^Carebridge: .* Reply STOP to opt out\.$/);
    }
    expect(offer).toContain('Sun 8 Mar, 08:30 (America/New_York)');
  });
});

const randomUUIDLike = '123e4567-e89b-42d3-a456-426614174000';
