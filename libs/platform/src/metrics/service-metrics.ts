import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type RoutedRequest, routeTemplate } from '../http/route-template';

export interface ServiceMetricsOptions {
  /** Added as the `service` label to every series. */
  readonly service: string;
  /** Node's process metrics (event loop lag, heap, GC, CPU). Default true. */
  readonly defaultMetrics?: boolean;
}

/** What a relay reports (the messaging lib's `Relay.status()` has this shape). */
export interface RelayStatusSource {
  status(): { readonly leader: boolean; readonly checkpoint: number };
}

/** Cumulative counts of a consumer group (the messaging lib's `IntegrationConsumer.stats`). */
export interface ConsumerStatsSource {
  readonly stats: {
    readonly processed: number;
    readonly duplicates: number;
    readonly deadLettered: number;
    readonly ignored: number;
    readonly retries: number;
  };
}

/** The kafkajs Admin calls consumer lag needs. */
export interface KafkaLagAdmin {
  fetchOffsets(options: { groupId: string; topics: string[] }): Promise<
    { topic: string; partitions: { partition: number; offset: string }[] }[]
  >;
  fetchTopicOffsets(topic: string): Promise<{ partition: number; high: string; low: string }[]>;
}

export type AlertEvent = 'raised' | 'escalated' | 'acknowledged' | 'resolved';

const CONSUMER_OUTCOMES = {
  processed: 'processed',
  duplicates: 'duplicate',
  ignored: 'ignored',
  retries: 'retried',
  deadLettered: 'dead_lettered',
} as const;

