import { OutsideAvailabilityError, SlotInPastError, SlotTakenError } from './provider-day.errors';
import type { ProviderTerms } from './provider-day.commands';
import type { Interval } from './provider-day.events';
import type { Hold, Participation, ProviderDayState, Reservation } from './provider-day.state';

/** Checks shared by the day's decide functions: overlaps and offered slots. */
export const overlaps = (a: Interval, b: Interval): boolean =>
  Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end);

export const reservationsOf = (state: ProviderDayState): Readonly<Record<string, Reservation>> =>
  state.status === 'open' ? state.reservations : {};

export const holdsOf = (state: ProviderDayState): readonly Hold[] => (state.status === 'open' ? state.holds : []);

export function activeReservation(state: ProviderDayState, appointmentId: string): Reservation | undefined {
  const reservation = reservationsOf(state)[appointmentId];
  return reservation?.status === 'active' ? reservation : undefined;
}

export function activeParticipation(state: ProviderDayState, appointmentId: string): Participation | undefined {
  const participation = state.status === 'open' ? state.participations[appointmentId] : undefined;
  return participation?.status === 'active' ? participation : undefined;
}

/** Ids of the active reservations and participations, sessions and unexpired holds that overlap `slot`. */
export function overlapping(state: ProviderDayState, slot: Interval, now: Date, except: { holdId?: string; appointmentId?: string }): string[] {
  // Seats of a group session ride on the session, which holds the provider's time.
  const reservations = Object.values(reservationsOf(state))
    .filter((r) => r.status === 'active' && r.appointmentId !== except.appointmentId)
    .filter((r) => r.groupSessionId === undefined && overlaps(r, slot))
    .map((r) => r.appointmentId);
  const sessions = Object.entries(state.status === 'open' ? state.sessions : {})
    .filter(([, session]) => overlaps(session, slot))
    .map(([sessionId]) => sessionId);
  const holds = holdsOf(state)
    .filter((h) => Date.parse(h.expiresAt) > now.getTime() && h.holdId !== except.holdId && overlaps(h, slot))
    .map((h) => h.holdId);
  const participations = Object.values(state.status === 'open' ? state.participations : {})
    .filter((p) => p.status === 'active' && p.booking.appointmentId !== except.appointmentId && overlaps(p.booking, slot))
    .map((p) => p.booking.appointmentId);
  return [...reservations, ...sessions, ...holds, ...participations];
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
