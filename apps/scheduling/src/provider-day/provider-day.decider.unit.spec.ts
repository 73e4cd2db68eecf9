import { at } from '../../test/support.fixtures';
import { spec, providerId, slot9, slot930, terms, dayBefore, reserve, reserved, reservedAs, heldBy } from '../../test/provider-day.fixtures';
import { AppointmentExistsError, AppointmentNotFoundError, ModalityNotOfferedError, NotLicensedInStateError } from '../appointment/appointment.errors';
import {
  type BookParticipant,
  GroupSessionFullError,
  GroupSessionNotFoundError,
  type HoldSlot,
  type MoveParticipant,
  type MoveReservation,
  OutsideAvailabilityError,
  OverrideNotAllowedError,
  type ProviderTerms,
  type ReleaseParticipant,
  type ReleaseReservation,
  type ScheduleGroupSession,
  SlotInPastError,
  SlotTakenError,
  providerDayDecider,
} from './provider-day.decider';
import type { ProviderDayEvent } from './provider-day.events';

// The provider's calendar: holds, the lead's reservations, seats, participants, group sessions.
// Triage, modality and licensure of the booking are the appointment's: appointment.decider.unit.spec.ts.
const hold = (holdId: string, slot = slot9): HoldSlot => ({
  type: 'HoldSlot',
  data: { holdId, patientId: 'pat-1', slot, holdMinutes: 10, terms },
  metadata: dayBefore,
});
const release = (appointmentId = 'appt-1'): ReleaseReservation => ({ type: 'ReleaseReservation', data: { appointmentId, reasonCode: 'patient-request' }, metadata: dayBefore });
const released: ProviderDayEvent = {
  type: 'AppointmentTimeReleased',
  data: { appointmentId: 'appt-1', providerId, start: slot9.start, end: slot9.end, reasonCode: 'patient-request' },
};

describe('provider day: holds', () => {
  it('holds a free slot for the given minutes', () => {
    spec.given([]).when(hold('h1')).then([heldBy('pat-1', 'h1')]);
  });

  it('refuses to hold a reserved slot', () => {
    spec.given([reserved]).when(hold('h1')).thenThrows(SlotTakenError);
  });

  it('refuses to hold a slot held by someone else', () => {
    spec.given([heldBy('pat-2', 'h2')]).when(hold('h1')).thenThrows(SlotTakenError);
  });
});

