import { at } from '../../test/support.fixtures';
import { spec, providerId, slot9, slot930, dayBefore, booked, cancelled, checkedIn } from '../../test/appointment.fixtures';
import { DEFAULT_ATTENDANCE_POLICY as policy } from './attendance.rules';
import {
  AppointmentNotChangeableError,
  AppointmentNotFoundError,
  AppointmentStartedError,
  AttachmentRefusedError,
  CheckInClosedError,
  CheckInNotOpenError,
  GraceNotOverError,
  TooManyAttachmentsError,
} from './appointment.errors';
import type { AppointmentEvent } from './appointment.events';

// What happens to a booked appointment on its own stream: attendance, reminders, coverage, intake.
const rescheduled: AppointmentEvent = {
  type: 'AppointmentRescheduled',
  data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', from: slot9, to: slot930, reasonCode: 'x' },
};
const noShowRecorded: AppointmentEvent = {
  type: 'AppointmentNoShow',
  data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', start: slot9.start, graceMinutes: 10 },
};

describe('appointment: check-in and no-show', () => {
  const checkIn = (now: string) => ({ type: 'CheckIn' as const, data: { appointmentId: 'appt-1', policy }, metadata: at(now) });
  const noShow = (now: string) => ({ type: 'MarkNoShow' as const, data: { appointmentId: 'appt-1', policy }, metadata: at(now, { id: 'jobs', role: 'system' }) });

  it('refuses check-in before the window opens (15 minutes before)', () => {
    spec
      .given([booked])
      .when(checkIn('2026-03-09T12:44:00Z'))
      .thenThrows(CheckInNotOpenError, (error) => expect(error.code).toBe('APPOINTMENT.CHECK_IN_NOT_OPEN'));
  });

  it('checks in on time', () => {
    spec.given([booked]).when(checkIn('2026-03-09T12:50:00Z')).then([checkedIn(0)]);
  });

  it('records a late arrival within the grace period', () => {
    spec.given([booked]).when(checkIn('2026-03-09T13:07:30Z')).then([checkedIn(7)]);
  });

  it('refuses check-in after the grace period', () => {
    spec
      .given([booked])
      .when(checkIn('2026-03-09T13:10:01Z'))
      .thenThrows(CheckInClosedError, (error) => expect(error.code).toBe('APPOINTMENT.CHECK_IN_CLOSED'));
  });

  it('refuses check-in of an unknown appointment', () => {
    spec.given([]).when(checkIn('2026-03-09T12:50:00Z')).thenThrows(AppointmentNotFoundError);
  });

  it('checks in at the rescheduled time', () => {
    spec.given([booked, rescheduled]).when(checkIn('2026-03-09T13:20:00Z')).then([checkedIn(0)]);
  });

  it('is not a no-show before the grace period ends', () => {
    spec
      .given([booked])
      .when(noShow('2026-03-09T13:10:00Z'))
      .thenThrows(GraceNotOverError, (error) => expect(error.code).toBe('APPOINTMENT.GRACE_PERIOD_NOT_OVER'));
  });

  it('becomes a no-show after the grace period', () => {
    spec.given([booked]).when(noShow('2026-03-09T13:10:01Z')).then([noShowRecorded]);
  });

  it('a second no-show job does nothing', () => {
    spec.given([booked, noShowRecorded]).when(noShow('2026-03-09T13:20:00Z')).thenNothingHappens();
  });

  it('a no-show job scheduled for the time before a reschedule does nothing', () => {
    spec
      .given([booked, rescheduled])
      .when({ ...noShow('2026-03-09T13:45:00Z'), data: { appointmentId: 'appt-1', policy, scheduledStart: slot9.start } })
      .thenNothingHappens();
  });

  it('a checked-in patient is never a no-show', () => {
    spec.given([booked, checkedIn(0)]).when(noShow('2026-03-09T13:30:00Z')).thenThrows(AppointmentNotChangeableError);
  });

  it('a cancelled appointment is never a no-show', () => {
    spec.given([booked, cancelled()]).when(noShow('2026-03-09T13:30:00Z')).thenThrows(AppointmentNotChangeableError);
  });

  describe('reported by visits (the patient checked in in its waiting room)', () => {
    const fromVisits = (now: string) => ({
      type: 'CheckIn' as const,
      data: { appointmentId: 'appt-1', policy, reportedBy: 'visits' as const },
      metadata: at(now, { id: 'visits', role: 'system' }),
    });

    it('is accepted before our window opens: visits opens its waiting room 30 minutes before', () => {
      spec.given([booked]).when(fromVisits('2026-03-09T12:31:00Z')).then([checkedIn(0)]);
    });

    it('records lateness from the time visits checked the patient in', () => {
      spec.given([booked]).when(fromVisits('2026-03-09T13:04:10Z')).then([checkedIn(4)]);
    });

    it('is refused after our grace period like ours (the no-show rule is scheduling policy)', () => {
      spec.given([booked]).when(fromVisits('2026-03-09T13:10:01Z')).thenThrows(CheckInClosedError);
    });

    it('does nothing when the patient already checked in with us (both front doors)', () => {
      spec.given([booked, checkedIn(0)]).when(fromVisits('2026-03-09T12:55:00Z')).thenNothingHappens();
    });

    it('is refused for a cancelled or no-show appointment', () => {
      spec.given([booked, cancelled()]).when(fromVisits('2026-03-09T12:55:00Z')).thenThrows(AppointmentNotChangeableError);
      spec.given([booked, noShowRecorded]).when(fromVisits('2026-03-09T13:05:00Z')).thenThrows(AppointmentNotChangeableError);
    });

    it('leaves our own check-in as it was: early is refused, twice is a conflict', () => {
      spec.given([booked]).when(checkIn('2026-03-09T12:31:00Z')).thenThrows(CheckInNotOpenError);
      spec.given([booked, checkedIn(0)]).when(checkIn('2026-03-09T12:55:00Z')).thenThrows(AppointmentNotChangeableError);
    });

    it('makes the no-show job refuse the appointment afterwards', () => {
      spec
        .given([booked, checkedIn(0)])
        .when({ ...noShow('2026-03-09T13:10:01Z'), data: { appointmentId: 'appt-1', policy, scheduledStart: slot9.start } })
        .thenThrows(AppointmentNotChangeableError);
    });
  });
});

