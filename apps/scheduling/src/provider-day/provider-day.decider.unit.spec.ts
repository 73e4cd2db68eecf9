import { at } from '../../test/support';
import { spec, providerId, slot9, slot930, terms, dayBefore, book, booked, heldBy } from '../../test/provider-day.fixtures';
import {
  AppointmentNotFoundError,
  AppointmentStartedError,
  GroupSessionFullError,
  ModalityNotOfferedError,
  NotLicensedInStateError,
  OutsideAvailabilityError,
  OverrideNotAllowedError,
  SlotInPastError,
  SlotTakenError,
  TriageAlreadyReviewedError,
  TriageReviewNotNeededError,
  providerDayDecider,
} from './provider-day.decider';
import type { AppointmentBooked, ProviderDayEvent } from './provider-day.events';
import { CLINICAL_REFERENCE_VERSION as rulesVersion, CRISIS_GUIDANCE, EMERGENCY_GUIDANCE, IN_PERSON_GUIDANCE } from '@carebridge/clinical-reference';

describe('provider day', () => {
  describe('when the slot is free', () => {
    it('books it', () => {
      spec.given([]).when(book()).then([booked]);
    });

    it('refuses a slot in the past', () => {
      spec.given([]).when(book({}, at('2026-03-09T13:00:00Z'))).thenThrows(SlotInPastError);
    });

    it('refuses a time that is not one of the provider slots', () => {
      spec.given([]).when(book({ slot: { start: '2026-03-09T13:10:00.000Z', end: '2026-03-09T13:40:00.000Z' } })).thenThrows(OutsideAvailabilityError);
    });

    it('refuses a telehealth visit when the patient is in a state the provider is not licensed in', () => {
      spec.given([]).when(book({ patientState: 'CA' })).thenThrows(NotLicensedInStateError);
    });

    it('refuses a modality the provider does not offer', () => {
      spec.given([]).when(book({ modality: 'in-person' })).thenThrows(ModalityNotOfferedError);
    });

    it('holds it for the given minutes', () => {
      spec
        .given([])
        .when({ type: 'HoldSlot', data: { holdId: 'h1', patientId: 'pat-1', slot: slot9, holdMinutes: 10, terms }, metadata: dayBefore })
        .then([heldBy('pat-1', 'h1')]);
    });
  });

  describe('triage at intake', () => {
    /** The redirection a red-flag code (or the patient's words) records. */
    const redirected = (patientId: string, rule: string, match: { via: 'code' | 'text'; field: string; phrase: string }): ProviderDayEvent => ({
      type: 'EmergencyRedirected',
      data: {
        patientId,
        providerId,
        redFlags: [rule],
        rulesSource: rulesVersion,
        guidance: EMERGENCY_GUIDANCE.en,
        crisis: false,
        matches: [{ rule, effect: 'emergency', status: 'affirmed', ...match }],
      },
    });

    it('a red flag books nothing and records the emergency redirection', () => {
      spec
        .given([])
        .when(book({ intake: { symptoms: ['cough', 'chest-pain'] } }))
        .then([redirected('pat-1', 'chest-pain', { via: 'code', field: 'symptoms', phrase: 'chest-pain' })]);
    });

    it('a red flag is redirected even when the slot is taken', () => {
      spec
        .given([booked])
        .when(book({ appointmentId: 'appt-2', patientId: 'pat-2', intake: { symptoms: ['seizure'] } }))
        .then([redirected('pat-2', 'seizure', { via: 'code', field: 'symptoms', phrase: 'seizure' })]);
    });

    it('what the patient wrote counts as much as the codes: "other" with a heavy chest is an emergency', () => {
      spec
        .given([])
        .when(book({ reason: 'feels like a heavy weight sitting on my chest since lunch', intake: { symptoms: ['other'] } }))
        .then([redirected('pat-1', 'chest-pain', { via: 'text', field: 'reason', phrase: 'heavy weight sitting on my chest' })]);
    });

    it('a crisis statement is an emergency whose guidance names 988 and 911', () => {
      const events = providerDayDecider.decide(book({ reason: 'follow-up', intake: { symptoms: ['low-mood'], description: 'I keep thinking about ending my life' } }), { status: 'empty' });
      expect(events).toEqual([expect.objectContaining({ type: 'EmergencyRedirected', data: expect.objectContaining({ crisis: true, redFlags: ['suicidal-or-self-harm'], guidance: CRISIS_GUIDANCE.en }) })]);
    });

    it('abdominal pain asked as a video visit books nothing and records the in-person redirection (an answer, not an error)', () => {
      spec
        .given([])
        .when(book({ reason: 'my stomach hurts', intake: { symptoms: ['other'] } }))
        .then([
          {
            type: 'InPersonRedirected',
            data: {
              patientId: 'pat-1',
              providerId,
              requestedModality: 'video',
              requestedStart: slot9.start,
              rules: ['abdominal-pain'],
              rulesSource: rulesVersion,
              guidance: IN_PERSON_GUIDANCE.en,
              matches: [{ rule: 'abdominal-pain', effect: 'in-person', status: 'affirmed', via: 'text', field: 'reason', phrase: 'stomach hurts' }],
            },
          },
        ]);
    });

    it('words the rules cannot place book the visit flagged for review, the words kept', () => {
      spec
        .given([])
        .when(book({ reason: 'it hurts all the time' }))
        .then([
          {
            type: 'AppointmentBooked',
            data: {
              ...booked.data,
              reason: 'it hurts all the time',
              triage: {
                disposition: 'needs-review',
                rules: ['unplaced-symptom'],
                matches: [{ rule: 'unplaced-symptom', effect: 'needs-review', status: 'affirmed', via: 'text', field: 'reason', phrase: 'hurts' }],
                rulesVersion,
              },
            },
          },
        ]);
    });

    it('negated red-flag words book a virtual visit and keep what was read', () => {
      const events = providerDayDecider.decide(book({ reason: 'never had chest pain, it is a sore throat' }), { status: 'empty' }) as ProviderDayEvent[];
      expect(events[0]).toMatchObject({
        type: 'AppointmentBooked',
        data: { triage: { disposition: 'virtual-ok', matches: expect.arrayContaining([expect.objectContaining({ rule: 'chest-pain', status: 'negated', effect: 'none', phrase: 'chest pain' })]) } },
      });
    });

    it('abdominal pain may be booked in person', () => {
      spec
        .given([])
        .when(book({ modality: 'in-person', patientState: 'CA', intake: { symptoms: ['abdominal-pain'] }, terms: { ...terms, modalities: ['video', 'in-person'] } }))
        .then([
          {
            type: 'AppointmentBooked',
            data: {
              ...booked.data,
              modality: 'in-person',
              patientState: 'CA',
              intake: { symptoms: ['abdominal-pain'] },
              triage: {
                disposition: 'in-person',
                rules: ['abdominal-pain'],
                matches: [{ rule: 'abdominal-pain', effect: 'in-person', status: 'affirmed', via: 'code', field: 'symptoms', phrase: 'abdominal-pain' }],
                rulesVersion,
              },
            },
          },
        ]);
    });
  });

  describe('when an intake waits for review', () => {
    const review = { disposition: 'needs-review' as const, rules: ['unplaced-symptom'], matches: [], rulesVersion };
    const flagged: AppointmentBooked = { type: 'AppointmentBooked', data: { ...booked.data, triage: review } };
    const byProvider = at('2026-03-08T15:00:00Z', { id: providerId, role: 'provider' });
    const reviewed = (decision: 'virtual-ok' | 'in-person' | 'emergency'): ProviderDayEvent => ({
      type: 'TriageReviewed',
      data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', decision },
    });

    it('a review that keeps the video visit records the review only', () => {
      spec.given([flagged]).when({ type: 'ReviewTriage', data: { appointmentId: 'appt-1', decision: 'virtual-ok' }, metadata: byProvider }).then([reviewed('virtual-ok')]);
    });

    it('a review that sends the patient in person cancels the video visit', () => {
      spec
        .given([flagged])
        .when({ type: 'ReviewTriage', data: { appointmentId: 'appt-1', decision: 'in-person' }, metadata: byProvider })
        .then([
          reviewed('in-person'),
          { type: 'AppointmentCancelled', data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', start: slot9.start, end: slot9.end, reasonCode: 'triage-review-in-person' } },
        ]);
    });

    it('the same review again changes nothing; a different one is a conflict', () => {
      spec.given([flagged, reviewed('virtual-ok')]).when({ type: 'ReviewTriage', data: { appointmentId: 'appt-1', decision: 'virtual-ok' }, metadata: byProvider }).then([]);
      spec.given([flagged, reviewed('virtual-ok')]).when({ type: 'ReviewTriage', data: { appointmentId: 'appt-1', decision: 'emergency' }, metadata: byProvider }).thenThrows(TriageAlreadyReviewedError);
    });

    it('an intake that needed no review cannot be reviewed', () => {
      spec.given([booked]).when({ type: 'ReviewTriage', data: { appointmentId: 'appt-1', decision: 'virtual-ok' }, metadata: byProvider }).thenThrows(TriageReviewNotNeededError);
    });

  });

  describe('when the slot is booked', () => {
    it('refuses a second booking of it', () => {
      spec.given([booked]).when(book({ appointmentId: 'appt-2', patientId: 'pat-2' })).thenThrows(SlotTakenError);
    });

    it('refuses any booking that overlaps it, whatever the slot grid', () => {
      const shifted = { start: '2026-03-09T13:15:00.000Z', end: '2026-03-09T13:45:00.000Z' };
      spec
        .given([booked])
        .when(book({ appointmentId: 'appt-2', slot: shifted, terms: { ...terms, offeredSlots: [shifted] } }))
        .thenThrows(SlotTakenError);
    });

    it('books the next slot', () => {
      spec
        .given([booked])
        .when(book({ appointmentId: 'appt-2', slot: slot930 }))
        .then([{ type: 'AppointmentBooked', data: { ...booked.data, appointmentId: 'appt-2', start: slot930.start, end: slot930.end } }]);
    });
  });

  describe('group sessions', () => {
    const session: ProviderDayEvent = {
      type: 'GroupSessionScheduled',
      data: { sessionId: 'g1', providerId, start: slot9.start, end: slot9.end, capacity: 2 },
    };
    const seat = (appointmentId: string, patientId: string) => book({ appointmentId, patientId, groupSessionId: 'g1' });
    const seated = (appointmentId: string, patientId: string): ProviderDayEvent => ({
      type: 'AppointmentBooked',
      data: { ...booked.data, appointmentId, patientId, groupSessionId: 'g1' },
    });

    it('schedules a session in a free slot', () => {
      spec
        .given([])
        .when({ type: 'ScheduleGroupSession', data: { sessionId: 'g1', slot: slot9, capacity: 2, terms }, metadata: dayBefore })
        .then([session]);
    });

    it('seats patients up to the capacity, then refuses (409)', () => {
      spec.given([session]).when(seat('s1', 'pat-1')).then([seated('s1', 'pat-1')]);
      spec.given([session, seated('s1', 'pat-1')]).when(seat('s2', 'pat-2')).then([seated('s2', 'pat-2')]);
      spec.given([session, seated('s1', 'pat-1'), seated('s2', 'pat-2')]).when(seat('s3', 'pat-3')).thenThrows(GroupSessionFullError);
    });

    it('a cancelled seat frees room', () => {
      const cancelled: ProviderDayEvent = {
        type: 'AppointmentCancelled',
        data: { appointmentId: 's1', providerId, patientId: 'pat-1', start: slot9.start, end: slot9.end, reasonCode: 'x' },
      };
      spec.given([session, seated('s1', 'pat-1'), seated('s2', 'pat-2'), cancelled]).when(seat('s3', 'pat-3')).then([seated('s3', 'pat-3')]);
    });

    it('holds the provider time: no one-to-one booking overlaps it', () => {
      spec.given([session]).when(book()).thenThrows(SlotTakenError);
    });
  });

  describe('scheduler override (urgent add-on)', () => {
    const scheduler = at('2026-03-08T12:00:00Z', { id: 'sched-1', role: 'ops' });

    it('books over an appointment with an explicit, reasoned authorization event', () => {
      spec
        .given([booked])
        .when(book({ appointmentId: 'appt-2', patientId: 'pat-2', override: { reasonCode: 'urgent-add-on' } }, scheduler))
        .then([
          {
            type: 'DoubleBookingAuthorized',
            data: { appointmentId: 'appt-2', providerId, start: slot9.start, end: slot9.end, overlaps: ['appt-1'], reasonCode: 'urgent-add-on' },
          },
          { type: 'AppointmentBooked', data: { ...booked.data, appointmentId: 'appt-2', patientId: 'pat-2' } },
        ]);
    });

    it('is refused to anyone but a scheduler', () => {
      spec.given([booked]).when(book({ appointmentId: 'appt-2', patientId: 'pat-2', override: { reasonCode: 'urgent-add-on' } })).thenThrows(OverrideNotAllowedError);
    });

    it('records no authorization when nothing overlaps', () => {
      spec.given([]).when(book({ override: { reasonCode: 'urgent-add-on' } }, scheduler)).then([booked]);
    });
  });

  describe('when the slot is held', () => {
    it('refuses another patient while the hold lasts', () => {
      spec.given([heldBy('pat-2', 'h2')]).when(book()).thenThrows(SlotTakenError);
    });

    it('books it for the holder and consumes the hold', () => {
      spec.given([heldBy('pat-1', 'h1')]).when(book({ holdId: 'h1' })).then([{ type: 'AppointmentBooked', data: { ...booked.data, holdId: 'h1' } }]);
    });

    it('frees it by itself once the hold expires', () => {
      spec.given([heldBy('pat-2', 'h2')]).when(book({}, at('2026-03-08T12:10:00Z'))).then([booked]);
    });
  });

  describe('cancel and reschedule', () => {
    it('cancelling frees the slot at once', () => {
      const cancelled: ProviderDayEvent = {
        type: 'AppointmentCancelled',
        data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', start: slot9.start, end: slot9.end, reasonCode: 'patient-request' },
      };
      spec.given([booked]).when({ type: 'CancelAppointment', data: { appointmentId: 'appt-1', reasonCode: 'patient-request' }, metadata: dayBefore }).then([cancelled]);
      spec.given([booked, cancelled]).when(book({ appointmentId: 'appt-2', patientId: 'pat-2' })).then([
        { type: 'AppointmentBooked', data: { ...booked.data, appointmentId: 'appt-2', patientId: 'pat-2' } },
      ]);
    });

    it('refuses to cancel an unknown appointment', () => {
      spec.given([booked]).when({ type: 'CancelAppointment', data: { appointmentId: 'nope', reasonCode: 'x' }, metadata: dayBefore }).thenThrows(AppointmentNotFoundError);
    });

    it('refuses to cancel after the start', () => {
      spec.given([booked]).when({ type: 'CancelAppointment', data: { appointmentId: 'appt-1', reasonCode: 'x' }, metadata: at('2026-03-09T13:05:00Z') }).thenThrows(AppointmentStartedError);
    });

    it('reschedules within the day and frees the old slot', () => {
      const moved: ProviderDayEvent = {
        type: 'AppointmentRescheduled',
        data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', from: slot9, to: slot930, reasonCode: 'provider-request' },
      };
      spec
        .given([booked])
        .when({ type: 'RescheduleAppointment', data: { appointmentId: 'appt-1', to: slot930, reasonCode: 'provider-request', terms }, metadata: dayBefore })
        .then([moved]);
      spec.given([booked, moved]).when(book({ appointmentId: 'appt-2', patientId: 'pat-2' })).then([
        { type: 'AppointmentBooked', data: { ...booked.data, appointmentId: 'appt-2', patientId: 'pat-2' } },
      ]);
    });

    it('refuses to reschedule onto a taken slot', () => {
      const other: ProviderDayEvent = { type: 'AppointmentBooked', data: { ...booked.data, appointmentId: 'appt-2', start: slot930.start, end: slot930.end } };
      spec
        .given([booked, other])
        .when({ type: 'RescheduleAppointment', data: { appointmentId: 'appt-1', to: slot930, reasonCode: 'x', terms }, metadata: dayBefore })
        .thenThrows(SlotTakenError);
    });

    it('accepts an appointment moved in from another day and keeps its identity', () => {
      spec
        .given([])
        .when({ type: 'AcceptMovedAppointment', data: { appointment: { ...booked.data, start: '2026-03-02T14:00:00.000Z', end: '2026-03-02T14:30:00.000Z' }, to: slot930, reasonCode: 'x', terms }, metadata: dayBefore })
        .then([
          {
            type: 'AppointmentMovedIn',
            data: { ...booked.data, start: slot930.start, end: slot930.end, from: { start: '2026-03-02T14:00:00.000Z', end: '2026-03-02T14:30:00.000Z' }, reasonCode: 'x' },
          },
        ]);
    });

    it('releasing a moved appointment twice records it once', () => {
      const out: ProviderDayEvent = { type: 'AppointmentMovedOut', data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', to: slot930 } };
      spec.given([booked]).when({ type: 'ReleaseMovedAppointment', data: { appointmentId: 'appt-1', to: slot930 }, metadata: dayBefore }).then([out]);
      spec.given([booked, out]).when({ type: 'ReleaseMovedAppointment', data: { appointmentId: 'appt-1', to: slot930 }, metadata: dayBefore }).thenNothingHappens();
    });
  });

});
