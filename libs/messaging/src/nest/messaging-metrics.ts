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
  if (host.consumers.length > 0) {
    // An outage pauses partitions instead of dead-lettering: how long shows here (and as lag).
    metrics.gauge(
      'carebridge_consumer_infrastructure_wait_seconds',
      'How long a consumer group of this service has waited for PostgreSQL or the broker to answer (0: none waiting)',
      () => Math.max(0, ...host.consumers.map((c) => (c.stats.waitingSince === 0 ? 0 : (Date.now() - c.stats.waitingSince) / 1000))),
    );
  }
}