/**
 * A service's Prometheus metrics, in a registry of its own. Names are what the Grafana dashboard
 * (observability/grafana/carebridge-platform.json) and the alerting rules query:
 *
 * - `carebridge_http_request_duration_seconds{method,route,status_code}`: histogram, route is
 *   the matched template (`/appointments/:id`), never the URL (ids, PHI);
 * - `carebridge_relay_lag_events{relay}` and `carebridge_relay_leader{relay}`;
 * - `carebridge_consumer_lag_messages{group,topic,partition}`;
 * - `carebridge_consumer_messages_total{group,outcome}` and `carebridge_dead_letters_total{group}`;
 * - `carebridge_alerts_total{event,severity}` and `carebridge_alerts_open{severity}` (monitoring).
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly relayLag: Gauge<'relay'>;
  readonly relayLeader: Gauge<'relay'>;
  readonly consumerLag: Gauge<'group' | 'topic' | 'partition'>;
  readonly consumerMessages: Counter<'group' | 'outcome'>;
  readonly deadLetters: Counter<'group'>;
  readonly alerts: Counter<'event' | 'severity'>;
  readonly alertsOpen: Gauge<'severity'>;

  private readonly relays = new Map<string, { relay: RelayStatusSource; headPosition: () => Promise<number> }>();
  private readonly consumers = new Map<string, { source: ConsumerStatsSource; seen: Record<keyof typeof CONSUMER_OUTCOMES, number> }>();
  private readonly lagSources = new Map<string, { admin: KafkaLagAdmin; topics: string[] }>();

  /** A gauge read when scraped (e.g. rule sets ending with no successor). */
  gauge(name: string, help: string, read: () => number): void {
    new Gauge({ name, help, registers: [this.registry], collect() {
      this.set(read());
    } });
  }

  constructor(options: ServiceMetricsOptions) {
    this.registry.setDefaultLabels({ service: options.service });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.httpRequestDuration = new Histogram({
      name: 'carebridge_http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const metrics = this;
    this.relayLag = new Gauge({
      name: 'carebridge_relay_lag_events',
      help: 'Global positions appended to the event store but not yet published by this relay (leader only).',
      labelNames: ['relay'],
      registers,
      async collect() {
        await metrics.collectRelays();
      },
    });
    this.relayLeader = new Gauge({
      name: 'carebridge_relay_leader',
      help: '1 when this instance holds the relay leadership of the service, else 0.',
      labelNames: ['relay'],
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'carebridge_consumer_lag_messages',
      help: 'Messages in a partition not yet committed by the consumer group.',
      labelNames: ['group', 'topic', 'partition'],
      registers,
      async collect() {
        await metrics.collectConsumerLag();
      },
    });
    this.consumerMessages = new Counter({
      name: 'carebridge_consumer_messages_total',
      help: 'Integration events handled by a consumer group, by outcome.',
      labelNames: ['group', 'outcome'],
      registers,
      collect() {
        metrics.collectConsumerStats();
      },
    });
    this.deadLetters = new Counter({
      name: 'carebridge_dead_letters_total',
      help: 'Messages a consumer group sent to <topic>.dlq.',
      labelNames: ['group'],
      registers,
    });
    this.alerts = new Counter({
      name: 'carebridge_alerts_total',
      help: 'Monitoring alerts by lifecycle event and severity.',
      labelNames: ['event', 'severity'],
      registers,
    });
    this.alertsOpen = new Gauge({
      name: 'carebridge_alerts_open',
      help: 'Monitoring alerts raised and not yet resolved, by severity.',
      labelNames: ['severity'],
      registers,
    });
  }

  /** Express/Nest middleware: `app.use(metrics.httpMiddleware())`. Route templates only, never URLs. */
  httpMiddleware(): (request: IncomingMessage & RoutedRequest, response: ServerResponse, next: () => void) => void {
    return (request, response, next) => {
      const end = this.httpRequestDuration.startTimer();
      response.on('finish', () => {
        end({
          method: request.method ?? 'UNKNOWN',
          // Unmatched requests (404s, probes of random paths) share one series.
          route: routeTemplate(request) ?? 'unmatched',
          status_code: String(response.statusCode),
        });
      });
      next();
    };
  }

  /** Relay lag = the store's head position minus the relay's checkpoint, read at each scrape. */
  trackRelay(name: string, relay: RelayStatusSource, headPosition: () => Promise<number>): void {
    this.relays.set(name, { relay, headPosition });
  }

  /** Publishes a consumer group's cumulative stats as counters at each scrape. */
  trackConsumer(groupId: string, source: ConsumerStatsSource): void {
    this.consumers.set(groupId, { source, seen: { processed: 0, duplicates: 0, ignored: 0, retries: 0, deadLettered: 0 } });
  }

  /** Consumer lag of a group on its topics, read from Kafka at each scrape. */
  trackConsumerLag(groupId: string, admin: KafkaLagAdmin, topics: readonly string[]): void {
    this.lagSources.set(groupId, { admin, topics: [...topics] });
  }

  /** An alert's lifecycle event (monitoring): counts it and keeps the open gauge. */
  recordAlert(event: AlertEvent, severity: string): void {
    this.alerts.inc({ event, severity });
    if (event === 'raised') this.alertsOpen.inc({ severity });
    if (event === 'resolved') this.alertsOpen.dec({ severity });
  }

  /** The exposition text (`text/plain; version=0.0.4`). */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  private async collectRelays(): Promise<void> {
    for (const [name, { relay, headPosition }] of this.relays) {
      const status = relay.status();
      this.relayLeader.set({ relay: name }, status.leader ? 1 : 0);
      if (!status.leader) {
        // Only the leader publishes; a follower's checkpoint is not its own to report.
        this.relayLag.remove({ relay: name });
        continue;
      }
      try {
        this.relayLag.set({ relay: name }, Math.max(0, (await headPosition()) - status.checkpoint));
      } catch {
        this.relayLag.remove({ relay: name });
      }
    }
  }

  private collectConsumerStats(): void {
    for (const [group, entry] of this.consumers) {
      for (const key of Object.keys(CONSUMER_OUTCOMES) as (keyof typeof CONSUMER_OUTCOMES)[]) {
        const delta = entry.source.stats[key] - entry.seen[key];
        if (delta <= 0) continue;
        entry.seen[key] += delta;
        this.consumerMessages.inc({ group, outcome: CONSUMER_OUTCOMES[key] }, delta);
        if (key === 'deadLettered') this.deadLetters.inc({ group }, delta);
      }
    }
  }

  private async collectConsumerLag(): Promise<void> {
    for (const [group, { admin, topics }] of this.lagSources) {
      try {
        const committed = await admin.fetchOffsets({ groupId: group, topics });
        for (const { topic, partitions } of committed) {
          const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p]));
          for (const { partition, offset } of partitions) {
            const end = ends.get(partition);
            if (!end) continue;
            // No commit yet (-1): everything from the log start is lag.
            const from = Number(offset) >= 0 ? Number(offset) : Number(end.low);
            this.consumerLag.set({ group, topic, partition: String(partition) }, Math.max(0, Number(end.high) - from));
          }
        }
      } catch {
        // Kafka unreachable: keep the last values rather than fail the whole scrape.
      }
    }
  }
}

/**
 * Serves `GET /metrics` on a port of its own (METRICS_PORT, 9464 in Kubernetes), so the public
 * HTTP port behind the ingress never exposes it. Close it on shutdown.
 */
export async function startMetricsServer(
  metrics: ServiceMetrics,
  options: { readonly port: number; readonly host?: string },
): Promise<{ readonly port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    metrics.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics collection failed: ${error.message}`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
