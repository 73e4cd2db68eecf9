import {
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { PostgresEventStore } from '@carebridge/event-store';
import { MessagingModule } from '@carebridge/messaging';
import { AuthModule, HealthModule, type JwtAuthOptions, type ReadinessCheck } from '@carebridge/platform';
import { AppointmentsController } from './appointments/appointments.http';
import { schedulingPublisher } from './integration/scheduling.publisher';
import { ManageProviderController } from './provider/manage-provider.http';
import { BookAppointmentController } from './provider-day/book-appointment.http';
import { ChangeAppointmentController } from './provider-day/change-appointment.http';
import { HoldSlotController } from './provider-day/hold-slot.http';
import { ReadModels } from './read-models';
import { DEFAULT_SCHEDULING_POLICY, type SchedulingPolicy } from './scheduling.policy';
import { EVENT_STORE, READ_MODELS, SCHEDULING_POLICY } from './scheduling.tokens';
import { FindSlotsController } from './slot-search/find-slots.http';

export interface SchedulingModuleOptions {
  /** Migrated already (see scheduling.migrate.ts). */
  readonly pool: Pool;
  readonly schema: string;
  readonly auth: JwtAuthOptions;
  readonly checks: readonly ReadinessCheck[];
  readonly policy?: SchedulingPolicy;
  /** Publishing to Kafka through the relay; omitted, the service records events but publishes nothing. */
  readonly kafka?: Kafka;
  readonly onProjectionError?: (error: unknown) => void;
}

/** The composition root of the scheduling service: adapters bound to tokens, lifecycles of the read side. */
@Module({})
export class SchedulingModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  static register(options: SchedulingModuleOptions): DynamicModule {
    const store = new PostgresEventStore(options.pool, options.schema);
    const readModels = new ReadModels(store, options.pool, options.onProjectionError);
    const kafka = options.kafka;
    return {
      module: SchedulingModule,
      imports: [
        AuthModule.register(options.auth),
        HealthModule.register({ checks: options.checks }),
        ...(kafka
          ? [
              MessagingModule.forRootAsync({
                useFactory: () => ({
                  relay: { name: 'scheduling', store, pool: options.pool, schema: options.schema, kafka, publisher: schedulingPublisher },
                }),
              }),
            ]
          : []),
      ],
      controllers: [
        ManageProviderController,
        FindSlotsController,
        HoldSlotController,
        BookAppointmentController,
        ChangeAppointmentController,
        AppointmentsController,
      ],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: READ_MODELS, useValue: readModels },
        { provide: SCHEDULING_POLICY, useValue: options.policy ?? DEFAULT_SCHEDULING_POLICY },
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