describe('appointment: reminders', () => {
  const remind = (start = slot9.start, minutesBefore = 60) => ({
    type: 'RecordReminderSent' as const,
    data: { appointmentId: 'appt-1', start, minutesBefore, channels: ['email' as const] },
    metadata: at('2026-03-09T12:00:00Z', { id: 'jobs', role: 'system' }),
  });
  const sent = (start = slot9.start, minutesBefore = 60): AppointmentEvent => ({
    type: 'AppointmentReminderSent',
    data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', start, minutesBefore, channels: ['email'] },
  });

  it('records a reminder of a booked appointment', () => {
    spec.given([booked]).when(remind()).then([sent()]);
  });

  it('never records the same reminder twice (a retried job sends nothing)', () => {
    spec.given([booked, sent()]).when(remind()).thenNothingHappens();
  });

  it('records another reminder of the same appointment (another lead time)', () => {
    spec.given([booked, sent()]).when(remind(slot9.start, 1440)).then([sent(slot9.start, 1440)]);
  });

  it('a job for the time before a reschedule is stale and sends nothing; one for the new time sends', () => {
    spec.given([booked, rescheduled]).when(remind(slot9.start)).thenNothingHappens();
    spec.given([booked, rescheduled]).when(remind(slot930.start)).then([sent(slot930.start)]);
  });

  it('a cancelled appointment gets no reminder', () => {
    spec.given([booked, cancelled('x')]).when(remind()).thenNothingHappens();
  });

  it('an unknown appointment gets no reminder', () => {
    spec.given([]).when(remind()).thenNothingHappens();
  });
});

describe('appointment: undelivered notifications', () => {
  const undelivered = (channels: readonly ('sms' | 'email')[] = ['email']) => ({
    type: 'RecordNotificationUndelivered' as const,
    data: { appointmentId: 'appt-1', kind: 'reminder' as const, start: slot9.start, minutesBefore: 60, channels, reasons: ['email: EENVELOPE 450'], attempts: 8 },
    metadata: at('2026-03-09T12:40:00Z', { id: 'jobs', role: 'system' }),
  });
  const sent: AppointmentEvent = {
    type: 'AppointmentReminderSent',
    data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', start: slot9.start, minutesBefore: 60, channels: ['email'] },
  };

  it('records a reminder that did not reach the patient after the last attempt', () => {
    spec.given([booked, sent]).when(undelivered()).then([
      {
        type: 'AppointmentNotificationUndelivered',
        data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', kind: 'reminder', start: slot9.start, minutesBefore: 60, channels: ['email'], reasons: ['email: EENVELOPE 450'], attempts: 8 },
      },
    ]);
  });

  it('records nothing for an appointment that was never booked', () => {
    spec.given([]).when(undelivered()).thenNothingHappens();
  });

  it('records nothing when no channel failed', () => {
    spec.given([booked, sent]).when(undelivered([])).thenNothingHappens();
  });
});

