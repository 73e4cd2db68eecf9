import type { Modality } from '../provider/provider.events';
import type { ProviderTerms } from './provider-day.commands';
import {
  AppointmentNotChangeableError,
  AppointmentNotFoundError,
  AppointmentStartedError,
  NotLicensedInStateError,
  OutsideAvailabilityError,
  SlotInPastError,
  SlotTakenError,
} from './provider-day.errors';
import type { AppointmentBooked, Interval } from './provider-day.events';
import type { DayAppointment, Hold, ProviderDayState } from './provider-day.state';
import { licensedOn } from './licensure.rules';

/** Checks shared by the day's decide functions: overlaps, offered slots, licences, changeable appointments. */
export const TELEHEALTH: readonly Modality[] = ['video', 'phone'];

export const overlaps = (a: Interval, b: Interval): boolean =>
  Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end);

export const appointmentsOf = (state: ProviderDayState): Readonly<Record<string, DayAppointment>> =>
  state.status === 'open' ? state.appointments : {};

export const holdsOf = (state: ProviderDayState): readonly Hold[] => (state.status === 'open' ? state.holds : []);

/** Ids of the booked and checked-in appointments and unexpired holds that overlap `slot`. */
export function overlapping(state: ProviderDayState, slot: Interval, now: Date, except: { holdId?: string; appointmentId?: string }): string[] {
  // Seats of a group session ride on the session, which holds the provider's time.
  const appointments = Object.values(appointmentsOf(state))
    .filter((a) => (a.status === 'booked' || a.status === 'checked-in') && a.booking.appointmentId !== except.appointmentId)
    .filter((a) => a.booking.groupSessionId === undefined && overlaps(a.booking, slot))
    .map((a) => a.booking.appointmentId);
  const sessions = Object.entries(state.status === 'open' ? state.sessions : {})
    .filter(([, session]) => overlaps(session, slot))
    .map(([sessionId]) => sessionId);
  const holds = holdsOf(state)
    .filter((h) => Date.parse(h.expiresAt) > now.getTime() && h.holdId !== except.holdId && overlaps(h, slot))
    .map((h) => h.holdId);
  const participations = Object.values(state.status === 'open' ? state.participations : {})
    .filter((p) => p.status === 'active' && p.booking.appointmentId !== except.appointmentId && overlaps(p.booking, slot))
    .map((p) => p.booking.appointmentId);
  return [...appointments, ...sessions, ...holds, ...participations];
}

export function checkLicensed(terms: ProviderTerms, modality: Modality, patientState: string, slot: Interval): void {
  // A telehealth visit is lawful only where the provider is licensed and the patient is at visit time.
  if (!TELEHEALTH.includes(modality)) return;
  const licensed = terms.licences
    ? licensedOn(terms.licences, patientState, slot.start)
    : terms.licensedStates.includes(patientState);
  if (!licensed) {
    throw new NotLicensedInStateError(`Provider ${terms.providerId} is not licensed in ${patientState} on ${slot.start.slice(0, 10)}`, {
      providerId: terms.providerId,
    });
  }
}

/** A participant's time need not be one of their grid slots, only inside the time they offer. */
export function coveredByOfferedSlots(slot: Interval, offered: readonly Interval[]): boolean {
  let reached = Date.parse(slot.start);
  const end = Date.parse(slot.end);
  for (const s of [...offered].sort((a, b) => a.start.localeCompare(b.start))) {
    if (Date.parse(s.start) <= reached && Date.parse(s.end) > reached) reached = Date.parse(s.end);
    if (reached >= end) return true;
  }
  return false;
}

export function checkSlotTime(slot: Interval, terms: ProviderTerms, now: Date): void {
  if (Date.parse(slot.start) <= now.getTime()) {
    throw new SlotInPastError(`The slot starting ${slot.start} is in the past`);
  }
  if (!terms.offeredSlots.some((s) => s.start === slot.start && s.end === slot.end)) {
    throw new OutsideAvailabilityError(`${slot.start}-${slot.end} is not a slot of provider ${terms.providerId}`);
  }
}

export function checkSlot(state: ProviderDayState, slot: Interval, terms: ProviderTerms, now: Date, except: { holdId?: string; appointmentId?: string }): void {
  checkSlotTime(slot, terms, now);
  if (overlapping(state, slot, now, except).length > 0) {
    throw new SlotTakenError(`The slot starting ${slot.start} is no longer free`);
  }
}

export function findAppointment(state: ProviderDayState, appointmentId: string): DayAppointment {
  const appointment = appointmentsOf(state)[appointmentId];
  if (appointment === undefined || appointment.status === 'moved-out') {
    throw new AppointmentNotFoundError(`Appointment ${appointmentId} not found`);
  }
  return appointment;
}

export function changeable(appointment: DayAppointment, now: Date): AppointmentBooked['data'] {
  if (appointment.status !== 'booked') {
    throw new AppointmentNotChangeableError(`Appointment ${appointment.booking.appointmentId} is ${appointment.status}`);
  }
  if (Date.parse(appointment.booking.start) <= now.getTime()) {
    throw new AppointmentStartedError(`Appointment ${appointment.booking.appointmentId} has already started`);
  }
  return appointment.booking;
}
