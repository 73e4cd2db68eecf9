import type { ServiceMetrics } from '@carebridge/platform';
import type { MessagingHost } from './messaging.module';

/**
 * Feeds a service's relay and consumer groups into its Prometheus metrics: relay lag and
 * leadership, consumer outcomes and dead letters, read at each scrape.
 */
export function trackMessaging(
  metrics: ServiceMetrics,
  host: MessagingHost,
  store: { headPosition(): Promise<number> },
  name: string,
): void {
  if (host.relay) metrics.trackRelay(name, host.relay, () => store.headPosition());
  for (const consumer of host.consumers) metrics.trackConsumer(consumer.groupId, consumer);
}
