import type { EventStore } from '@carebridge/event-store';
import { localDateOf, slotsOnDate } from '../provider/availability.calendar';
import { ProviderNotFoundError, licencesOf } from '../provider/provider.decider';
import { loadProvider } from '../provider/provider.stream';
import type { ProviderTerms } from './provider-day.decider';
import type { Interval } from './provider-day.events';
import { providerDayStreamId } from './provider-day.stream';

export interface DayTerms {
  readonly streamId: string;
  readonly terms: ProviderTerms;
  readonly slot: Interval;
}

/**
 * Reads the provider stream once and turns requested starts into what a provider-day command
 * needs: the day stream that owns the start, the slots offered that day and the slot itself (an
 * unknown start keeps the provider's slot length, so the decider reports it as outside
 * availability). A write naming several days of one provider (a series, a move) reads it once.
 */
export async function providerTerms(store: EventStore, providerId: string): Promise<(start: string) => DayTerms> {
  const provider = await loadProvider(store, providerId);
  if (provider.status !== 'active') throw new ProviderNotFoundError(`Provider ${providerId} not found`);
  const { timeZone } = provider.profile;
  const licences = licencesOf(provider.profile);
  return (start) => {
    const date = localDateOf(start, timeZone);
    const offeredSlots = slotsOnDate(provider.availability, timeZone, date);
    const slot = offeredSlots.find((s) => s.start === start) ?? {
      start,
      end: new Date(Date.parse(start) + provider.availability.slotMinutes * 60_000).toISOString(),
    };
    return {
      streamId: providerDayStreamId(providerId, date),
      terms: { providerId, licensedStates: provider.profile.licensedStates, modalities: provider.profile.modalities, offeredSlots, licences },
      slot,
    };
  };
}

/** The terms of one start (see providerTerms). */
export async function termsAt(store: EventStore, providerId: string, start: string): Promise<DayTerms> {
  return (await providerTerms(store, providerId))(start);
}
