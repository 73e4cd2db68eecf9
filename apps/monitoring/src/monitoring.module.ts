import { type DynamicModule, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { DeviceReadingsReported } from '@carebridge/contracts';
import { PostgresEventStore } from '@carebridge/event-store';
import { type ServiceMessagingOptions, serviceMessaging } from '@carebridge/messaging';
import { AuthModule, HealthModule, type JobsConnection, type JwtAuthOptions, type ReadinessCheck } from '@carebridge/platform';
import { AccessControlModule } from '@carebridge/access-audit';
import { MONITORING_ACCESS_POLICY, monitoringRelationships } from './monitoring.access-policy';
import { AlertEscalationJobs } from './alerts/alert-escalation.job';
import { AlertEscalationReactor } from './alerts/alert-escalation.reactor';
import { Alerts, alertsProjection } from './alerts/alerts.projection';
import { AlertsController } from './alerts/alerts.http';
import { MedicationFills, medicationFillsProjection } from './alerts/medication-fills.projection';
import type { Clock } from './clock.port';
import { DeviceAssignments, deviceAssignmentsProjection } from './enrolment/device-assignments.projection';
import { DevicesController } from './enrolment/devices.http';
import { EnrolmentController } from './enrolment/enrolment.http';
import { MonitoredPatients, monitoredPatientsProjection } from './enrolment/monitored-patients.projection';
import { FhirViewsController } from './fhir/fhir-views.http';
import { DeviceGatewayConsumer } from './integration/device-gateway.consumer';
import { monitoringPublisher } from './integration/monitoring.publisher';
import { PrescriptionEventsConsumer } from './integration/prescriptions.consumer';
import { LiveReadings } from './live/live-readings.reactor';
import { MonitoringProjections } from './read-models.projection';
import { CLOCK, EVENT_STORE, LIVE_READINGS, READING_INTAKE, RPM_PERIODS } from './monitoring.tokens';
import { OpenApiController } from './openapi/openapi.http';
import { ReadingIntake } from './readings/reading-intake.handler';
import { Readings, readingsProjection } from './readings/readings.projection';
import { ReadingsController } from './readings/readings.http';
import { InteractiveMinutes, interactiveMinutesProjection } from './rpm/interactive-minutes.projection';
import { ReadingDays, readingDaysProjection } from './rpm/reading-days.projection';
import { RpmPeriods } from './rpm/rpm-periods.handler';
import { ClosedRpmPeriods, rpmPeriodsProjection } from './rpm/rpm-periods.projection';
import { RpmController } from './rpm/rpm.http';
import { RpmCloseJobs } from './rpm/rpm-close.job';

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
  /**
   * The relay (alerts, RPM periods), the prescriptions consumer (group `<groupId>`) and the
   * device-gateway consumer (group `<groupId>.readings`); omitted, none runs. `topics`: a
   * contract's topic -> the one read instead (tests read topics of their own).
   */
  readonly messaging?: ServiceMessagingOptions;
  /** Partitions of the device-gateway topic consumed at once (match the partition count per replica). */
  readonly readingPartitionsConcurrently: number;
  /** Escalation and RPM-close jobs (BullMQ on Redis or PostgreSQL); omitted, alerts never escalate and periods close only on request. */
  readonly jobs?: JobsConnection;
  /** When ended RPM periods are closed by the job scheduler (with `jobs`; production: RPM_CLOSE_DAILY). */
  readonly rpmClose: { readonly pattern: string } | { readonly every: number };
  /** Where commands and alerting read the time (the system clock in production). */
  readonly clock: Clock;
  /** Background work that failed and is retried (projections, followers, jobs): the service logs it. */
  readonly onError: (error: unknown) => void;
}

class Lifecycle {
  constructor(
    readonly projections: MonitoringProjections,
    readonly escalations: { readonly jobs: AlertEscalationJobs; readonly reactor: AlertEscalationReactor } | null,
    readonly gateway: DeviceGatewayConsumer | null,
    readonly rpmClose: RpmCloseJobs | null,
    readonly live: LiveReadings,
  ) {}
}

/** The read side: one projection per question (each with its queries), run from one checkpoint. */
function readSide(options: MonitoringModuleOptions, store: PostgresEventStore) {
  const { pool, schema } = options;
  const queries = {
    patients: new MonitoredPatients(pool, schema),
    devices: new DeviceAssignments(pool, schema),
    readings: new Readings(pool, schema),
    days: new ReadingDays(pool, schema),
    minutes: new InteractiveMinutes(pool, schema),
    closed: new ClosedRpmPeriods(pool, schema),
    alerts: new Alerts(pool, schema),
    fills: new MedicationFills(pool, schema),
  };
  const projections = new MonitoringProjections(
    store,
    pool,
    [
      monitoredPatientsProjection(schema),
      deviceAssignmentsProjection(schema),
      readingsProjection(schema),
      readingDaysProjection(schema),
      interactiveMinutesProjection(schema),
      rpmPeriodsProjection(schema),
      alertsProjection(schema),
      medicationFillsProjection(schema),
    ],
    options.onError,
  );
  return { projections, queries };
}

