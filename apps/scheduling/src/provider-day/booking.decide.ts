import { intakeTexts, triage, triageRecord } from '@carebridge/clinical-reference';
import type {
  BookAppointment,
  BookParticipant,
  HoldSlot,
  MoveParticipant,
  ProviderTerms,
  ReleaseParticipant,
  ScheduleGroupSession,
} from './provider-day.commands';
import {
  AppointmentExistsError,
  AppointmentNotFoundError,
  GroupSessionFullError,
  GroupSessionNotFoundError,
  ModalityNotOfferedError,
  OutsideAvailabilityError,
  OverrideNotAllowedError,
  SlotInPastError,
  SlotTakenError,
} from './provider-day.errors';
import type { BillingFacts, IntakeTriage, Interval, ProviderDayEvent } from './provider-day.events';
import type { Participation, ProviderDayState } from './provider-day.state';
import {
  appointmentsOf,
  checkLicensed,
  checkSlot,
  checkSlotTime,
  coveredByOfferedSlots,
  holdsOf,
  overlapping,
} from './provider-day.rules';

/** Taking the provider's time: holds, bookings (after triage), group sessions and seats, a participant's part. */
export function decideHold(command: HoldSlot, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  checkSlot(state, data.slot, data.terms, metadata.now, {});
  return [
    {
      type: 'SlotHeld',
      data: {
        holdId: data.holdId,
        providerId: data.terms.providerId,
        patientId: data.patientId,
        start: data.slot.start,
        end: data.slot.end,
        expiresAt: new Date(metadata.now.getTime() + data.holdMinutes * 60_000).toISOString(),
      },
    },
  ];
}

export function decideBook(command: BookAppointment, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  if (appointmentsOf(state)[data.appointmentId] !== undefined) {
    throw new AppointmentExistsError(`Appointment ${data.appointmentId} already exists`);
  }
  // Triage is an answer, not an error: an emergency or an in-person need books nothing and says why.
  const result = triage({ symptoms: data.intake.symptoms, texts: intakeTexts(data.reason, data.intake) });
  const who = { patientId: data.patientId, providerId: data.terms.providerId };
  if (result.disposition === 'emergency') {
    return [
      {
        type: 'EmergencyRedirected',
        data: { ...who, redFlags: result.rules, rulesSource: result.rulesVersion, guidance: result.guidance!, crisis: result.crisis, matches: result.matches },
      },
    ];
  }
  if (result.disposition === 'in-person' && data.modality !== 'in-person') {
    return [
      {
        type: 'InPersonRedirected',
        data: {
          ...who,
          requestedModality: data.modality,
          requestedStart: data.slot.start,
          rules: result.rules,
          rulesSource: result.rulesVersion,
          guidance: result.guidance!,
          matches: result.matches,
        },
      },
    ];
  }
  const intakeTriage: IntakeTriage = triageRecord(result);
  if (!data.terms.modalities.includes(data.modality)) {
    throw new ModalityNotOfferedError(`Provider ${data.terms.providerId} does not offer ${data.modality} visits`);
  }
  checkLicensed(data.terms, data.modality, data.patientState, data.slot);
  if (data.groupSessionId !== undefined) return bookSeat(command, state, data.groupSessionId, intakeTriage);
  const ownHold = holdsOf(state).find(
    (h) =>
      h.holdId === data.holdId &&
      h.patientId === data.patientId &&
      h.start === data.slot.start &&
      Date.parse(h.expiresAt) > metadata.now.getTime(),
  );
  checkSlotTime(data.slot, data.terms, metadata.now);
  const overlaps = overlapping(state, data.slot, metadata.now, ownHold ? { holdId: ownHold.holdId } : {});
  if (overlaps.length > 0 && data.override === undefined) {
    throw new SlotTakenError(`The slot starting ${data.slot.start} is no longer free (provider ${data.terms.providerId})`, { providerId: data.terms.providerId });
  }
  if (overlaps.length > 0 && metadata.actor.role !== 'ops') {
    throw new OverrideNotAllowedError('Only a scheduler may book over other bookings');
  }
  const authorization: ProviderDayEvent[] =
    overlaps.length > 0
      ? [
          {
            type: 'DoubleBookingAuthorized',
            data: {
              appointmentId: data.appointmentId,
              providerId: data.terms.providerId,
              start: data.slot.start,
              end: data.slot.end,
              overlaps,
              reasonCode: data.override!.reasonCode,
            },
          },
        ]
      : [];
  return [
    ...authorization,
    {
      type: 'AppointmentBooked',
      data: {
        appointmentId: data.appointmentId,
        providerId: data.terms.providerId,
        patientId: data.patientId,
        start: data.slot.start,
        end: data.slot.end,
        modality: data.modality,
        patientState: data.patientState,
        reason: data.reason,
        intake: data.intake,
        ...(ownHold && { holdId: ownHold.holdId }),
        ...(data.series !== undefined && { series: data.series }),
        ...(data.additionalProviderIds !== undefined && data.additionalProviderIds.length > 0 && { additionalProviderIds: [...data.additionalProviderIds] }),
        triage: intakeTriage,
        ...billingFacts(command),
      },
    },
  ];
}

