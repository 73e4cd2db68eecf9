import { AccessControlModule } from '@carebridge/access-audit';
import { type DynamicModule, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { PostgresEventStore } from '@carebridge/event-store';
import { type ServiceMessagingOptions, serviceMessaging } from '@carebridge/messaging';
import { AuthModule, FileBlobStore, HealthModule, type JwtAuthOptions, type Logger, type ReadinessCheck } from '@carebridge/platform';
import { VISITS_ACCESS_POLICY, visitsRelationships } from './visits.access-policy';
import type { Clock } from './clock.port';
import { FhirViewsController } from './fhir/fhir-views.http';
import { SchedulingEventsConsumer } from './integration/scheduling.consumer';
import { visitsPublisher } from './integration/visits.publisher';
import { OpenApiController } from './openapi/openapi.http';
import { LicencesController } from './provider/licences.http';
import { ReadModels } from './visits.projection';
import { LiveKitRoomProvider } from './room/livekit-room-provider.adapter';
import { UrgentCareController } from './urgent-care/urgent-care.http';
import { AttachmentsController } from './visit/attachments.http';
import { ClinicalRecordController } from './visit/clinical-record.http';
import { ConsultsController } from './visit/consults.http';
import { SecureMessagesController } from './visit/messages.http';
import { OutcomeController } from './visit/outcome.http';
import { ReadVisitController } from './visit/read-visit.http';
import { VideoRoomController } from './visit/video-room.http';
import { WaitingRoomController } from './visit/waiting-room.http';
import type { VisitsPolicy } from './visits.policy';
import { BLOB_STORE, CLOCK, EVENT_STORE, READ_MODELS, ROOM_PROVIDER, VISITS_POLICY } from './visits.tokens';

export interface VisitsModuleOptions {
  /** Migrated already (see visits.migrate.ts). */
  readonly pool: Pool;
  readonly schema: string;
  readonly auth: JwtAuthOptions;
  readonly logger: Logger;
  readonly checks: readonly ReadinessCheck[];
  readonly policy: VisitsPolicy;
  /** Where commands read the time (the system clock in production). */
  readonly clock: Clock;
  /** Directory of the file blob store for shared results. */
  readonly blobDir: string;
  /** The LiveKit (or compatible) server issuing room join tokens; null: none configured (joining answers 503). */
  readonly livekit: { readonly apiKey: string; readonly apiSecret: string; readonly url?: string } | null;
  /**
   * Publishing through the relay and consuming scheduling's events; omitted, neither runs. `topics`
   * is the transport's own (a contract's topic -> the one read instead).
   */
  readonly messaging?: ServiceMessagingOptions;
}

const httpControllers = [
  LicencesController,
  WaitingRoomController,
  ReadVisitController,
  ClinicalRecordController,
  VideoRoomController,
  AttachmentsController,
  SecureMessagesController,
  ConsultsController,
  OutcomeController,
  UrgentCareController,
  FhirViewsController,
  OpenApiController,
];

/** @IntegrationEventHandler controllers, run by the integration events transport (connectIntegrationEvents). */
const integrationConsumers = [SchedulingEventsConsumer];

/** Starts the read models with the app and stops them after the HTTP server drained. */
class ReadModelsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  onApplicationBootstrap(): void {
    this.readModels.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.readModels.stop();
  }
}

const lifecycles = [ReadModelsLifecycle];

/** The composition root of the visits service: every adapter built here and bound to its port's token. */
@Module({})
export class VisitsModule {
  static register(options: VisitsModuleOptions): DynamicModule {
    const { pool, schema, logger, clock } = options;
    const store = new PostgresEventStore(pool, schema);
    const relationships = visitsRelationships(pool, schema);
    if (options.livekit === null) logger.warn('LIVEKIT_API_KEY/LIVEKIT_API_SECRET not set: video room tokens answer 503');
    const messaging = serviceMessaging({ name: 'visits', store, pool, schema, publisher: visitsPublisher, consumers: integrationConsumers }, options.messaging);
    const ports = [
      { provide: EVENT_STORE, useValue: store },
      { provide: READ_MODELS, useValue: new ReadModels(store, pool, (error) => logger.error({ err: error }, 'read model projection failed; retrying')) },
      { provide: VISITS_POLICY, useValue: options.policy },
      { provide: CLOCK, useValue: clock },
      { provide: BLOB_STORE, useValue: new FileBlobStore(options.blobDir) },
      { provide: ROOM_PROVIDER, useValue: options.livekit === null ? null : new LiveKitRoomProvider(options.livekit) },
    ];
    return {
      module: VisitsModule,
      imports: [
        AuthModule.register(options.auth),
        AccessControlModule.register({ service: 'visits', store, policy: VISITS_ACCESS_POLICY, relationships, lookups: relationships.lookups, now: () => clock.now() }),
        HealthModule.register({ checks: options.checks }),
        ...messaging.imports,
      ],
      controllers: [...messaging.controllers, ...httpControllers],
      providers: [...ports, ...lifecycles],
    };
  }
}
