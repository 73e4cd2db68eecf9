import type { EventStore } from '@carebridge/event-store';
import { type ProviderEvent } from './provider.events';
import { type ProviderState, providerDecider } from './provider.decider';

export const providerStreamId = (providerId: string): string => `provider-${providerId}`;

/** The provider's current profile and availability, folded from their stream. */
export async function loadProvider(store: EventStore, providerId: string): Promise<ProviderState> {
  const events = await store.readStream(providerStreamId(providerId));
  return events.reduce(
    (state, event) => providerDecider.evolve(state, event as unknown as ProviderEvent),
    providerDecider.initialState(),
  );
}
