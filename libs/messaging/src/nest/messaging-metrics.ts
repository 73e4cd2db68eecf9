import { runningProjections } from '@carebridge/event-store';
import type { Relay } from '../relay/relay';
import type { ConsumerGroupStatus, MessagingHost } from './messaging.module';

/** What of the service's metrics (platform's ServiceMetrics) the relay and consumers feed. */
export interface MessagingMetrics {
  trackRelay(name: string, relay: Relay, head: () => Promise<number>): void;
  trackConsumer(groupId: string, consumer: ConsumerGroupStatus): void;
  gauge(name: string, help: string, read: () => number): void;
}

/**
 * Feeds a service's relay and consumer groups into its Prometheus metrics: relay lag and
 * leadership, consumer outcomes and dead letters, and the projections' retries, read at each scrape.
 */
export function trackMessaging(
  metrics: MessagingMetrics,
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
  // Projections (read models, reactors) retry with capped backoff from their checkpoint: how long
  // the longest-failing one has been failing, and how many attempts failed since the start.
  metrics.gauge(
    'carebridge_projection_failing_seconds',
    'How long the longest-failing projection of this service has been failing (0: all reading)',
    () => Math.max(0, ...runningProjections().map((p) => (p.stats.failingSince === 0 ? 0 : (Date.now() - p.stats.failingSince) / 1000))),
  );
  metrics.gauge(
    'carebridge_projection_retries',
    'Failed projection attempts of this service since it started (each retried after a capped exponential backoff)',
    () => runningProjections().reduce((n, p) => n + p.stats.retries, 0),
  );
}
