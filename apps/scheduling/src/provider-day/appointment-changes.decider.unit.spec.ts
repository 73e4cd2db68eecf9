import { at } from '../../test/support';
import { spec, providerId, slot9, slot930, terms, dayBefore, book, booked } from '../../test/provider-day.fixtures';
import { DEFAULT_ATTENDANCE_POLICY as policy } from './attendance.rules';
import {
  AppointmentNotChangeableError,
  AppointmentNotFoundError,
  AttachmentRefusedError,
  type BookParticipant,
  type MoveParticipant,
  type ReleaseParticipant,
  CheckInClosedError,
  CheckInNotOpenError,
  GraceNotOverError,
  NotLicensedInStateError,
  OutsideAvailabilityError,
  type ProviderTerms,
  SlotTakenError,
  TooManyAttachmentsError,
  providerDayDecider,
} from './provider-day.decider';
import type { ProviderDayEvent } from './provider-day.events';

describe('provider day: appointments once booked', () => {
  describe('check-in and no-show', () => {
    const checkIn = (now: string) => ({ type: 'CheckIn' as const, data: { appointmentId: 'appt-1', policy }, metadata: at(now) });
    const noShow = (now: string) => ({ type: 'MarkNoShow' as const, data: { appointmentId: 'appt-1', policy }, metadata: at(now, { id: 'jobs', role: 'system' }) });

    it('refuses check-in before the window opens (15 minutes before)', () => {
      spec.given([booked]).when(checkIn('2026-03-09T12:44:00Z')).thenThrows(CheckInNotOpenError);
    });

    it('checks in on time', () => {
      spec.given([booked]).when(checkIn('2026-03-09T12:50:00Z')).then([
        { type: 'PatientCheckedIn', data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', minutesLate: 0 } },
      ]);
    });

    it('records a late arrival within the grace period', () => {
      spec.given([booked]).when(checkIn('2026-03-09T13:07:30Z')).then([
        { type: 'PatientCheckedIn', data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', minutesLate: 7 } },
      ]);
    });

    it('refuses check-in after the grace period', () => {
      spec.given([booked]).when(checkIn('2026-03-09T13:10:01Z')).thenThrows(CheckInClosedError);
    });

    it('is not a no-show before the grace period ends', () => {
      spec.given([booked]).when(noShow('2026-03-09T13:10:00Z')).thenThrows(GraceNotOverError);
    });

    it('becomes a no-show after the grace period', () => {
      spec.given([booked]).when(noShow('2026-03-09T13:10:01Z')).then([
        { type: 'AppointmentNoShow', data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', start: slot9.start, graceMinutes: 10 } },
      ]);
    });

    it('a no-show job scheduled for the time before a reschedule does nothing', () => {
      spec
        .given([booked, { type: 'AppointmentRescheduled', data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', from: slot9, to: slot930, reasonCode: 'x' } }])
        .when({ ...noShow('2026-03-09T13:45:00Z'), data: { appointmentId: 'appt-1', policy, scheduledStart: slot9.start } })
        .thenNothingHappens();
    });

    it('a checked-in patient is never a no-show', () => {
      spec
        .given([booked, { type: 'PatientCheckedIn', data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', minutesLate: 0 } }])
        .when(noShow('2026-03-09T13:30:00Z'))
        .thenThrows(AppointmentNotChangeableError);
    });

    describe('reported by visits (the patient checked in in its waiting room)', () => {
      const fromVisits = (now: string) => ({
        type: 'CheckIn' as const,
        data: { appointmentId: 'appt-1', policy, reportedBy: 'visits' as const },
        metadata: at(now, { id: 'visits', role: 'system' }),
      });
      const checkedIn = (minutesLate: number): ProviderDayEvent => ({
        type: 'PatientCheckedIn',
        data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', minutesLate },
      });
      const cancelled: ProviderDayEvent = {
        type: 'AppointmentCancelled',
        data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', start: slot9.start, end: slot9.end, reasonCode: 'patient-request' },
      };

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
        spec.given([booked, cancelled]).when(fromVisits('2026-03-09T12:55:00Z')).thenThrows(AppointmentNotChangeableError);
        spec
          .given([booked, { type: 'AppointmentNoShow', data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', start: slot9.start, graceMinutes: 10 } }])
          .when(fromVisits('2026-03-09T13:05:00Z'))
          .thenThrows(AppointmentNotChangeableError);
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

  describe('reminders', () => {
    const remind = (start = slot9.start) => ({
      type: 'RecordReminderSent' as const,
      data: { appointmentId: 'appt-1', start, minutesBefore: 60, channels: ['email' as const] },
      metadata: at('2026-03-09T12:00:00Z', { id: 'jobs', role: 'system' }),
    });
    const sent: ProviderDayEvent = {
      type: 'AppointmentReminderSent',
      data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', start: slot9.start, minutesBefore: 60, channels: ['email'] },
    };

    it('records a reminder of a booked appointment', () => {
      spec.given([booked]).when(remind()).then([sent]);
    });

    it('never records the same reminder twice (a retried job sends nothing)', () => {
      spec.given([booked, sent]).when(remind()).thenNothingHappens();
    });

    it('a job for the time before a reschedule is stale and sends nothing', () => {
      spec
        .given([booked, { type: 'AppointmentRescheduled', data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', from: slot9, to: slot930, reasonCode: 'x' } }])
        .when(remind(slot9.start))
        .thenNothingHappens();
    });

    it('a cancelled appointment gets no reminder', () => {
      spec
        .given([booked, { type: 'AppointmentCancelled', data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', start: slot9.start, end: slot9.end, reasonCode: 'x' } }])
        .when(remind())
        .thenNothingHappens();
    });

    const undelivered = (appointmentId = 'appt-1') => ({
      type: 'RecordNotificationUndelivered' as const,
      data: { appointmentId, kind: 'reminder' as const, start: slot9.start, minutesBefore: 60, channels: ['email' as const], reasons: ['email: EENVELOPE 450'], attempts: 8 },
      metadata: at('2026-03-09T12:40:00Z', { id: 'jobs', role: 'system' }),
    });

    it('records a reminder that did not reach the patient after the last attempt', () => {
      spec.given([booked, sent]).when(undelivered()).then([
        {
          type: 'AppointmentNotificationUndelivered',
          data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', kind: 'reminder', start: slot9.start, minutesBefore: 60, channels: ['email'], reasons: ['email: EENVELOPE 450'], attempts: 8 },
        },
      ]);
    });

    it('records nothing for an appointment that is not on this day', () => {
      spec.given([booked, sent]).when(undelivered('appt-elsewhere')).thenNothingHappens();
    });
  });

  describe('coverage', () => {
    const record = (appointmentId: string) => ({
      type: 'RecordCoverage' as const,
      data: { appointmentId, determinationId: 'det-1', outcome: 'covered' as const, reasonCodes: ['COVERAGE.ACTIVE'] },
      metadata: at('2026-03-08T12:00:00Z', { id: 'billing-eligibility', role: 'system' }),
    });

    it('records the eligibility answer on the appointment', () => {
      spec.given([booked]).when(record('appt-1')).then([
        {
          type: 'AppointmentCoverageRecorded',
          data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', determinationId: 'det-1', outcome: 'covered', reasonCodes: ['COVERAGE.ACTIVE'] },
        },
      ]);
    });

    it('refuses an answer for an appointment not on this day (retried by the consumer)', () => {
      spec.given([booked]).when(record('other')).thenThrows(AppointmentNotFoundError);
    });
  });

  describe('intake attachments', () => {
    const attach = (sha256: string, overrides: Partial<{ contentType: string; sizeBytes: number }> = {}) => ({
      type: 'AddIntakeAttachment' as const,
      data: { appointmentId: 'appt-1', sha256, contentType: 'image/jpeg', sizeBytes: 1000, ...overrides },
      metadata: dayBefore,
    });
    const added = (sha256: string): ProviderDayEvent => ({
      type: 'IntakeAttachmentAdded',
      data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', sha256, contentType: 'image/jpeg', sizeBytes: 1000 },
    });

    it('adds a photo by its hash, once', () => {
      spec.given([booked]).when(attach('a')).then([added('a')]);
      spec.given([booked, added('a')]).when(attach('a')).thenNothingHappens();
    });

    it('refuses other types and files over 10 MiB', () => {
      spec.given([booked]).when(attach('b', { contentType: 'application/pdf' })).thenThrows(AttachmentRefusedError);
      spec.given([booked]).when(attach('b', { sizeBytes: 10 * 1024 * 1024 + 1 })).thenThrows(AttachmentRefusedError);
    });

    it('refuses an eleventh photo', () => {
      const ten = Array.from({ length: 10 }, (_, i) => added(`h${i}`));
      spec.given([booked, ...ten]).when(attach('h10')).thenThrows(TooManyAttachmentsError);
    });
  });
});

describe('billing facts and licences', () => {
  it('carries service codes, purpose, setting and the licences of the terms on the booking', () => {
    const licensed: ProviderTerms = { ...terms, licences: [{ state: 'NY', expiresOn: '2027-01-31' }] };
    spec
      .given([])
      .when(book({ terms: licensed, serviceCodes: ['99213'], visitPurpose: 'mental-health', patientSetting: 'home' }))
      .then([
        {
          ...booked,
          data: {
            ...booked.data,
            serviceCodes: ['99213'],
            visitPurpose: 'mental-health',
            patientSetting: 'home',
            providerLicences: [{ state: 'NY', expiresOn: '2027-01-31' }],
          },
        },
      ]);
  });

  it('refuses a telehealth visit after the licence of the patient state has expired', () => {
    spec
      .given([])
      .when(book({ terms: { ...terms, licences: [{ state: 'NY', expiresOn: '2026-03-08' }] } }))
      .thenThrows(NotLicensedInStateError);
  });

  it('accepts it on the last day of the licence', () => {
    const lastDay: ProviderTerms = { ...terms, licences: [{ state: 'NY', expiresOn: '2026-03-09' }] };
    spec
      .given([])
      .when(book({ terms: lastDay }))
      .then([{ ...booked, data: { ...booked.data, providerLicences: [{ state: 'NY', expiresOn: '2026-03-09' }] } }]);
  });
});

describe('multi-provider appointments: the participant day', () => {
  const specialist = 'prov-2';
  const specialistTerms: ProviderTerms = { providerId: specialist, licensedStates: ['NY'], modalities: ['video'], offeredSlots: [slot9, slot930] };
  const participate = (overrides: Partial<BookParticipant['data']> = {}): BookParticipant => ({
    type: 'BookParticipant',
    data: {
      appointmentId: 'appt-1',
      leadProviderId: providerId,
      patientId: 'pat-1',
      slot: slot9,
      modality: 'video',
      patientState: 'NY',
      terms: specialistTerms,
      ...overrides,
    },
    metadata: dayBefore,
  });
  const participating: ProviderDayEvent = {
    type: 'AppointmentParticipantBooked',
    data: { appointmentId: 'appt-1', providerId: specialist, leadProviderId: providerId, patientId: 'pat-1', start: slot9.start, end: slot9.end, modality: 'video' },
  };
  const ownBooking: ProviderDayEvent = { ...booked, data: { ...booked.data, appointmentId: 'appt-own', providerId: specialist } };

  it('takes the participant time when it is free', () => {
    spec.given([]).when(participate()).then([participating]);
  });

  it('refuses when the participant is booked then, naming them', () => {
    spec.given([ownBooking]).when(participate()).thenThrows(SlotTakenError);
    expect(() => providerDayDecider.decide(participate(), providerDayDecider.evolve(providerDayDecider.initialState(), ownBooking))).toThrow(
      expect.objectContaining({ details: { providerId: specialist } }),
    );
  });

  it('accepts a span of consecutive offered slots, not only one grid slot', () => {
    const hour = { start: slot9.start, end: slot930.end };
    spec.given([]).when(participate({ slot: hour })).then([{ ...participating, data: { ...participating.data, end: slot930.end } }]);
  });

  it('refuses time outside the participant availability', () => {
    spec.given([]).when(participate({ slot: { start: '2026-03-09T15:00:00.000Z', end: '2026-03-09T15:30:00.000Z' } })).thenThrows(OutsideAvailabilityError);
  });

  it('refuses a telehealth visit where the participant is not licensed', () => {
    spec.given([]).when(participate({ patientState: 'CA' })).thenThrows(NotLicensedInStateError);
  });

  it('blocks the participant own bookings over that time', () => {
    spec.given([participating]).when(book({ appointmentId: 'appt-2', terms: specialistTerms })).thenThrows(SlotTakenError);
  });

  it('frees the time when released, and a second release does nothing', () => {
    const released: ProviderDayEvent = {
      type: 'AppointmentParticipantReleased',
      data: { appointmentId: 'appt-1', providerId: specialist, start: slot9.start, end: slot9.end, reasonCode: 'patient-request' },
    };
    const release: ReleaseParticipant = { type: 'ReleaseParticipant', data: { appointmentId: 'appt-1', reasonCode: 'patient-request' }, metadata: dayBefore };
    spec.given([participating]).when(release).then([released]);
    spec.given([participating, released]).when(release).then([]);
    spec.given([participating, released]).when(book({ appointmentId: 'appt-2', terms: specialistTerms })).then([
      { ...booked, data: { ...booked.data, appointmentId: 'appt-2', providerId: specialist } },
    ]);
  });

  it('moves within the day, ignoring its own old time', () => {
    const move: MoveParticipant = { type: 'MoveParticipant', data: { appointmentId: 'appt-1', to: slot930, terms: specialistTerms }, metadata: dayBefore };
    spec.given([participating]).when(move).then([
      { type: 'AppointmentParticipantMoved', data: { appointmentId: 'appt-1', providerId: specialist, from: slot9, to: slot930 } },
    ]);
  });
});

