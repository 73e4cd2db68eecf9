import { assertNever } from '@carebridge/shared-kernel';
import type { AppointmentParticipantBooked, ProviderDayEvent } from './provider-day.events';

/** The day's calendar: holds, sessions, the lead's reservations and other providers' participations. */
export interface Hold {
  readonly holdId: string;
  readonly patientId: string;
  readonly start: string;
  readonly end: string;
  readonly expiresAt: string;
}

/** The time an appointment led by this day's provider takes (a seat rides on its session's time). */
export interface Reservation {
  readonly status: 'active' | 'released';
  readonly appointmentId: string;
  readonly providerId: string;
  readonly patientId: string;
  readonly start: string;
  readonly end: string;
  readonly groupSessionId?: string;
}

/** This provider's part in another provider's appointment (specialist consult, care team). */
export interface Participation {
  readonly status: 'active' | 'released';
  readonly booking: AppointmentParticipantBooked['data'];
}

export type ProviderDayState =
  | { readonly status: 'empty' }
  | {
      readonly status: 'open';
      readonly participations: Readonly<Record<string, Participation>>;
      readonly holds: readonly Hold[];
      readonly reservations: Readonly<Record<string, Reservation>>;
      readonly sessions: Readonly<Record<string, { readonly start: string; readonly end: string; readonly capacity: number }>>;
    };

type OpenDay = Extract<ProviderDayState, { status: 'open' }>;

function open(state: ProviderDayState): OpenDay {
  return state.status === 'open' ? state : { status: 'open', participations: {}, holds: [], reservations: {}, sessions: {} };
}

function withReservation(state: ProviderDayState, appointmentId: string, change: (reservation: Reservation) => Reservation): OpenDay {
  const day = open(state);
  const reservation = day.reservations[appointmentId];
  if (reservation === undefined) return day;
  return { ...day, reservations: { ...day.reservations, [appointmentId]: change(reservation) } };
}

function withParticipation(state: ProviderDayState, appointmentId: string, change: (participation: Participation) => Participation): OpenDay {
  const day = open(state);
  const participation = day.participations[appointmentId];
  if (participation === undefined) return day;
  return { ...day, participations: { ...day.participations, [appointmentId]: change(participation) } };
}

/** Folds one event into the day's calendar. */
export function evolveProviderDay(state: ProviderDayState, event: ProviderDayEvent): ProviderDayState {
  switch (event.type) {
    case 'SlotHeld': {
      const day = open(state);
      const { providerId: _p, ...hold } = event.data;
      return { ...day, holds: [...day.holds, hold] };
    }
    case 'AppointmentTimeReserved': {
      const day = open(state);
      const { holdId, ...reservation } = event.data;
      return {
        ...day,
        holds: holdId === undefined ? day.holds : day.holds.filter((h) => h.holdId !== holdId),
        reservations: { ...day.reservations, [reservation.appointmentId]: { status: 'active', ...reservation } },
      };
    }
    case 'AppointmentTimeMoved':
      return withReservation(state, event.data.appointmentId, (r) => ({ ...r, start: event.data.to.start, end: event.data.to.end }));
    case 'AppointmentTimeReleased':
      return withReservation(state, event.data.appointmentId, (r) => ({ ...r, status: 'released' }));
    case 'AppointmentParticipantBooked': {
      const day = open(state);
      return { ...day, participations: { ...day.participations, [event.data.appointmentId]: { status: 'active', booking: event.data } } };
    }
    case 'AppointmentParticipantMoved':
      return withParticipation(state, event.data.appointmentId, (p) => ({ ...p, booking: { ...p.booking, start: event.data.to.start, end: event.data.to.end } }));
    case 'AppointmentParticipantReleased':
      return withParticipation(state, event.data.appointmentId, (p) => ({ ...p, status: 'released' }));
    case 'GroupSessionScheduled': {
      const day = open(state);
      const { start, end, capacity } = event.data;
      return { ...day, sessions: { ...day.sessions, [event.data.sessionId]: { start, end, capacity } } };
    }
    case 'DoubleBookingAuthorized':
      return open(state);
    default: {
      const exhaustive: never = event;
      return assertNever(exhaustive, 'provider-day event');
    }
  }
}
