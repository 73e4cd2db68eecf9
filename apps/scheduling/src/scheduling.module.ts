import { AccessControlModule } from '@carebridge/access-audit';
import { PostgresEventStore } from '@carebridge/event-store';
import { type ServiceMessagingOptions, serviceMessaging } from '@carebridge/messaging';
import { AuthModule, type BlobStore, HealthModule, type JwtAuthOptions, type Logger, type ReadinessCheck } from '@carebridge/platform';
import { type DynamicModule, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { SCHEDULING_ACCESS_POLICY, schedulingRelationships } from './scheduling.access-policy';
import { AddAttachmentController } from './appointment/add-attachment.http';
import { AppointmentsController } from './appointment/appointments.http';
import { BookAppointmentController } from './appointment/book-appointment.http';
import { BookSeriesController } from './appointment/book-series.http';
import { ChangeAppointmentController } from './appointment/change-appointment.http';
import { ReadIntakeController } from './appointment/read-intake.http';
import { TriageReviewController } from './appointment/triage-review.http';
import type { Clock } from './clock.port';
import { FhirViewsController } from './fhir/fhir-views.http';
import { EligibilityEventsConsumer } from './integration/eligibility.consumer';
import { schedulingPublisher } from './integration/scheduling.publisher';
import { VisitsEventsConsumer } from './integration/visits.consumer';
import { AppointmentJobs, type AppointmentJobsOptions } from './jobs/appointment.job';
import { PatientContactController } from './notifications/patient-contact.http';
import type { PatientContacts } from './notifications/patient-contact.port';
import { OpenApiController } from './openapi/openapi.http';
import { ManageProviderController } from './provider/manage-provider.http';
import { HoldSlotController } from './provider-day/hold-slot.http';
import { ScheduleGroupSessionController } from './provider-day/schedule-group-session.http';
import { ReadModels } from './read-models.projection';
import type { SchedulingPolicy } from './scheduling.policy';
import { BLOB_STORE, CLOCK, EVENT_STORE, PATIENT_CONTACTS, READ_MODELS, SCHEDULING_POLICY, WAITLIST_OFFERS } from './scheduling.tokens';
import { FindGroupSessionsController } from './slot-search/find-group-sessions.http';
import { FindSlotsController } from './slot-search/find-slots.http';
import { JoinWaitlistController } from './waitlist/join-waitlist.http';
import { WaitlistOffers } from './waitlist/waitlist-offers.reactor';

const APPOINTMENT_JOBS = Symbol('APPOINTMENT_JOBS');

/** What a deployment decides; every caller gives all of it (a test replaces a binding with overrideProvider). */
export interface SchedulingModuleOptions {
  /** Migrated already (see scheduling.migrate.ts). */
  readonly pool: Pool;
  readonly schema: string;
  readonly auth: JwtAuthOptions;
  readonly logger: Logger;
  readonly checks: readonly ReadinessCheck[];
  readonly clock: Clock;
  readonly policy: SchedulingPolicy;
  /** Where intake attachments are kept (content-addressed). */
  readonly blobStore: BlobStore;
  /** Patients' e-mail, phone and preferences (the erasable table in the service's schema). */
  readonly contacts: PatientContacts;
  /**
   * Publishing through the relay and consuming billing-eligibility's answers and visits' events;
   * omitted, neither runs. `topics` is the transport's own (a contract's topic -> the one read instead).
   */
  readonly messaging?: ServiceMessagingOptions;
  /** Reminder and no-show jobs on BullMQ; omitted, none run (nor the waitlist's offers, which need them). */
  readonly jobs?: Omit<AppointmentJobsOptions, 'store' | 'pool' | 'clock' | 'policy' | 'onWaitlistOfferExpired'>;
}

const httpControllers = [
  ManageProviderController,
  FindSlotsController,
  FindGroupSessionsController,
  HoldSlotController,
  ScheduleGroupSessionController,
  BookAppointmentController,
  BookSeriesController,
  ChangeAppointmentController,
  TriageReviewController,
  AppointmentsController,
  ReadIntakeController,
  AddAttachmentController,
  FhirViewsController,
  JoinWaitlistController,
  PatientContactController,
  OpenApiController,
];

/** @IntegrationEventHandler controllers, run by the integration events transport (connectIntegrationEvents). */
const integrationConsumers = [EligibilityEventsConsumer, VisitsEventsConsumer];

/**
 * The jobs and the waitlist call each other (an expired offer's hold passes the slot on; an offer
 * schedules its jobs): each gets the other as a function at construction, bound once both exist,
 * before the worker starts at bootstrap. No object is changed after it is built.
 */
function jobsAndWaitlist(options: SchedulingModuleOptions, store: PostgresEventStore): { jobs: AppointmentJobs | null; waitlist: WaitlistOffers | null } {
  if (!options.jobs) return { jobs: null, waitlist: null };
  const { pool, clock, policy, logger } = options;
  let offerNext: ((slot: { providerId: string; start: string; end: string }) => Promise<void>) | undefined;
  const jobs = new AppointmentJobs({ ...options.jobs, store, pool, clock, policy, onWaitlistOfferExpired: async (slot) => offerNext?.(slot) });
  const waitlist = new WaitlistOffers({
    store,
    pool,
    clock,
    policy,
    scheduleOffer: (offer) => jobs.scheduleWaitlistOffer(offer),
    scheduleExpiry: (slot, atMs) => jobs.scheduleWaitlistExpiry(slot, atMs),
    onError: (error) => logger.error({ err: error }, 'waitlist offers failed; retrying'),
  });
  offerNext = (slot) => waitlist.offerNext(slot);
  return { jobs, waitlist };
}

/** The composition root of the scheduling service: every adapter built here and bound to its port's token. */
@Module({})
export class SchedulingModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(APPOINTMENT_JOBS) private readonly jobs: AppointmentJobs | null,
    @Inject(WAITLIST_OFFERS) private readonly waitlist: WaitlistOffers | null,
  ) {}

  static register(options: SchedulingModuleOptions): DynamicModule {
    const { pool, schema, clock, logger } = options;
    const store = new PostgresEventStore(pool, schema);
    const readModels = new ReadModels(store, pool, (error) => logger.error({ err: error }, 'read model projection failed; retrying'));
    const relationships = schedulingRelationships(pool, schema, store);
    const { jobs, waitlist } = jobsAndWaitlist(options, store);
    const messaging = serviceMessaging({ name: 'scheduling', store, pool, schema, publisher: schedulingPublisher, consumers: integrationConsumers }, options.messaging);
    const ports = [
      { provide: EVENT_STORE, useValue: store },
      { provide: READ_MODELS, useValue: readModels },
      { provide: PATIENT_CONTACTS, useValue: options.contacts },
      { provide: BLOB_STORE, useValue: options.blobStore },
      { provide: SCHEDULING_POLICY, useValue: options.policy },
      { provide: CLOCK, useValue: clock },
      { provide: APPOINTMENT_JOBS, useValue: jobs },
      { provide: WAITLIST_OFFERS, useValue: waitlist },
    ];
    return {
      module: SchedulingModule,
      imports: [
        AuthModule.register(options.auth),
        AccessControlModule.register({ service: 'scheduling', store, policy: SCHEDULING_ACCESS_POLICY, relationships, lookups: relationships.lookups, now: () => clock.now() }),
        HealthModule.register({ checks: options.checks }),
        ...messaging.imports,
      ],
      controllers: [...messaging.controllers, ...httpControllers],
      providers: ports,
    };
  }

  onApplicationBootstrap(): void {
    this.readModels.start();
    this.jobs?.start();
    this.waitlist?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.waitlist?.stop();
    await this.jobs?.stop();
    await this.readModels.stop();
  }
}