describe('provider day: reserving the lead provider time', () => {
  describe('when the slot is free', () => {
    it('reserves it', () => {
      spec.given([]).when(reserve()).then([reserved]);
    });

    it('refuses a slot in the past', () => {
      spec
        .given([])
        .when(reserve({}, at('2026-03-09T13:00:00Z')))
        .thenThrows(SlotInPastError, (error) => expect(error.code).toBe('APPOINTMENT.SLOT_IN_PAST'));
    });

    it('refuses a time that is not one of the provider slots', () => {
      spec
        .given([])
        .when(reserve({ slot: { start: '2026-03-09T13:10:00.000Z', end: '2026-03-09T13:40:00.000Z' } }))
        .thenThrows(OutsideAvailabilityError, (error) => expect(error.code).toBe('APPOINTMENT.OUTSIDE_AVAILABILITY'));
    });
  });

  describe('when the slot is reserved', () => {
    it('refuses a second reservation of it, naming the provider', () => {
      spec
        .given([reserved])
        .when(reserve({ appointmentId: 'appt-2', patientId: 'pat-2' }))
        .thenThrows(SlotTakenError, (error) => {
          expect(error.code).toBe('APPOINTMENT.SLOT_TAKEN');
          expect(error.kind).toBe('conflict');
          expect(error.details).toEqual({ providerId });
        });
    });

    it('refuses any reservation that overlaps it, whatever the slot grid', () => {
      const shifted = { start: '2026-03-09T13:15:00.000Z', end: '2026-03-09T13:45:00.000Z' };
      spec
        .given([reserved])
        .when(reserve({ appointmentId: 'appt-2', slot: shifted, terms: { ...terms, offeredSlots: [shifted] } }))
        .thenThrows(SlotTakenError);
    });

    it('reserves the next slot', () => {
      spec.given([reserved]).when(reserve({ appointmentId: 'appt-2', slot: slot930 })).then([reservedAs({ appointmentId: 'appt-2', start: slot930.start, end: slot930.end })]);
    });

    it('refuses the same appointment twice on the day, even on another slot', () => {
      spec.given([reserved]).when(reserve({ slot: slot930 })).thenThrows(AppointmentExistsError);
    });
  });

  describe('when the slot is held', () => {
    it('refuses another patient while the hold lasts', () => {
      spec.given([heldBy('pat-2', 'h2')]).when(reserve()).thenThrows(SlotTakenError);
    });

    it('refuses another patient who names the hold', () => {
      spec.given([heldBy('pat-2', 'h2')]).when(reserve({ holdId: 'h2' })).thenThrows(SlotTakenError);
    });

    it('reserves it for the holder and consumes the hold', () => {
      spec.given([heldBy('pat-1', 'h1')]).when(reserve({ holdId: 'h1' })).then([reservedAs({ holdId: 'h1' })]);
    });

    it('frees it by itself once the hold expires', () => {
      spec.given([heldBy('pat-2', 'h2')]).when(reserve({}, at('2026-03-08T12:10:00Z'))).then([reserved]);
    });

    it('an expired hold of the holder is not consumed', () => {
      spec.given([heldBy('pat-1', 'h1')]).when(reserve({ holdId: 'h1' }, at('2026-03-08T12:10:00Z'))).then([reserved]);
    });
  });

  describe('scheduler override (urgent add-on)', () => {
    const scheduler = at('2026-03-08T12:00:00Z', { id: 'sched-1', role: 'ops' });

    it('reserves over an appointment with an explicit, reasoned authorization event', () => {
      spec
        .given([reserved])
        .when(reserve({ appointmentId: 'appt-2', patientId: 'pat-2', override: { reasonCode: 'urgent-add-on' } }, scheduler))
        .then([
          {
            type: 'DoubleBookingAuthorized',
            data: { appointmentId: 'appt-2', providerId, start: slot9.start, end: slot9.end, overlaps: ['appt-1'], reasonCode: 'urgent-add-on' },
          },
          reservedAs({ appointmentId: 'appt-2', patientId: 'pat-2' }),
        ]);
    });

    it('names the holds it books over too', () => {
      spec
        .given([heldBy('pat-2', 'h2')])
        .when(reserve({ override: { reasonCode: 'urgent-add-on' } }, scheduler))
        .then([
          { type: 'DoubleBookingAuthorized', data: { appointmentId: 'appt-1', providerId, start: slot9.start, end: slot9.end, overlaps: ['h2'], reasonCode: 'urgent-add-on' } },
          reserved,
        ]);
    });

    it('is refused to anyone but a scheduler', () => {
      spec
        .given([reserved])
        .when(reserve({ appointmentId: 'appt-2', patientId: 'pat-2', override: { reasonCode: 'urgent-add-on' } }))
        .thenThrows(OverrideNotAllowedError, (error) => {
          expect(error.code).toBe('APPOINTMENT.OVERRIDE_NOT_ALLOWED');
          expect(error.kind).toBe('forbidden');
        });
    });

    it('records no authorization when nothing overlaps', () => {
      spec.given([]).when(reserve({ override: { reasonCode: 'urgent-add-on' } }, scheduler)).then([reserved]);
    });
  });
});

describe('provider day: moving and releasing a reservation', () => {
  const move = (to = slot930): MoveReservation => ({ type: 'MoveReservation', data: { appointmentId: 'appt-1', to, terms }, metadata: dayBefore });
  const moved: ProviderDayEvent = { type: 'AppointmentTimeMoved', data: { appointmentId: 'appt-1', providerId, from: slot9, to: slot930 } };

  it('moves within the day and frees the old slot', () => {
    spec.given([reserved]).when(move()).then([moved]);
    spec.given([reserved, moved]).when(reserve({ appointmentId: 'appt-2', patientId: 'pat-2' })).then([reservedAs({ appointmentId: 'appt-2', patientId: 'pat-2' })]);
    spec.given([reserved, moved]).when(reserve({ appointmentId: 'appt-2', patientId: 'pat-2', slot: slot930 })).thenThrows(SlotTakenError);
  });

  it('refuses to move onto a taken slot', () => {
    spec.given([reserved, reservedAs({ appointmentId: 'appt-2', start: slot930.start, end: slot930.end })]).when(move()).thenThrows(SlotTakenError);
  });

  it('refuses to move to a time the provider does not offer, or in the past', () => {
    spec.given([reserved]).when(move({ start: '2026-03-09T15:00:00.000Z', end: '2026-03-09T15:30:00.000Z' })).thenThrows(OutsideAvailabilityError);
    spec.given([reserved]).when({ ...move(), metadata: at('2026-03-09T13:45:00Z') }).thenThrows(SlotInPastError);
  });

  it('refuses to move a reservation that is not on the day, or released', () => {
    spec.given([]).when(move()).thenThrows(AppointmentNotFoundError);
    spec.given([reserved, released]).when(move()).thenThrows(AppointmentNotFoundError);
  });

  it('releasing frees the slot at once', () => {
    spec.given([reserved]).when(release()).then([released]);
    spec.given([reserved, released]).when(reserve({ appointmentId: 'appt-2', patientId: 'pat-2' })).then([reservedAs({ appointmentId: 'appt-2', patientId: 'pat-2' })]);
  });

  it('releases the moved time', () => {
    spec.given([reserved, moved]).when(release()).then([{ ...released, data: { ...released.data, start: slot930.start, end: slot930.end } }]);
  });

  it('releasing twice records it once; releasing what is not on the day does nothing', () => {
    spec.given([reserved, released]).when(release()).thenNothingHappens();
    spec.given([reserved]).when(release('appt-elsewhere')).thenNothingHappens();
  });
});

