import type { Command } from '@carebridge/shared-kernel';
import type { Modality } from '../provider/provider.events';
import type { Interval, ProviderTerms } from './provider-day.events';

export type { ProviderTerms } from './provider-day.events';

export type HoldSlot = Command<
  'HoldSlot',
  { holdId: string; patientId: string; slot: Interval; holdMinutes: number; terms: ProviderTerms }
>;
/**
 * The lead provider's time for an appointment (booked, or moved here from another day): one of
 * their slots, free, or the patient's own hold, or booked over others by a scheduler with a reason;
 * for a group session seat, a free seat of the session.
 */
export type ReserveTime = Command<
  'ReserveTime',
  {
    appointmentId: string;
    patientId: string;
    slot: Interval;
    holdId?: string;
    /** Only a scheduler (ops) may book over other bookings, with a reason. */
    override?: { reasonCode: string };
    /** A seat in this group session instead of the provider's time to oneself. */
    groupSessionId?: string;
    terms: ProviderTerms;
  }
>;
/** The appointment moved within this day. */
export type MoveReservation = Command<'MoveReservation', { appointmentId: string; to: Interval; terms: ProviderTerms }>;
/** Cancelled, or moved to another day: the time is free again (already free: nothing to do). */
export type ReleaseReservation = Command<'ReleaseReservation', { appointmentId: string; reasonCode: string }>;
/** A further provider of a multi-provider appointment: their time is taken on their own day stream. */
export type BookParticipant = Command<
  'BookParticipant',
  {
    appointmentId: string;
    leadProviderId: string;
    patientId: string;
    slot: Interval;
    modality: Modality;
    patientState: string;
    terms: ProviderTerms;
  }
>;
/** The appointment moved within this provider's day. */
export type MoveParticipant = Command<'MoveParticipant', { appointmentId: string; to: Interval; terms: ProviderTerms }>;
/** Cancelled, or moved to another day of this provider: the time is free again. */
export type ReleaseParticipant = Command<'ReleaseParticipant', { appointmentId: string; reasonCode: string }>;
export type ScheduleGroupSession = Command<
  'ScheduleGroupSession',
  { sessionId: string; slot: Interval; capacity: number; terms: ProviderTerms }
>;

export type ProviderDayCommand =
  | HoldSlot
  | ReserveTime
  | MoveReservation
  | ReleaseReservation
  | BookParticipant
  | MoveParticipant
  | ReleaseParticipant
  | ScheduleGroupSession;
