import { AccessControlModule } from '@carebridge/access-audit';
import { type DynamicModule, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { MessageBroker } from '@carebridge/messaging';
import type { Pool } from 'pg';
import { AppointmentBooked } from '@carebridge/contracts';
import { PostgresEventStore } from '@carebridge/event-store';
import { IntegrationEventsTransport, MessagingModule } from '@carebridge/messaging';
import { AuthModule, type BlobStore, HealthModule, type JwtAuthOptions, type ReadinessCheck } from '@carebridge/platform';
import { VISITS_ACCESS_POLICY, visitsRelationships } from './access-policy';
import { type Clock, systemClock } from './clock';
import { FhirViewsController } from './fhir/fhir-views.http';
import { SchedulingEventsConsumer } from './integration/scheduling.consumer';
import { visitsPublisher } from './integration/visits.publisher';
import { OpenApiController } from './openapi/openapi.http';
import { LicencesController } from './provider/licences.http';
import { ReadModels } from './read-models';
import type { RoomProvider } from './room/room-provider.port';
import { UrgentCareController } from './urgent-care/urgent-care.http';
import { AttachmentsController } from './visit/attachments.http';
import { ClinicalRecordController } from './visit/clinical-record.http';
import { ConsultsController } from './visit/consults.http';
import { SecureMessagesController } from './visit/messages.http';
import { OutcomeController } from './visit/outcome.http';
import { ReadVisitController } from './visit/read-visit.http';
import { VideoRoomController } from './visit/video-room.http';
import { WaitingRoomController } from './visit/waiting-room.http';
import { DEFAULT_VISITS_POLICY, type VisitsPolicy } from './visits.policy';
import { BLOB_STORE, CLOCK, EVENT_STORE, READ_MODELS, ROOM_PROVIDER, VISITS_POLICY } from './visits.tokens';

export interface VisitsModuleOptions {
  /** Migrated already (see visits.migrate.ts). */
  readonly pool: Pool;
  readonly schema: string;
  readonly auth: JwtAuthOptions;
  readonly checks: readonly ReadinessCheck[];
  readonly policy?: VisitsPolicy;
  /** Publishing to Kafka through the relay and consuming scheduling's events; omitted, neither runs. */
  readonly kafka?: MessageBroker;
  /** Consumer group (default `visits`) and, for tests, the topic appointment events are read from. */
  readonly consumer?: { readonly groupId?: string; readonly appointmentTopic?: string };
  readonly onProjectionError?: (error: unknown) => void;
  readonly clock?: Clock;
  readonly blobStore: BlobStore;
  /** The video room adapter; null: no media server configured (joining answers 503). */
  readonly rooms: RoomProvider | null;
}

/** The composition root of the visits service: adapters bound to tokens, lifecycles of the read side. */
@Module({})
export class VisitsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  static register(options: VisitsModuleOptions): DynamicModule {
    const store = new PostgresEventStore(options.pool, options.schema);
    const readModels = new ReadModels(store, options.pool, options.onProjectionError);
    const relationships = visitsRelationships(options.pool, options.schema);
    const kafka = options.kafka;
    return {
      module: VisitsModule,
      imports: [
        AuthModule.register(options.auth),
        AccessControlModule.register({ service: 'visits', store, policy: VISITS_ACCESS_POLICY, relationships, lookups: relationships.lookups, ...(options.clock && { now: () => options.clock!.now() }) }),
        HealthModule.register({ checks: options.checks }),
        ...(kafka
          ? [
              MessagingModule.forRootAsync({
                useFactory: () => ({
                  relay: { name: 'visits', store, pool: options.pool, schema: options.schema, kafka, publisher: visitsPublisher },
                  // SchedulingEventsConsumer's handlers; connected by the service's prepare(app) (connectIntegrationEvents).
                  transports: [
                    new IntegrationEventsTransport({
                      groupId: options.consumer?.groupId ?? 'visits',
                      kafka,
                      pool: options.pool,
                      schema: options.schema,
                      storeSchema: options.schema,
                      ...(options.consumer?.appointmentTopic !== undefined && { topics: { [AppointmentBooked.topic]: options.consumer.appointmentTopic } }),
                    }),
                  ],
                }),
              }),
            ]
          : []),
      ],
      controllers: [
        ...(kafka ? [SchedulingEventsConsumer] : []),
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
      ],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: READ_MODELS, useValue: readModels },
        { provide: VISITS_POLICY, useValue: options.policy ?? DEFAULT_VISITS_POLICY },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: BLOB_STORE, useValue: options.blobStore },
        { provide: ROOM_PROVIDER, useValue: options.rooms },
      ],
    };
  }

  onApplicationBootstrap(): void {
    this.readModels.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.readModels.stop();
  }
}