describe('provider day: group sessions', () => {
  const schedule = (sessionId = 'g1', slot = slot9): ScheduleGroupSession => ({ type: 'ScheduleGroupSession', data: { sessionId, slot, capacity: 2, terms }, metadata: dayBefore });
  const session: ProviderDayEvent = {
    type: 'GroupSessionScheduled',
    data: { sessionId: 'g1', providerId, start: slot9.start, end: slot9.end, capacity: 2 },
  };
  const seat = (appointmentId: string, patientId: string, metadata = dayBefore) => reserve({ appointmentId, patientId, groupSessionId: 'g1' }, metadata);
  const seated = (appointmentId: string, patientId: string) => reservedAs({ appointmentId, patientId, groupSessionId: 'g1' });

  it('schedules a session in a free slot', () => {
    spec.given([]).when(schedule()).then([session]);
  });

  it('scheduling the same session again does nothing', () => {
    spec.given([session]).when(schedule()).thenNothingHappens();
  });

  it('refuses a session over a reservation or another session', () => {
    spec.given([reserved]).when(schedule()).thenThrows(SlotTakenError);
    spec.given([session]).when(schedule('g2')).thenThrows(SlotTakenError);
  });

  it('seats patients up to the capacity, then refuses (409)', () => {
    spec.given([session]).when(seat('s1', 'pat-1')).then([seated('s1', 'pat-1')]);
    spec.given([session, seated('s1', 'pat-1')]).when(seat('s2', 'pat-2')).then([seated('s2', 'pat-2')]);
    spec
      .given([session, seated('s1', 'pat-1'), seated('s2', 'pat-2')])
      .when(seat('s3', 'pat-3'))
      .thenThrows(GroupSessionFullError, (error) => {
        expect(error.code).toBe('GROUP_SESSION.FULL');
        expect(error.kind).toBe('conflict');
      });
  });

  it('a cancelled (released) seat frees room', () => {
    const freed: ProviderDayEvent = { type: 'AppointmentTimeReleased', data: { appointmentId: 's1', providerId, start: slot9.start, end: slot9.end, reasonCode: 'x' } };
    spec.given([session, seated('s1', 'pat-1'), seated('s2', 'pat-2'), freed]).when(seat('s3', 'pat-3')).then([seated('s3', 'pat-3')]);
  });

  it('refuses a seat of an unknown session, or at another time than the session', () => {
    spec
      .given([])
      .when(seat('s1', 'pat-1'))
      .thenThrows(GroupSessionNotFoundError, (error) => expect(error.code).toBe('GROUP_SESSION.NOT_FOUND'));
    spec.given([session]).when(reserve({ appointmentId: 's1', groupSessionId: 'g1', slot: slot930 })).thenThrows(GroupSessionNotFoundError);
  });

  it('refuses a seat once the session has started', () => {
    spec.given([session]).when(seat('s1', 'pat-1', at('2026-03-09T13:00:00Z'))).thenThrows(SlotInPastError);
  });

  it('holds the provider time: no one-to-one reservation overlaps it, seats do not block each other', () => {
    spec.given([session]).when(reserve()).thenThrows(SlotTakenError);
    spec.given([session, seated('s1', 'pat-1')]).when(reserve({ appointmentId: 'appt-2', slot: slot930 })).then([reservedAs({ appointmentId: 'appt-2', start: slot930.start, end: slot930.end })]);
  });
});

