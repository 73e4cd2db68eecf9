import { CLINICAL_REFERENCE_VERSION as rulesVersion, CRISIS_GUIDANCE, EMERGENCY_GUIDANCE, IN_PERSON_GUIDANCE } from '@carebridge/clinical-reference';
import { at } from '../../test/support.fixtures';
import { spec, providerId, slot9, slot930, terms, dayBefore, book, booked, cancelled, checkedIn } from '../../test/appointment.fixtures';
import type { ProviderTerms } from '../provider-day/provider-day.commands';
import { appointmentDecider } from './appointment.decider';
import {
  AppointmentExistsError,
  AppointmentNotChangeableError,
  AppointmentNotFoundError,
  AppointmentStartedError,
  ModalityNotOfferedError,
  NotLicensedInStateError,
  TriageAlreadyReviewedError,
  TriageReviewNotNeededError,
} from './appointment.errors';
import type { AppointmentBooked, AppointmentEvent, TriageReviewDecision } from './appointment.events';

// The appointment's own stream: triage, modality and licensure at booking, then what happens to it.
// The provider's time (slots, holds, overlaps, seats) is the day's: provider-day.decider.unit.spec.ts.
describe('appointment: booking', () => {
  it('books the visit', () => {
    spec.given([]).when(book()).then([booked]);
  });

  it('leaves the time to the day: it books whatever time the day reserves in the same write', () => {
    const offGrid = { start: '2026-03-09T13:10:00.000Z', end: '2026-03-09T13:40:00.000Z' };
    spec.given([]).when(book({ slot: offGrid })).then([{ ...booked, data: { ...booked.data, start: offGrid.start, end: offGrid.end } }]);
  });

  it('refuses a telehealth visit when the patient is in a state the provider is not licensed in', () => {
    spec
      .given([])
      .when(book({ patientState: 'CA' }))
      .thenThrows(NotLicensedInStateError, (error) => {
        expect(error.code).toBe('APPOINTMENT.PROVIDER_NOT_LICENSED_IN_STATE');
        expect(error.details).toEqual({ providerId });
      });
  });

  it('refuses a modality the provider does not offer', () => {
    spec
      .given([])
      .when(book({ modality: 'in-person' }))
      .thenThrows(ModalityNotOfferedError, (error) => expect(error.code).toBe('APPOINTMENT.MODALITY_NOT_OFFERED'));
  });

  it('refuses an appointment that already exists', () => {
    spec
      .given([booked])
      .when(book())
      .thenThrows(AppointmentExistsError, (error) => expect(error.code).toBe('APPOINTMENT.ALREADY_EXISTS'));
  });

  it('records the seat of a group session, the series and the further providers on the booking', () => {
    const series = { seriesId: 'ser-1', occurrence: 2, of: 6 };
    spec
      .given([])
      .when(book({ groupSessionId: 'g1', series, additionalProviderIds: ['prov-2'] }))
      .then([{ ...booked, data: { ...booked.data, series, groupSessionId: 'g1', additionalProviderIds: ['prov-2'] } }]);
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

  describe('triage at intake', () => {
    /** The redirection a red-flag code (or the patient's words) records. */
    const redirected = (patientId: string, rule: string, match: { via: 'code' | 'text'; field: string; phrase: string }): AppointmentEvent => ({
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

    it('a red flag is redirected before anything else is checked (here: a state the provider is not licensed in)', () => {
      spec
        .given([])
        .when(book({ appointmentId: 'appt-2', patientId: 'pat-2', patientState: 'CA', intake: { symptoms: ['seizure'] } }))
        .then([redirected('pat-2', 'seizure', { via: 'code', field: 'symptoms', phrase: 'seizure' })]);
    });

    it('what the patient wrote counts as much as the codes: "other" with a heavy chest is an emergency', () => {
      spec
        .given([])
        .when(book({ reason: 'feels like a heavy weight sitting on my chest since lunch', intake: { symptoms: ['other'] } }))
        .then([redirected('pat-1', 'chest-pain', { via: 'text', field: 'reason', phrase: 'heavy weight sitting on my chest' })]);
    });

    it('a crisis statement is an emergency whose guidance names 988 and 911', () => {
      const events = appointmentDecider.decide(
        book({ reason: 'follow-up', intake: { symptoms: ['low-mood'], description: 'I keep thinking about ending my life' } }),
        appointmentDecider.initialState(),
      );
      expect(events).toEqual([
        expect.objectContaining({ type: 'EmergencyRedirected', data: expect.objectContaining({ crisis: true, redFlags: ['suicidal-or-self-harm'], guidance: CRISIS_GUIDANCE.en }) }),
      ]);
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
      const events = appointmentDecider.decide(book({ reason: 'never had chest pain, it is a sore throat' }), appointmentDecider.initialState()) as AppointmentEvent[];
      expect(events[0]).toMatchObject({
        type: 'AppointmentBooked',
        data: { triage: { disposition: 'virtual-ok', matches: expect.arrayContaining([expect.objectContaining({ rule: 'chest-pain', status: 'negated', effect: 'none', phrase: 'chest pain' })]) } },
      });
    });

    it('abdominal pain may be booked in person (no telehealth licence needed)', () => {
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
});

describe('appointment: triage review', () => {
  const review = { disposition: 'needs-review' as const, rules: ['unplaced-symptom'], matches: [], rulesVersion };
  const flagged: AppointmentBooked = { type: 'AppointmentBooked', data: { ...booked.data, triage: review } };
  const byProvider = at('2026-03-08T15:00:00Z', { id: providerId, role: 'provider' });
  const reviewTriage = (decision: TriageReviewDecision, metadata = byProvider) => ({ type: 'ReviewTriage' as const, data: { appointmentId: 'appt-1', decision }, metadata });
  const reviewed = (decision: TriageReviewDecision): AppointmentEvent => ({
    type: 'TriageReviewed',
    data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', decision },
  });

  it('a review that keeps the video visit records the review only', () => {
    spec.given([flagged]).when(reviewTriage('virtual-ok')).then([reviewed('virtual-ok')]);
  });

  it('keeps the note of the review', () => {
    spec
      .given([flagged])
      .when({ ...reviewTriage('virtual-ok'), data: { appointmentId: 'appt-1', decision: 'virtual-ok', note: 'spoke to the patient' } })
      .then([{ type: 'TriageReviewed', data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', decision: 'virtual-ok', note: 'spoke to the patient' } }]);
  });

  it('a review that sends the patient in person cancels the video visit', () => {
    spec.given([flagged]).when(reviewTriage('in-person')).then([reviewed('in-person'), cancelled('triage-review-in-person')]);
  });

  it('a review that sends the patient to emergency care cancels the video visit', () => {
    spec.given([flagged]).when(reviewTriage('emergency')).then([reviewed('emergency'), cancelled('triage-review-emergency')]);
  });

  it('an in-person review of an in-person visit keeps it', () => {
    const inPerson: AppointmentBooked = { type: 'AppointmentBooked', data: { ...flagged.data, modality: 'in-person' } };
    spec.given([inPerson]).when(reviewTriage('in-person')).then([reviewed('in-person')]);
  });

  it('a review after the start records the review and cancels nothing', () => {
    spec.given([flagged]).when(reviewTriage('emergency', at('2026-03-09T13:05:00Z', { id: providerId, role: 'provider' }))).then([reviewed('emergency')]);
  });

  it('a review of a visit no longer booked records the review and cancels nothing', () => {
    spec.given([flagged, cancelled()]).when(reviewTriage('in-person')).then([reviewed('in-person')]);
  });

  it('the same review again changes nothing; a different one is a conflict', () => {
    spec.given([flagged, reviewed('virtual-ok')]).when(reviewTriage('virtual-ok')).thenNothingHappens();
    spec
      .given([flagged, reviewed('virtual-ok')])
      .when(reviewTriage('emergency'))
      .thenThrows(TriageAlreadyReviewedError, (error) => expect(error.code).toBe('TRIAGE.ALREADY_REVIEWED'));
  });

  it('an emergency review repeated after it cancelled the visit changes nothing', () => {
    spec.given([flagged, reviewed('emergency'), cancelled('triage-review-emergency')]).when(reviewTriage('emergency')).thenNothingHappens();
  });

  it('an intake that needed no review cannot be reviewed', () => {
    spec
      .given([booked])
      .when(reviewTriage('virtual-ok'))
      .thenThrows(TriageReviewNotNeededError, (error) => expect(error.code).toBe('TRIAGE.REVIEW_NOT_NEEDED'));
  });

  it('an unknown appointment cannot be reviewed', () => {
    spec.given([]).when(reviewTriage('virtual-ok')).thenThrows(AppointmentNotFoundError);
  });
});

describe('appointment: cancel and reschedule', () => {
  const cancel = (metadata = dayBefore) => ({ type: 'CancelAppointment' as const, data: { appointmentId: 'appt-1', reasonCode: 'patient-request' }, metadata });
  const reschedule = (to = slot930, metadata = dayBefore) => ({
    type: 'RescheduleAppointment' as const,
    data: { appointmentId: 'appt-1', to, reasonCode: 'provider-request' },
    metadata,
  });
  const rescheduled = (to = slot930): AppointmentEvent => ({
    type: 'AppointmentRescheduled',
    data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', from: slot9, to, reasonCode: 'provider-request' },
  });

  it('cancels a booked appointment', () => {
    spec.given([booked]).when(cancel()).then([cancelled()]);
  });

  it('refuses to cancel an unknown appointment', () => {
    spec
      .given([])
      .when(cancel())
      .thenThrows(AppointmentNotFoundError, (error) => expect(error.code).toBe('APPOINTMENT.NOT_FOUND'));
  });

  it('refuses to cancel after the start', () => {
    spec
      .given([booked])
      .when(cancel(at('2026-03-09T13:05:00Z')))
      .thenThrows(AppointmentStartedError, (error) => expect(error.code).toBe('APPOINTMENT.ALREADY_STARTED'));
  });

  it('refuses to cancel twice', () => {
    spec
      .given([booked, cancelled()])
      .when(cancel())
      .thenThrows(AppointmentNotChangeableError, (error) => expect(error.code).toBe('APPOINTMENT.NOT_CHANGEABLE'));
  });

  it('reschedules within the day, from the old time to the new one', () => {
    spec.given([booked]).when(reschedule()).then([rescheduled()]);
  });

  it('reschedules to another day and keeps its identity', () => {
    const nextWeek = { start: '2026-03-16T13:00:00.000Z', end: '2026-03-16T13:30:00.000Z' };
    spec.given([booked]).when(reschedule(nextWeek)).then([rescheduled(nextWeek)]);
  });

  it('a rescheduled appointment is at its new time: a later change starts from there', () => {
    spec
      .given([booked, rescheduled()])
      .when(cancel())
      .then([{ type: 'AppointmentCancelled', data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', start: slot930.start, end: slot930.end, reasonCode: 'patient-request' } }]);
  });

  it('refuses to reschedule an appointment that is not booked', () => {
    spec.given([booked, cancelled()]).when(reschedule()).thenThrows(AppointmentNotChangeableError);
    spec.given([booked, checkedIn()]).when(reschedule()).thenThrows(AppointmentNotChangeableError);
  });

  it('refuses to reschedule after the start', () => {
    spec.given([booked]).when(reschedule(slot930, at('2026-03-09T13:00:00Z'))).thenThrows(AppointmentStartedError);
  });

  it('refuses to reschedule an unknown appointment', () => {
    spec.given([]).when(reschedule()).thenThrows(AppointmentNotFoundError);
  });
});
