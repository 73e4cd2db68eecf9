import { noShowMessage, reminderMessage, waitlistOfferMessage } from './messages';
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
      { entryId: 'e1', patientId: 'p1', providerId: 'v1', start: '2026-03-09T13:00:00.000Z', holdId: 'h1', expiresAt: '2026-03-08T12:30:00.000Z' },
      'America/New_York',
    );
    expect(offer.text).toContain('hold h1');
    expect(offer.text).toContain('Sunday 8 March 2026, 08:30 (America/New_York)');
  });
});