describe('provider day: the participant of a multi-provider appointment', () => {
  const specialist = 'prov-2';
  const specialistTerms: ProviderTerms = { providerId: specialist, licensedStates: ['NY'], modalities: ['video'], offeredSlots: [slot9, slot930] };
  const participate = (overrides: Partial<BookParticipant['data']> = {}): BookParticipant => ({
    type: 'BookParticipant',
    data: { appointmentId: 'appt-1', leadProviderId: providerId, patientId: 'pat-1', slot: slot9, modality: 'video', patientState: 'NY', terms: specialistTerms, ...overrides },
    metadata: dayBefore,
  });
  const participating: ProviderDayEvent = {
    type: 'AppointmentParticipantBooked',
    data: { appointmentId: 'appt-1', providerId: specialist, leadProviderId: providerId, patientId: 'pat-1', start: slot9.start, end: slot9.end, modality: 'video' },
  };
  const ownReservation = reservedAs({ appointmentId: 'appt-own', providerId: specialist });

  it('takes the participant time when it is free', () => {
    spec.given([]).when(participate()).then([participating]);
  });

  it('refuses when the participant has their own appointment then, naming them', () => {
    spec.given([ownReservation]).when(participate()).thenThrows(SlotTakenError);
    expect(() => providerDayDecider.decide(participate(), providerDayDecider.evolve(providerDayDecider.initialState(), ownReservation))).toThrow(
      expect.objectContaining({ code: 'APPOINTMENT.SLOT_TAKEN', details: { providerId: specialist } }),
    );
  });

  it('refuses when the participant takes part in another appointment then', () => {
    spec.given([participating]).when(participate({ appointmentId: 'appt-2' })).thenThrows(SlotTakenError);
  });

  it('refuses the same appointment twice on the day', () => {
    spec.given([participating]).when(participate({ slot: slot930 })).thenThrows(AppointmentExistsError);
  });

  it('accepts a span of consecutive offered slots, not only one grid slot', () => {
    const hour = { start: slot9.start, end: slot930.end };
    spec.given([]).when(participate({ slot: hour })).then([{ ...participating, data: { ...participating.data, end: slot930.end } }]);
  });

  it('refuses time outside the participant availability, or in the past', () => {
    spec.given([]).when(participate({ slot: { start: '2026-03-09T15:00:00.000Z', end: '2026-03-09T15:30:00.000Z' } })).thenThrows(OutsideAvailabilityError);
    spec.given([]).when({ ...participate(), metadata: at('2026-03-09T13:00:00Z') }).thenThrows(SlotInPastError);
  });

  it('refuses a telehealth visit where the participant is not licensed, or a modality they do not offer', () => {
    spec.given([]).when(participate({ patientState: 'CA' })).thenThrows(NotLicensedInStateError);
    spec.given([]).when(participate({ modality: 'phone' })).thenThrows(ModalityNotOfferedError);
  });

  it('blocks the participant own reservations over that time', () => {
    spec.given([participating]).when(reserve({ appointmentId: 'appt-2', terms: specialistTerms })).thenThrows(SlotTakenError);
  });

  it('frees the time when released, and a second release does nothing', () => {
    const releasedPart: ProviderDayEvent = {
      type: 'AppointmentParticipantReleased',
      data: { appointmentId: 'appt-1', providerId: specialist, start: slot9.start, end: slot9.end, reasonCode: 'patient-request' },
    };
    const releasePart: ReleaseParticipant = { type: 'ReleaseParticipant', data: { appointmentId: 'appt-1', reasonCode: 'patient-request' }, metadata: dayBefore };
    spec.given([participating]).when(releasePart).then([releasedPart]);
    spec.given([participating, releasedPart]).when(releasePart).thenNothingHappens();
    spec.given([participating, releasedPart]).when(reserve({ appointmentId: 'appt-2', terms: specialistTerms })).then([reservedAs({ appointmentId: 'appt-2', providerId: specialist })]);
  });

  it('moves within the day, ignoring its own old time', () => {
    const move: MoveParticipant = { type: 'MoveParticipant', data: { appointmentId: 'appt-1', to: slot930, terms: specialistTerms }, metadata: dayBefore };
    spec.given([participating]).when(move).then([{ type: 'AppointmentParticipantMoved', data: { appointmentId: 'appt-1', providerId: specialist, from: slot9, to: slot930 } }]);
    spec.given([participating, ownReservation]).when({ ...move, data: { ...move.data, to: { start: slot9.start, end: slot930.end } } }).thenThrows(SlotTakenError);
  });

  it('refuses to move a participation that is not on the day', () => {
    const move: MoveParticipant = { type: 'MoveParticipant', data: { appointmentId: 'appt-1', to: slot930, terms: specialistTerms }, metadata: dayBefore };
    spec.given([]).when(move).thenThrows(AppointmentNotFoundError);
  });
});
