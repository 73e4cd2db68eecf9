import { assertNever } from '@carebridge/shared-kernel';
import type { AppointmentBooked, AppointmentEvent, TriageReviewed } from './appointment.events';

export type AppointmentStatus = 'booked' | 'checked-in' | 'cancelled' | 'no-show';

export interface Appointment {
  readonly status: AppointmentStatus;
  readonly booking: AppointmentBooked['data'];
  /** `<minutesBefore>@<start>` of reminders already sent. */
  readonly reminders: readonly string[];
  readonly attachments: readonly { sha256: string; contentType: string; sizeBytes: number }[];
  readonly triageReview?: TriageReviewed['data'];
}

/** Not booked yet; triage redirected the request (nothing booked); or booked, with what happened since. */
export type AppointmentState = { readonly status: 'none' } | { readonly status: 'redirected' } | Appointment;

export const isBooked = (state: AppointmentState): state is Appointment => state.status !== 'none' && state.status !== 'redirected';

function changed(state: AppointmentState, change: (appointment: Appointment) => Appointment): AppointmentState {
  return isBooked(state) ? change(state) : state;
}

export function evolveAppointment(state: AppointmentState, event: AppointmentEvent): AppointmentState {
  switch (event.type) {
    case 'AppointmentBooked':
      return { status: 'booked', booking: event.data, reminders: [], attachments: [] };
    case 'EmergencyRedirected':
    case 'InPersonRedirected':
      return { status: 'redirected' };
    case 'AppointmentCancelled':
      return changed(state, (a) => ({ ...a, status: 'cancelled' }));
    case 'AppointmentRescheduled':
      return changed(state, (a) => ({ ...a, booking: { ...a.booking, start: event.data.to.start, end: event.data.to.end } }));
    case 'PatientCheckedIn':
      return changed(state, (a) => ({ ...a, status: 'checked-in' }));
    case 'AppointmentNoShow':
      return changed(state, (a) => ({ ...a, status: 'no-show' }));
    case 'TriageReviewed':
      return changed(state, (a) => ({ ...a, triageReview: event.data }));
    case 'IntakeAttachmentAdded': {
      const { sha256, contentType, sizeBytes } = event.data;
      return changed(state, (a) => ({ ...a, attachments: [...a.attachments, { sha256, contentType, sizeBytes }] }));
    }
    case 'AppointmentReminderSent':
      return changed(state, (a) => ({ ...a, reminders: [...a.reminders, `${event.data.minutesBefore}@${event.data.start}`] }));
    case 'AppointmentNotificationUndelivered':
    case 'AppointmentCoverageRecorded':
    case 'IntakeRead':
      return state;
    default: {
      const exhaustive: never = event;
      return assertNever(exhaustive, 'appointment event');
    }
  }
}
