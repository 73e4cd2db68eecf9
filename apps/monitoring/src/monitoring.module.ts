import { type DynamicModule, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { MessageBroker } from '@carebridge/messaging';
import type { Pool } from 'pg';
import { ContractRegistry, PrescriptionFillRecorded } from '@carebridge/contracts';
import { PostgresEventStore } from '@carebridge/event-store';
import { MessagingModule } from '@carebridge/messaging';
import { AuthModule, HealthModule, type JobsConnection, type JwtAuthOptions, type ReadinessCheck } from '@carebridge/platform';
import { AccessControlModule } from '@carebridge/access-audit';
import { MONITORING_ACCESS_POLICY, monitoringRelationships } from './access-policy';
import { AlertEscalationJobs } from './alerts/alert-escalation.jobs';
import { AlertingReactor } from './alerts/alerting.reactor';
import { AlertsController } from './alerts/alerts.http';
import { type Clock, systemClock } from './clock';
import { DevicesController } from './enrolment/devices.http';
import { EnrolmentController } from './enrolment/enrolment.http';
import { FhirViewsController } from './fhir/fhir-views.http';
import { DeviceGatewayConsumer } from './integration/device-gateway.consumer';
import { monitoringPublisher } from './integration/monitoring.publisher';
import { prescriptionHandlers } from './integration/prescriptions.consumer';
import { LiveReadings } from './live/live-readings';
import { CLOCK, EVENT_STORE, LIVE_READINGS, READ_MODELS, READING_INTAKE, RPM_PERIODS } from './monitoring.tokens';
import { OpenApiController } from './openapi/openapi.http';
import { ReadModels } from './read-models';
import { ReadingIntake } from './readings/reading-intake';
import { ReadingsController } from './readings/readings.http';
import { RpmPeriods } from './rpm/rpm-periods';
import { RpmController } from './rpm/rpm.http';
import { RpmCloseJobs } from './rpm/rpm-close.jobs';

const LIFECYCLE = Symbol('MONITORING_LIFECYCLE');

/**
 * JSON body limit the composition root must set (`app.useBodyParser('json', { limit })` before
 * init): a batch of 1,000 readings is about 150 KB, above Express's 100 KB default.
 */
export const MAX_BATCH_BODY = '2mb';

export interface MonitoringModuleOptions {
  /** Migrated already (see monitoring.migrate.ts). */
  readonly pool: Pool;
  readonly schema: string;
  readonly auth: JwtAuthOptions;
  readonly checks: readonly ReadinessCheck[];
  /** Relay (alerts, RPM periods), the prescriptions consumer and the device-gateway consumer; omitted, none runs. */
  readonly kafka?: MessageBroker;
  readonly consumer?: {
    /** Consumer groups `<groupId>` (integration events) and `<groupId>.readings` (device gateway). Default `monitoring`. */
    readonly groupId?: string;
    /** Tests read topics of their own; production the contracts'. */
    readonly readingTopic?: string;
    readonly prescriptionTopic?: string;
    readonly readingPartitionsConcurrently?: number;
    readonly fromBeginning?: boolean;
  };
  /** Escalation and RPM-close jobs (BullMQ on Redis or PostgreSQL); omitted, alerts never escalate and periods close only on request. */
  readonly jobs?: JobsConnection;
  /** When ended RPM periods are closed by the job scheduler (default daily at 00:15 UTC). */
  readonly rpmClose?: { readonly pattern: string } | { readonly every: number };
  readonly clock?: Clock;
  readonly onError?: (error: unknown) => void;
}

class Lifecycle {
  constructor(
    readonly readModels: ReadModels,
    readonly reactor: AlertingReactor,
    readonly escalations: AlertEscalationJobs | null,
    readonly gateway: DeviceGatewayConsumer | null,
    readonly rpmClose: RpmCloseJobs | null,
    readonly live: LiveReadings,
  ) {}
}

/** The composition root of the monitoring service: adapters bound to tokens, lifecycles of the read side. */
@Module({})
export class MonitoringModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(LIFECYCLE) private readonly lifecycle: Lifecycle) {}

  static register(options: MonitoringModuleOptions): DynamicModule {
    const store = new PostgresEventStore(options.pool, options.schema);
    const clock = options.clock ?? systemClock;
    const readModels = new ReadModels(store, options.pool, options.onError);
    const live = new LiveReadings(store, readModels, options.onError);
    const intake = new ReadingIntake(store, options.pool, readModels);
    const escalations = options.jobs
      ? new AlertEscalationJobs({ connection: options.jobs, store, clock, ...(options.onError && { onError: options.onError }) })
      : null;
    const reactor = new AlertingReactor({
      store,
      pool: options.pool,
      readModels,
      clock,
      ...(escalations && { escalations }),
      ...(options.onError && { onError: options.onError }),
    });
    intake.evaluateWith((readings) => reactor.evaluateThresholds(readings));
    if (options.onError) intake.onFastPathError = options.onError;
    intake.onStored(() => {
      readModels.projection.nudge();
      reactor.nudge();
      live.nudge();
    });
    const periods = new RpmPeriods(store, readModels, clock);
    const rpmClose = options.jobs
      ? new RpmCloseJobs({
          connection: options.jobs,
          periods,
          schedule: options.rpmClose ?? { pattern: '15 0 * * *' },
          ...(options.onError && { onError: options.onError }),
        })
      : null;
    const relationships = monitoringRelationships(options.pool, options.schema);
    const kafka = options.kafka;
    const groupId = options.consumer?.groupId ?? 'monitoring';
    const gateway = kafka
      ? new DeviceGatewayConsumer({
          kafka,
          groupId: `${groupId}.readings`,
          intake,
          clock,
          ...(options.consumer?.readingTopic !== undefined && { topic: options.consumer.readingTopic }),
          ...(options.consumer?.readingPartitionsConcurrently !== undefined && { partitionsConsumedConcurrently: options.consumer.readingPartitionsConcurrently }),
          ...(options.consumer?.fromBeginning !== undefined && { fromBeginning: options.consumer.fromBeginning }),
        })
      : null;
    return {
      module: MonitoringModule,
      imports: [
        AuthModule.register(options.auth),
        AccessControlModule.register({ service: 'monitoring', store, policy: MONITORING_ACCESS_POLICY, relationships, lookups: relationships.lookups, now: () => clock.now() }),
        HealthModule.register({ checks: options.checks }),
        ...(kafka
          ? [
              MessagingModule.forRootAsync({
                useFactory: () => ({
                  relay: { name: 'monitoring', store, pool: options.pool, schema: options.schema, kafka, publisher: monitoringPublisher },
                  consumers: [
                    {
                      groupId,
                      kafka,
                      pool: options.pool,
                      schema: options.schema,
                      storeSchema: options.schema,
                      registry: new ContractRegistry([PrescriptionFillRecorded]),
                      ...(options.consumer?.fromBeginning !== undefined && { fromBeginning: options.consumer.fromBeginning }),
                      handlers: prescriptionHandlers({
                        isMonitored: async (patientId, client) => (await readModels.patients([patientId], client)).has(patientId),
                        ...(options.consumer?.prescriptionTopic !== undefined && { topic: options.consumer.prescriptionTopic }),
                      }),
                    },
                  ],
                }),
              }),
            ]
          : []),
      ],
      controllers: [
        EnrolmentController,
        DevicesController,
        ReadingsController,
        AlertsController,
        RpmController,
        FhirViewsController,
        OpenApiController,
      ],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: READ_MODELS, useValue: readModels },
        { provide: READING_INTAKE, useValue: intake },
        { provide: LIVE_READINGS, useValue: live },
        { provide: CLOCK, useValue: clock },
        { provide: RPM_PERIODS, useValue: periods },
        { provide: LIFECYCLE, useValue: new Lifecycle(readModels, reactor, escalations, gateway, rpmClose, live) },
      ],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.lifecycle.readModels.start();
    this.lifecycle.escalations?.start();
    this.lifecycle.reactor.start();
    await this.lifecycle.rpmClose?.start();
    await this.lifecycle.gateway?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lifecycle.gateway?.stop();
    await this.lifecycle.live.stop();
    await this.lifecycle.reactor.stop();
    await this.lifecycle.rpmClose?.stop();
    await this.lifecycle.escalations?.stop();
    await this.lifecycle.readModels.stop();
  }
}