describe('appointment: coverage', () => {
  const record = () => ({
    type: 'RecordCoverage' as const,
    data: { appointmentId: 'appt-1', determinationId: 'det-1', outcome: 'covered' as const, reasonCodes: ['COVERAGE.ACTIVE'] },
    metadata: at('2026-03-08T12:00:00Z', { id: 'billing-eligibility', role: 'system' }),
  });

  it('records the eligibility answer on the appointment', () => {
    spec.given([booked]).when(record()).then([
      {
        type: 'AppointmentCoverageRecorded',
        data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', determinationId: 'det-1', outcome: 'covered', reasonCodes: ['COVERAGE.ACTIVE'] },
      },
    ]);
  });

  it('refuses an answer for an appointment not booked (yet: retried by the consumer)', () => {
    spec.given([]).when(record()).thenThrows(AppointmentNotFoundError);
  });
});

describe('appointment: intake read', () => {
  const read = { type: 'RecordIntakeRead' as const, data: { appointmentId: 'appt-1', purpose: 'treatment' }, metadata: at('2026-03-09T12:55:00Z', { id: providerId, role: 'provider' }) };

  it('records who read the intake and why (access accounting), each time', () => {
    const intakeRead: AppointmentEvent = { type: 'IntakeRead', data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', purpose: 'treatment' } };
    spec.given([booked]).when(read).then([intakeRead]);
    spec.given([booked, intakeRead, cancelled()]).when(read).then([intakeRead]);
  });

  it('refuses an unknown appointment', () => {
    spec.given([]).when(read).thenThrows(AppointmentNotFoundError);
  });
});

describe('appointment: intake attachments', () => {
  const attach = (sha256: string, overrides: Partial<{ contentType: string; sizeBytes: number }> = {}, metadata = dayBefore) => ({
    type: 'AddIntakeAttachment' as const,
    data: { appointmentId: 'appt-1', sha256, contentType: 'image/jpeg', sizeBytes: 1000, ...overrides },
    metadata,
  });
  const added = (sha256: string, contentType = 'image/jpeg'): AppointmentEvent => ({
    type: 'IntakeAttachmentAdded',
    data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', sha256, contentType, sizeBytes: 1000 },
  });

  it('adds a photo by its hash, once', () => {
    spec.given([booked]).when(attach('a')).then([added('a')]);
    spec.given([booked, added('a')]).when(attach('a')).thenNothingHappens();
  });

  it('accepts PNG and HEIC photos', () => {
    spec.given([booked]).when(attach('p', { contentType: 'image/png' })).then([added('p', 'image/png')]);
    spec.given([booked]).when(attach('h', { contentType: 'image/heic' })).then([added('h', 'image/heic')]);
  });

  it('refuses other types, empty files and files over 10 MiB', () => {
    spec
      .given([booked])
      .when(attach('b', { contentType: 'application/pdf' }))
      .thenThrows(AttachmentRefusedError, (error) => expect(error.code).toBe('ATTACHMENT.REFUSED'));
    spec.given([booked]).when(attach('b', { sizeBytes: 0 })).thenThrows(AttachmentRefusedError);
    spec.given([booked]).when(attach('b', { sizeBytes: 10 * 1024 * 1024 + 1 })).thenThrows(AttachmentRefusedError);
  });

  it('refuses an eleventh photo', () => {
    const ten = Array.from({ length: 10 }, (_, i) => added(`h${i}`));
    spec
      .given([booked, ...ten])
      .when(attach('h10'))
      .thenThrows(TooManyAttachmentsError, (error) => expect(error.code).toBe('ATTACHMENT.TOO_MANY'));
  });

  it('refuses a photo once the appointment has started, or is no longer booked', () => {
    spec.given([booked]).when(attach('c', {}, at('2026-03-09T13:00:00Z'))).thenThrows(AppointmentStartedError);
    spec.given([booked, cancelled()]).when(attach('c')).thenThrows(AppointmentNotChangeableError);
  });

  it('refuses a photo for an unknown appointment', () => {
    spec.given([]).when(attach('c')).thenThrows(AppointmentNotFoundError);
  });
});
