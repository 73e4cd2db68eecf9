import { AppointmentExistsError, AppointmentNotFoundError, ModalityNotOfferedError } from '../appointment/appointment.errors';
import { checkLicensed } from '../appointment/appointment.rules';
import type {
  BookParticipant,
  HoldSlot,
  MoveParticipant,
  MoveReservation,
  ProviderTerms,
  ReleaseParticipant,
  ReleaseReservation,
  ReserveTime,
  ScheduleGroupSession,
} from './provider-day.commands';
import {
  GroupSessionFullError,
  GroupSessionNotFoundError,
  OutsideAvailabilityError,
  OverrideNotAllowedError,
  SlotInPastError,
  SlotTakenError,
} from './provider-day.errors';
import type { Interval, ProviderDayEvent } from './provider-day.events';
import type { ProviderDayState } from './provider-day.state';
import {
  activeParticipation,
  activeReservation,
  checkSlot,
  checkSlotTime,
  coveredByOfferedSlots,
  holdsOf,
  overlapping,
  reservationsOf,
} from './provider-day.rules';

/** Taking and freeing the provider's time: holds, reservations (one's own or a seat), group sessions, a participant's part. */
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

function checkNotOnDay(state: ProviderDayState, appointmentId: string, providerId: string): void {
  // A released one may come back (moved away and back again): only time still taken here is a duplicate.
  if (activeParticipation(state, appointmentId) !== undefined || activeReservation(state, appointmentId) !== undefined) {
    throw new AppointmentExistsError(`Appointment ${appointmentId} is already on provider ${providerId}'s day`);
  }
}

export function decideReserve(command: ReserveTime, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  const providerId = data.terms.providerId;
  checkNotOnDay(state, data.appointmentId, providerId);
  if (data.groupSessionId !== undefined) return reserveSeat(command, state, data.groupSessionId);
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
    throw new SlotTakenError(`The slot starting ${data.slot.start} is no longer free (provider ${providerId})`, { providerId });
  }
  if (overlaps.length > 0 && metadata.actor.role !== 'ops') {
    throw new OverrideNotAllowedError('Only a scheduler may book over other bookings');
  }
  const { appointmentId, patientId } = data;
  const authorization: ProviderDayEvent[] =
    overlaps.length > 0
      ? [{ type: 'DoubleBookingAuthorized', data: { appointmentId, providerId, start: data.slot.start, end: data.slot.end, overlaps, reasonCode: data.override!.reasonCode } }]
      : [];
  return [
    ...authorization,
    {
      type: 'AppointmentTimeReserved',
      data: { appointmentId, providerId, patientId, start: data.slot.start, end: data.slot.end, ...(ownHold && { holdId: ownHold.holdId }) },
    },
  ];
}

function reserveSeat(command: ReserveTime, state: ProviderDayState, sessionId: string): ProviderDayEvent[] {
  const { data, metadata } = command;
  const session = state.status === 'open' ? state.sessions[sessionId] : undefined;
  if (session === undefined || session.start !== data.slot.start) {
    throw new GroupSessionNotFoundError(`Group session ${sessionId} not found at ${data.slot.start}`);
  }
  if (Date.parse(session.start) <= metadata.now.getTime()) throw new SlotInPastError(`Group session ${sessionId} has started`);
  const seats = Object.values(reservationsOf(state)).filter((r) => r.groupSessionId === sessionId && r.status === 'active');
  if (seats.length >= session.capacity) throw new GroupSessionFullError(`Group session ${sessionId} is full (${session.capacity})`);
  return [
    {
      type: 'AppointmentTimeReserved',
      data: { appointmentId: data.appointmentId, providerId: data.terms.providerId, patientId: data.patientId, start: session.start, end: session.end, groupSessionId: sessionId },
    },
  ];
}

export function decideMoveReservation(command: MoveReservation, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  const reservation = activeReservation(state, data.appointmentId);
  if (reservation === undefined) throw new AppointmentNotFoundError(`Appointment ${data.appointmentId} not found on provider ${data.terms.providerId}'s day`);
  checkSlot(state, data.to, data.terms, metadata.now, { appointmentId: data.appointmentId });
  return [
    {
      type: 'AppointmentTimeMoved',
      data: { appointmentId: data.appointmentId, providerId: data.terms.providerId, from: { start: reservation.start, end: reservation.end }, to: data.to },
    },
  ];
}

export function decideReleaseReservation(command: ReleaseReservation, state: ProviderDayState): ProviderDayEvent[] {
  const reservation = activeReservation(state, command.data.appointmentId);
  // Already free (released before): nothing to do.
  if (reservation === undefined) return [];
  const { appointmentId, providerId, start, end } = reservation;
  return [{ type: 'AppointmentTimeReleased', data: { appointmentId, providerId, start, end, reasonCode: command.data.reasonCode } }];
}

export function decideBookParticipant(command: BookParticipant, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  const providerId = data.terms.providerId;
  checkNotOnDay(state, data.appointmentId, providerId);
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
      data: { appointmentId: booking.appointmentId, providerId: booking.providerId, start: booking.start, end: booking.end, reasonCode: command.data.reasonCode },
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
