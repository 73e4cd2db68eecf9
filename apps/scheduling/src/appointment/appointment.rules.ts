import type { Modality } from '../provider/provider.events';
import type { Interval, ProviderTerms } from '../provider-day/provider-day.events';
import { AppointmentNotChangeableError, AppointmentNotFoundError, AppointmentStartedError, NotLicensedInStateError } from './appointment.errors';
import type { AppointmentBooked, TriageReviewDecision } from './appointment.events';
import { type Appointment, type AppointmentState, isBooked } from './appointment.state';
import { licensedOn } from './licensure.rules';

/** Checks shared by the appointment's decide functions (and a participant's licensure on their day). */
export const TELEHEALTH: readonly Modality[] = ['video', 'phone'];

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

export function booked(state: AppointmentState, appointmentId: string): Appointment {
  if (!isBooked(state)) throw new AppointmentNotFoundError(`Appointment ${appointmentId} not found`);
  return state;
}

export function changeable(appointment: Appointment, now: Date): AppointmentBooked['data'] {
  if (appointment.status !== 'booked') {
    throw new AppointmentNotChangeableError(`Appointment ${appointment.booking.appointmentId} is ${appointment.status}`);
  }
  if (Date.parse(appointment.booking.start) <= now.getTime()) {
    throw new AppointmentStartedError(`Appointment ${appointment.booking.appointmentId} has already started`);
  }
  return appointment.booking;
}

/**
 * A review for in-person or emergency care cancels a video or phone visit that has not started
 * (the patient is contacted). The decider and the handler (which frees the time in the same write) ask this.
 */
export function triageReviewCancels(appointment: Appointment, decision: TriageReviewDecision, now: Date): boolean {
  if (appointment.triageReview !== undefined) return false;
  const cancel = decision !== 'virtual-ok' && !(decision === 'in-person' && appointment.booking.modality === 'in-person');
  return cancel && appointment.status === 'booked' && Date.parse(appointment.booking.start) > now.getTime();
}
