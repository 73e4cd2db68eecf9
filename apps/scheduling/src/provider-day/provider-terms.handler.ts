import type { EventStore } from '@carebridge/event-store';
import { localDateOf, slotsOnDate } from '../provider/availability.calendar';
import { ProviderNotFoundError, licencesOf } from '../provider/provider.decider';
import { loadProvider } from '../provider/provider.stream';
import type { ProviderTerms } from './provider-day.decider';
import type { Interval } from './provider-day.events';
import { providerDayStreamId } from './provider-day.stream';

/**
 * Reads the provider stream and turns a requested start into what a provider-day command needs:
 * the day stream that owns it, the slots offered that day and the slot itself (an unknown start
 * keeps the provider's slot length, so the decider reports it as outside availability).
 */
export async function termsAt(
  store: EventStore,
  providerId: string,
  start: string,
): Promise<{ streamId: string; terms: ProviderTerms; slot: Interval }> {
  const provider = await loadProvider(store, providerId);
  if (provider.status !== 'active') throw new ProviderNotFoundError(`Provider ${providerId} not found`);
  const date = localDateOf(start, provider.profile.timeZone);
  const offeredSlots = slotsOnDate(provider.availability, provider.profile.timeZone, date);
  const slot = offeredSlots.find((s) => s.start === start) ?? {
    start,
    end: new Date(Date.parse(start) + provider.availability.slotMinutes * 60_000).toISOString(),
  };
  return {
    streamId: providerDayStreamId(providerId, date),
    terms: {
      providerId,
      licensedStates: provider.profile.licensedStates,
      modalities: provider.profile.modalities,
      offeredSlots,
      licences: licencesOf(provider.profile),
    },
    slot,
  };
}
