import { type EventStore, type StreamStep, streamStep } from '@carebridge/event-store';
import { type ProviderDayCommand, type ProviderDayState, providerDayDecider } from './provider-day.decider';
import type { Interval, ProviderDayEvent } from './provider-day.events';

/**
 * `provider-day-<providerId>-<yyyy-MM-dd>`: the provider's local date (their time zone) of the
 * bookings it owns. Availability windows never cross local midnight, so every slot, and every
 * possible overlap, belongs to exactly one day stream.
 */
export const providerDayStreamId = (providerId: string, localDate: string): string =>
  `provider-day-${providerId}-${localDate}`;

/** One day stream's part of a write over several streams (`handleMany`). */
export interface DayStep {
  readonly streamId: string;
  readonly command: ProviderDayCommand;
}

export const dayStep = ({ streamId, command }: DayStep): StreamStep => streamStep(streamId, providerDayDecider, command);

export async function loadProviderDay(store: EventStore, streamId: string): Promise<ProviderDayState> {
  const events = await store.readStream(streamId);
  return events.reduce(
    (state, event) => providerDayDecider.evolve(state, event as unknown as ProviderDayEvent),
    providerDayDecider.initialState(),
  );
}

/** A group session's time when it starts at `start` (a seat is booked for the session's time). */
export async function sessionTime(store: EventStore, streamId: string, sessionId: string, start: string): Promise<Interval | undefined> {
  const day = await loadProviderDay(store, streamId);
  const session = day.status === 'open' ? day.sessions[sessionId] : undefined;
  return session?.start === start ? { start: session.start, end: session.end } : undefined;
}
