import { type EventStore, type HandleManyResult, type StreamStep, WrongExpectedVersionError, handleMany, streamStep } from '@carebridge/event-store';
import type { AppointmentCommand } from './appointment.commands';
import { appointmentDecider } from './appointment.decider';
import type { AppointmentEvent } from './appointment.events';
import type { Appointment, AppointmentState } from './appointment.state';
import { booked } from './appointment.rules';

/** `appointment-<appointmentId>`: every write to an appointment knows its stream from its id. */
export const APPOINTMENT_STREAM_PREFIX = 'appointment-';
export const appointmentStreamId = (appointmentId: string): string => `${APPOINTMENT_STREAM_PREFIX}${appointmentId}`;

/** The appointment's part of a write over several streams; `expectedVersion`: the version its caller chose the other steps from. */
export const appointmentStep = (command: AppointmentCommand & { data: { appointmentId: string } }, expectedVersion?: number): StreamStep =>
  streamStep(appointmentStreamId(command.data.appointmentId), appointmentDecider, command, expectedVersion);

export async function loadAppointment(store: EventStore, appointmentId: string): Promise<{ state: AppointmentState; version: number }> {
  const events = await store.readStream(appointmentStreamId(appointmentId));
  const state = events.reduce((s, e) => appointmentDecider.evolve(s, e as unknown as AppointmentEvent), appointmentDecider.initialState());
  return { state, version: events.length };
}

/**
 * A change that frees or moves the provider's time: read the appointment, let `choose` pick the
 * write's steps from it (whose days, which participants), then write them with the appointment at
 * the version read. Changed meanwhile (moved by someone else): read and choose again.
 */
export async function changeAppointment(
  store: EventStore,
  appointmentId: string,
  choose: (appointment: Appointment, version: number) => Promise<readonly StreamStep[]>,
): Promise<HandleManyResult> {
  for (let attempt = 1; ; attempt++) {
    const { state, version } = await loadAppointment(store, appointmentId);
    const steps = await choose(booked(state, appointmentId), version);
    try {
      return await handleMany(store, steps);
    } catch (error) {
      const moved = error instanceof WrongExpectedVersionError && error.streamId === appointmentStreamId(appointmentId);
      if (!moved || attempt >= 3) throw error;
    }
  }
}
