import { assertNever } from '@carebridge/shared-kernel';
import type { AppointmentBooked, AppointmentParticipantBooked, ProviderDayEvent, TriageReviewed } from './provider-day.events';

/** The day's state: its calendar (holds, sessions, participations) and the appointments that start on it. */
export type AppointmentStatus = 'booked' | 'checked-in' | 'cancelled' | 'moved-out' | 'no-show';

export interface DayAppointment {
  readonly status: AppointmentStatus;
  readonly booking: AppointmentBooked['data'];
  /** `<minutesBefore>@<start>` of reminders already sent. */
  readonly reminders: readonly string[];
  readonly attachments: readonly { sha256: string; contentType: string; sizeBytes: number }[];
  readonly triageReview?: TriageReviewed['data'];
}

export interface Hold {
  readonly holdId: string;
  readonly patientId: string;
  readonly start: string;
  readonly end: string;
  readonly expiresAt: string;
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
      readonly appointments: Readonly<Record<string, DayAppointment>>;
      readonly sessions: Readonly<Record<string, { readonly start: string; readonly end: string; readonly capacity: number }>>;
    };

function open(state: ProviderDayState): Extract<ProviderDayState, { status: 'open' }> {
  return state.status === 'open' ? state : { status: 'open', participations: {}, holds: [], appointments: {}, sessions: {} };
}

function withAppointment(
  state: ProviderDayState,
  appointmentId: string,
  change: (appointment: DayAppointment) => DayAppointment,
): ProviderDayState {
  const day = open(state);
  const appointment = day.appointments[appointmentId];
  if (appointment === undefined) return day;
  return { ...day, appointments: { ...day.appointments, [appointmentId]: change(appointment) } };
}

/** Folds one event into the day: the calendar and the appointments that start on it. */
export function evolveProviderDay(state: ProviderDayState, event: ProviderDayEvent): ProviderDayState {
  switch (event.type) {
    case 'AppointmentParticipantBooked': {
      const day = open(state);
      return { ...day, participations: { ...day.participations, [event.data.appointmentId]: { status: 'active', booking: event.data } } };
    }
    case 'AppointmentParticipantMoved':
    case 'AppointmentParticipantReleased': {
      const day = open(state);
      const participation = day.participations[event.data.appointmentId];
      if (participation === undefined) return day;
      const changed: Participation =
        event.type === 'AppointmentParticipantMoved'
          ? { ...participation, booking: { ...participation.booking, start: event.data.to.start, end: event.data.to.end } }
          : { ...participation, status: 'released' };
      return { ...day, participations: { ...day.participations, [event.data.appointmentId]: changed } };
    }
    case 'SlotHeld': {
      const day = open(state);
      const { providerId: _p, ...hold } = event.data;
      return { ...day, holds: [...day.holds, hold] };
    }
    case 'AppointmentBooked': {
      const day = open(state);
      return {
        ...day,
        holds: day.holds.filter((h) => h.holdId !== event.data.holdId),
        appointments: { ...day.appointments, [event.data.appointmentId]: { status: 'booked', booking: event.data, reminders: [], attachments: [] } },
      };
    }
    case 'AppointmentMovedIn': {
      const day = open(state);
      const { from: _from, reasonCode: _reason, ...booking } = event.data;
      return { ...day, appointments: { ...day.appointments, [booking.appointmentId]: { status: 'booked', booking, reminders: [], attachments: [] } } };
    }
    case 'GroupSessionScheduled': {
      const day = open(state);
      const { start, end, capacity } = event.data;
      return { ...day, sessions: { ...day.sessions, [event.data.sessionId]: { start, end, capacity } } };
    }
    case 'EmergencyRedirected':
    case 'InPersonRedirected':
    case 'DoubleBookingAuthorized':
    case 'AppointmentCoverageRecorded':
    case 'IntakeRead':
      return open(state);
    case 'AppointmentCancelled':
      return withAppointment(state, event.data.appointmentId, (a) => ({ ...a, status: 'cancelled' }));
    case 'AppointmentRescheduled':
      return withAppointment(state, event.data.appointmentId, (a) => ({
        ...a,
        booking: { ...a.booking, start: event.data.to.start, end: event.data.to.end },
      }));
    case 'AppointmentMovedOut':
      return withAppointment(state, event.data.appointmentId, (a) => ({ ...a, status: 'moved-out' }));
    case 'PatientCheckedIn':
      return withAppointment(state, event.data.appointmentId, (a) => ({ ...a, status: 'checked-in' }));
    case 'AppointmentNoShow':
      return withAppointment(state, event.data.appointmentId, (a) => ({ ...a, status: 'no-show' }));
    case 'TriageReviewed':
      return withAppointment(state, event.data.appointmentId, (a) => ({ ...a, triageReview: event.data }));
    case 'IntakeAttachmentAdded': {
      const { sha256, contentType, sizeBytes } = event.data;
      return withAppointment(state, event.data.appointmentId, (a) => ({ ...a, attachments: [...a.attachments, { sha256, contentType, sizeBytes }] }));
    }
    case 'AppointmentNotificationUndelivered':
      return state;
    case 'AppointmentReminderSent':
      return withAppointment(state, event.data.appointmentId, (a) => ({
        ...a,
        reminders: [...a.reminders, `${event.data.minutesBefore}@${event.data.start}`],
      }));
    default: {
      const exhaustive: never = event;
      return assertNever(exhaustive, 'provider-day event');
    }
  }
}