/** The composition root of the monitoring service: adapters bound to tokens, lifecycles of the read side. */
@Module({})
export class MonitoringModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(LIFECYCLE) private readonly lifecycle: Lifecycle) {}

  static register(options: MonitoringModuleOptions): DynamicModule {
    const store = new PostgresEventStore(options.pool, options.schema);
    const { clock, messaging } = options;
    const onError = { onError: options.onError };
    const { projections, queries } = readSide(options, store);
    const live = new LiveReadings(store, { projections, readings: queries.readings }, options.onError);
    const escalations = options.jobs ? alertEscalation(options, options.jobs, store) : null;
    const intake = new ReadingIntake({
      store,
      pool: options.pool,
      assignments: queries.devices,
      patients: queries.patients,
      readings: queries.readings,
      projections,
      onStored: () => {
        projections.nudge();
        escalations?.reactor.nudge();
        live.nudge();
      },
    });
    const periods = new RpmPeriods(store, clock, { projections, ...queries });
    const rpmClose = options.jobs
      ? new RpmCloseJobs({ connection: options.jobs, periods, schedule: options.rpmClose, ...onError })
      : null;
    const gateway = messaging ? deviceGateway(options, messaging, intake) : null;
    // The relay (alerts, RPM periods to Kafka) and PrescriptionEventsConsumer's transport (pharmacy fills).
    const { pool, schema } = options;
    const relayAndConsumers = serviceMessaging({ name: 'monitoring', store, pool, schema, publisher: monitoringPublisher, consumers: [PrescriptionEventsConsumer] }, messaging);

    const adapters = [
      { provide: EVENT_STORE, useValue: store },
      { provide: CLOCK, useValue: clock },
    ];
    const readModels = [
      { provide: MonitoringProjections, useValue: projections },
      { provide: MonitoredPatients, useValue: queries.patients },
      { provide: DeviceAssignments, useValue: queries.devices },
      { provide: Readings, useValue: queries.readings },
      { provide: ReadingDays, useValue: queries.days },
      { provide: InteractiveMinutes, useValue: queries.minutes },
      { provide: ClosedRpmPeriods, useValue: queries.closed },
      { provide: Alerts, useValue: queries.alerts },
      { provide: MedicationFills, useValue: queries.fills },
    ];
    const services = [
      { provide: READING_INTAKE, useValue: intake },
      { provide: LIVE_READINGS, useValue: live },
      { provide: RPM_PERIODS, useValue: periods },
    ];
    const background = [{ provide: LIFECYCLE, useValue: new Lifecycle(projections, escalations, gateway, rpmClose, live) }];
    const relationships = monitoringRelationships(options.pool, options.schema);
    return {
      module: MonitoringModule,
      imports: [
        AuthModule.register(options.auth),
        AccessControlModule.register({ service: 'monitoring', store, policy: MONITORING_ACCESS_POLICY, relationships, lookups: relationships.lookups, now: () => clock.now() }),
        HealthModule.register({ checks: options.checks }),
        ...relayAndConsumers.imports,
      ],
      controllers: [
        ...relayAndConsumers.controllers,
        EnrolmentController,
        DevicesController,
        ReadingsController,
        AlertsController,
        RpmController,
        FhirViewsController,
        OpenApiController,
      ],
      providers: [...adapters, ...readModels, ...services, ...background],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.lifecycle.projections.start();
    this.lifecycle.escalations?.jobs.start();
    this.lifecycle.escalations?.reactor.start();
    await this.lifecycle.rpmClose?.start();
    await this.lifecycle.gateway?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lifecycle.gateway?.stop();
    await this.lifecycle.live.stop();
    await this.lifecycle.escalations?.reactor.stop();
    await this.lifecycle.rpmClose?.stop();
    await this.lifecycle.escalations?.jobs.stop();
    await this.lifecycle.projections.stop();
  }
}

/** Escalation jobs and the follower that queues one for every alert raised or escalated. */
function alertEscalation(options: MonitoringModuleOptions, connection: JobsConnection, store: PostgresEventStore) {
  const onError = { onError: options.onError };
  const jobs = new AlertEscalationJobs({ connection, store, clock: options.clock, ...onError });
  const reactor = new AlertEscalationReactor({ store, pool: options.pool, clock: options.clock, escalations: jobs, ...onError });
  return { jobs, reactor };
}

function deviceGateway(options: MonitoringModuleOptions, { kafka, groupId, topics, fromBeginning }: ServiceMessagingOptions, intake: ReadingIntake): DeviceGatewayConsumer {
  return new DeviceGatewayConsumer({
    kafka,
    groupId: `${groupId}.readings`,
    topic: topics?.[DeviceReadingsReported.topic] ?? DeviceReadingsReported.topic,
    intake,
    clock: options.clock,
    partitionsConsumedConcurrently: options.readingPartitionsConcurrently,
    ...(fromBeginning !== undefined && { fromBeginning }),
    onError: options.onError,
  });
}