function billingFacts(command: BookAppointment): BillingFacts {
  const { data } = command;
  return {
    ...(data.serviceCodes !== undefined && { serviceCodes: [...data.serviceCodes] }),
    ...(data.visitPurpose !== undefined && { visitPurpose: data.visitPurpose }),
    ...(data.patientSetting !== undefined && { patientSetting: data.patientSetting }),
    ...(data.terms.licences !== undefined && { providerLicences: data.terms.licences.map((l) => ({ ...l })) }),
  };
}

export function decideBookParticipant(command: BookParticipant, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  const providerId = data.terms.providerId;
  if (state.status === 'open' && (state.participations[data.appointmentId] !== undefined || state.appointments[data.appointmentId] !== undefined)) {
    throw new AppointmentExistsError(`Appointment ${data.appointmentId} is already on provider ${providerId}'s day`);
  }
  if (!data.terms.modalities.includes(data.modality)) {
    throw new ModalityNotOfferedError(`Provider ${providerId} does not offer ${data.modality} visits`, { providerId });
  }
  checkLicensed(data.terms, data.modality, data.patientState, data.slot);
  checkParticipantSlot(state, data.slot, data.terms, metadata.now, {});
  return [
    {
      type: 'AppointmentParticipantBooked',
      data: {
        appointmentId: data.appointmentId,
        providerId,
        leadProviderId: data.leadProviderId,
        patientId: data.patientId,
        start: data.slot.start,
        end: data.slot.end,
        modality: data.modality,
      },
    },
  ];
}

function checkParticipantSlot(state: ProviderDayState, slot: Interval, terms: ProviderTerms, now: Date, except: { appointmentId?: string }): void {
  const providerId = terms.providerId;
  if (Date.parse(slot.start) <= now.getTime()) throw new SlotInPastError(`The slot starting ${slot.start} is in the past`);
  if (!coveredByOfferedSlots(slot, terms.offeredSlots)) {
    throw new OutsideAvailabilityError(`${slot.start}-${slot.end} is outside provider ${providerId}'s availability`, { providerId });
  }
  if (overlapping(state, slot, now, except).length > 0) {
    throw new SlotTakenError(`Provider ${providerId} is not free at ${slot.start}`, { providerId });
  }
}

function activeParticipation(state: ProviderDayState, appointmentId: string): Participation | undefined {
  const participation = state.status === 'open' ? state.participations[appointmentId] : undefined;
  return participation?.status === 'active' ? participation : undefined;
}

export function decideMoveParticipant(command: MoveParticipant, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  const participation = activeParticipation(state, data.appointmentId);
  if (participation === undefined) throw new AppointmentNotFoundError(`Appointment ${data.appointmentId} not found on provider ${data.terms.providerId}'s day`);
  checkParticipantSlot(state, data.to, data.terms, metadata.now, { appointmentId: data.appointmentId });
  const { booking } = participation;
  return [
    {
      type: 'AppointmentParticipantMoved',
      data: { appointmentId: booking.appointmentId, providerId: booking.providerId, from: { start: booking.start, end: booking.end }, to: data.to },
    },
  ];
}

export function decideReleaseParticipant(command: ReleaseParticipant, state: ProviderDayState): ProviderDayEvent[] {
  const participation = activeParticipation(state, command.data.appointmentId);
  // Already free (released before): nothing to do.
  if (participation === undefined) return [];
  const { booking } = participation;
  return [
    {
      type: 'AppointmentParticipantReleased',
      data: {
        appointmentId: booking.appointmentId,
        providerId: booking.providerId,
        start: booking.start,
        end: booking.end,
        reasonCode: command.data.reasonCode,
      },
    },
  ];
}

function bookSeat(command: BookAppointment, state: ProviderDayState, sessionId: string, intakeTriage: IntakeTriage): ProviderDayEvent[] {
  const { data, metadata } = command;
  const session = state.status === 'open' ? state.sessions[sessionId] : undefined;
  if (session === undefined || session.start !== data.slot.start) {
    throw new GroupSessionNotFoundError(`Group session ${sessionId} not found at ${data.slot.start}`);
  }
  if (Date.parse(session.start) <= metadata.now.getTime()) throw new SlotInPastError(`Group session ${sessionId} has started`);
  const seats = Object.values(appointmentsOf(state)).filter(
    (a) => a.booking.groupSessionId === sessionId && (a.status === 'booked' || a.status === 'checked-in'),
  );
  if (seats.length >= session.capacity) throw new GroupSessionFullError(`Group session ${sessionId} is full (${session.capacity})`);
  return [
    {
      type: 'AppointmentBooked',
      data: {
        appointmentId: data.appointmentId,
        providerId: data.terms.providerId,
        patientId: data.patientId,
        start: session.start,
        end: session.end,
        modality: data.modality,
        patientState: data.patientState,
        reason: data.reason,
        intake: data.intake,
        groupSessionId: sessionId,
        triage: intakeTriage,
        ...billingFacts(command),
      },
    },
  ];
}

export function decideGroupSession(command: ScheduleGroupSession, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  if (state.status === 'open' && state.sessions[data.sessionId] !== undefined) return [];
  checkSlot(state, data.slot, data.terms, metadata.now, {});
  return [
    {
      type: 'GroupSessionScheduled',
      data: { sessionId: data.sessionId, providerId: data.terms.providerId, start: data.slot.start, end: data.slot.end, capacity: data.capacity },
    },
  ];
}
