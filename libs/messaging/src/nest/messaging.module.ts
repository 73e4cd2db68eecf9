import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type INestApplication,
  type InjectionToken,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OptionalFactoryDependency,
  type Type,
} from '@nestjs/common';
import { IntegrationConsumer, type ConsumerStats, type IntegrationConsumerOptions } from '../consumer/integration-consumer';
import { Relay, type RelayOptions } from '../relay/relay';
import { nestLogger } from './nest-logger';
import { IntegrationEventsTransport } from './integration-events.transport';
import type { MessageBroker } from '../broker/message-broker.port';

export interface MessagingOptions {
  /** The service's relay (store -> Kafka). Omit for a service that publishes nothing. */
  readonly relay?: RelayOptions;
  /** One entry per consumer group of the service declared with `on(...)` bindings. */
  readonly consumers?: readonly IntegrationConsumerOptions[];
  /**
   * Consumer groups whose handlers are `@IntegrationEventHandler` controllers: Nest starts and stops
   * them (connectIntegrationEvents); listed here for readiness and metrics.
   */
  readonly transports?: readonly IntegrationEventsTransport[];
}

/** A consumer group as readiness and metrics read it. */
export interface ConsumerGroupStatus {
  readonly groupId: string;
  readonly stats: ConsumerStats;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/**
 * Runs a service's relay and consumers for the lifetime of the Nest application: started
 * once every module is initialised, stopped on shutdown (SIGTERM with enableShutdownHooks):
 * consumers first (stop fetching, finish the messages in hand, commit their offsets), then
 * the relay (finish the batch in hand and its checkpoint).
 */
@Injectable()
export class MessagingHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Messaging');
  readonly relay?: Relay;
  /** The groups this host starts and stops (`consumers` in the options). */
  private readonly owned: readonly IntegrationConsumer[];
  readonly transports: readonly IntegrationEventsTransport[];

  constructor(@Inject(MESSAGING_OPTIONS) options: MessagingOptions) {
    // Through the Nest logger (the service's pino logger) unless the service passes its own.
    this.relay = options.relay ? new Relay({ logger: nestLogger(`Relay ${options.relay.name}`), ...options.relay }) : undefined;
    this.owned = (options.consumers ?? []).map(
      (consumer) => new IntegrationConsumer({ logger: nestLogger(`Consumer ${consumer.groupId}`), ...consumer }),
    );
    this.transports = options.transports ?? [];
  }

  /** Every consumer group of the service, whoever runs it. */
  get consumers(): readonly ConsumerGroupStatus[] {
    return [...this.owned, ...this.transports];
  }

  async onApplicationBootstrap(): Promise<void> {
    this.relay?.start();
    await Promise.all(this.owned.map((consumer) => consumer.start()));
    this.logger.log(`relay ${this.relay ? 'started' : 'not configured'}, ${this.owned.length} consumer group(s) started`);
  }

  /** What keeps the relay or a consumer group from working now (empty when all work). */
  problems(now = Date.now()): string[] {
    const seconds = (since: number) => Math.round((now - since) / 1000);
    const relay = this.relay?.status();
    return [
      ...(relay && relay.failingSince !== 0 ? [`relay failing to publish for ${seconds(relay.failingSince)} s`] : []),
      ...this.consumers
        .filter((consumer) => consumer.stats.waitingSince !== 0)
        .map((consumer) => `consumer group ${consumer.groupId} waiting for the infrastructure for ${seconds(consumer.stats.waitingSince)} s`),
    ];
  }

  /** Transports stopped already: Nest closes connected microservices before the shutdown hooks. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.owned.map((consumer) => consumer.stop()));
    await this.relay?.stop();
  }
}

@Module({})
export class MessagingModule {
  /**
   * The composition root passes what the relay and consumers need, built from its own
   * providers (pool, store, Kafka client, the integration/ publishers and consumers).
   */
  static forRootAsync(options: {
    readonly inject?: (InjectionToken | OptionalFactoryDependency)[];
    readonly useFactory: (...deps: any[]) => MessagingOptions | Promise<MessagingOptions>;
  }): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: MESSAGING_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        MessagingHost,
      ],
      exports: [MessagingHost],
    };
  }
}

/**
 * A service's `prepare(app)`: connects the transports its MessagingModule lists (a hybrid
 * application). Their handlers are registered now; the runtime's `app.startAllMicroservices()`
 * starts them once the app is initialised; `app.close()` stops them before the relay.
 */
export function connectIntegrationEvents(app: INestApplication): void {
  // Not inheriting the HTTP app's global pipes, interceptors and filters: they answer requests.
  for (const transport of app.get(MessagingHost, { strict: false }).transports) app.connectMicroservice({ strategy: transport });
}

/** What a deployment gives a service for Kafka: the broker, its consumer group, and topics read instead of the contracts' own. */
export interface ServiceMessagingOptions {
  readonly kafka: MessageBroker;
  readonly groupId: string;
  /** A contract's topic -> the one read instead (tests' unique topics). */
  readonly topics?: Readonly<Record<string, string>>;
  /** Where a new group starts reading (default: the topics' beginning). */
  readonly fromBeginning?: boolean;
}

/**
 * A composition root's messaging, written once for the five services: the relay of the service's
 * events (`publisher`) and its consumer group as the integration events transport, running the
 * `consumers` controllers (connected by the service's `prepare: connectIntegrationEvents`).
 * Without a broker (`messaging` undefined) neither runs: HTTP only.
 */
export function serviceMessaging(
  service: Omit<RelayOptions, 'kafka'> & { readonly consumers: readonly Type<unknown>[] },
  messaging: ServiceMessagingOptions | undefined,
): { imports: DynamicModule[]; controllers: Type<unknown>[] } {
  if (!messaging) return { imports: [], controllers: [] };
  const { consumers, ...relay } = service;
  const { kafka, groupId, topics, fromBeginning } = messaging;
  const transport = new IntegrationEventsTransport({
    groupId,
    kafka,
    pool: relay.pool,
    schema: relay.schema,
    storeSchema: relay.schema,
    ...(topics && { topics }),
    ...(fromBeginning !== undefined && { fromBeginning }),
  });
  return {
    imports: [MessagingModule.forRootAsync({ useFactory: () => ({ relay: { ...relay, kafka }, transports: [transport] }) })],
    controllers: [...consumers],
  };
}
