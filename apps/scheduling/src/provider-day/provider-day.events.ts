import type { Modality, ProviderLicence } from '../provider/provider.events';

/**
 * The events of one provider's local day, its calendar: holds, the time each appointment takes
 * (the lead's reservation, a further provider's participation), group sessions and their seats.
 * One stream owns the day's time, so optimistic concurrency on it decides which of concurrent
 * bookings wins, and no two bookings of the provider overlap. What happens to an appointment
 * otherwise is in its own stream (appointment/appointment.events.ts).
 */

export interface Interval {
  readonly start: string;
  readonly end: string;
}

/**
 * What the day's decider needs to know about the provider, read from the provider stream by the
 * caller: the slots their availability offers on this day (computed in their time zone) and
 * what they may do. The decider stays pure; time-zone arithmetic happens in provider/availability.calendar.ts.
 */
export interface ProviderTerms {
  readonly providerId: string;
  readonly licensedStates: readonly string[];
  readonly modalities: readonly Modality[];
  readonly offeredSlots: readonly Interval[];
  /** Licences with their expiry where known; when given, an expired licence does not license. */
  readonly licences?: readonly ProviderLicence[];
}

export type SlotHeld = {
  readonly type: 'SlotHeld';
  readonly data: {
    readonly holdId: string;
    readonly providerId: string;
    readonly patientId: string;
    readonly start: string;
    readonly end: string;
    readonly expiresAt: string;
  };
};

/** The appointment's lead provider's time is taken here (a seat of a group session rides on the session's time). */
export type AppointmentTimeReserved = {
  readonly type: 'AppointmentTimeReserved';
  readonly data: {
    readonly appointmentId: string;
    readonly providerId: string;
    readonly patientId: string;
    readonly start: string;
    readonly end: string;
    /** The patient's own hold this reservation took over. */
    readonly holdId?: string;
    readonly groupSessionId?: string;
  };
};

/** The appointment moved within this day. */
export type AppointmentTimeMoved = {
  readonly type: 'AppointmentTimeMoved';
  readonly data: { readonly appointmentId: string; readonly providerId: string; readonly from: Interval; readonly to: Interval };
};

/** Cancelled, or moved to another day: the time is free here. */
export type AppointmentTimeReleased = {
  readonly type: 'AppointmentTimeReleased';
  readonly data: {
    readonly appointmentId: string;
    readonly providerId: string;
    readonly start: string;
    readonly end: string;
    readonly reasonCode: string;
  };
};

/**
 * This provider takes part in an appointment led by another provider (specialist consult, care
 * team): their time is taken here, in the same atomic write that books the lead's day.
 */
export type AppointmentParticipantBooked = {
  readonly type: 'AppointmentParticipantBooked';
  readonly data: {
    readonly appointmentId: string;
    /** The participant: the provider of this day stream. */
    readonly providerId: string;
    readonly leadProviderId: string;
    readonly patientId: string;
    readonly start: string;
    readonly end: string;
    readonly modality: Modality;
  };
};

/** The appointment moved within this participant's day. */
export type AppointmentParticipantMoved = {
  readonly type: 'AppointmentParticipantMoved';
  readonly data: { readonly appointmentId: string; readonly providerId: string; readonly from: Interval; readonly to: Interval };
};

/** Cancelled, or moved to another of this participant's days: the time is free here. */
export type AppointmentParticipantReleased = {
  readonly type: 'AppointmentParticipantReleased';
  readonly data: {
    readonly appointmentId: string;
    readonly providerId: string;
    readonly start: string;
    readonly end: string;
    readonly reasonCode: string;
  };
};

/** The provider runs a group session in this slot with room for `capacity` patients. */
export type GroupSessionScheduled = {
  readonly type: 'GroupSessionScheduled';
  readonly data: {
    readonly sessionId: string;
    readonly providerId: string;
    readonly start: string;
    readonly end: string;
    readonly capacity: number;
  };
};

/** A scheduler deliberately booked over other bookings (an urgent add-on): explicit, reasoned, audited. */
export type DoubleBookingAuthorized = {
  readonly type: 'DoubleBookingAuthorized';
  readonly data: {
    readonly appointmentId: string;
    readonly providerId: string;
    readonly start: string;
    readonly end: string;
    /** Appointment ids and hold ids it overlaps. */
    readonly overlaps: readonly string[];
    readonly reasonCode: string;
  };
};

export type ProviderDayEvent =
  | SlotHeld
  | AppointmentTimeReserved
  | AppointmentTimeMoved
  | AppointmentTimeReleased
  | AppointmentParticipantBooked
  | AppointmentParticipantMoved
  | AppointmentParticipantReleased
  | GroupSessionScheduled
  | DoubleBookingAuthorized;
