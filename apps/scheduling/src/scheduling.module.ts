import { AccessControlModule } from '@carebridge/access-audit';
import { type DynamicModule, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { MessageBroker } from '@carebridge/messaging';
import type { Pool } from 'pg';
import { PostgresEventStore } from '@carebridge/event-store';
import { IntegrationEventsTransport, MessagingModule } from '@carebridge/messaging';
import { AuthModule, type BlobStore, HealthModule, type JwtAuthOptions, type ReadinessCheck } from '@carebridge/platform';
import { SCHEDULING_ACCESS_POLICY, schedulingRelationships } from './access-policy';
import { AppointmentsController } from './appointment/appointments.http';
import { ReadIntakeController } from './appointment/read-intake.http';
import { FhirViewsController } from './fhir/fhir-views.http';
import { EligibilityDetermined, FollowUpRequested } from '@carebridge/contracts';
import { EligibilityEventsConsumer } from './integration/eligibility.consumer';
import { VisitsEventsConsumer } from './integration/visits.consumer';
import { schedulingPublisher } from './integration/scheduling.publisher';
import { ManageProviderController } from './provider/manage-provider.http';
import { BookAppointmentController } from './appointment/book-appointment.http';
import { ChangeAppointmentController } from './appointment/change-appointment.http';
import { HoldSlotController } from './provider-day/hold-slot.http';
import { ReadModels } from './read-models';
import { DEFAULT_SCHEDULING_POLICY, type SchedulingPolicy } from './scheduling.policy';
import { BLOB_STORE, PATIENT_CONTACTS, CLOCK, EVENT_STORE, READ_MODELS, SCHEDULING_POLICY, WAITLIST_OFFERS } from './scheduling.tokens';
import type { PatientContacts } from './notifications/patient-contact.port';
import { PostgresPatientContacts } from './notifications/postgres-patient-contacts';
import { PatientContactController } from './notifications/patient-contact.http';
import { AddAttachmentController } from './appointment/add-attachment.http';
import { BookSeriesController } from './appointment/book-series.http';
import { ScheduleGroupSessionController } from './provider-day/schedule-group-session.http';
import { TriageReviewController } from './appointment/triage-review.http';
import { OpenApiController } from './openapi/openapi.http';
import { type Clock, systemClock } from './clock';
import { AppointmentJobs, type AppointmentJobsOptions } from './jobs/appointment-jobs';

import { WaitlistOffers } from './waitlist/waitlist-offers';
import { JoinWaitlistController } from './waitlist/join-waitlist.http';

const APPOINTMENT_JOBS = Symbol('APPOINTMENT_JOBS');
import { FindSlotsController } from './slot-search/find-slots.http';
import { FindGroupSessionsController } from './slot-search/find-group-sessions.http';

export interface SchedulingModuleOptions {
  /** Migrated already (see scheduling.migrate.ts). */
  readonly pool: Pool;
  readonly schema: string;
  readonly auth: JwtAuthOptions;
  readonly checks: readonly ReadinessCheck[];
  readonly policy?: SchedulingPolicy;
  /** Publishing to Kafka through the relay and consuming others' events; omitted, neither runs. */
  readonly kafka?: MessageBroker;
  /** Consumer group (default `scheduling`) and, for tests, the topics eligibility answers and visits' events are read from. */
  readonly consumer?: { readonly groupId?: string; readonly eligibilityTopic?: string; readonly visitsTopic?: string };
  readonly onProjectionError?: (error: unknown) => void;
  /** The system clock unless a test controls time. */
  readonly clock?: Clock;
  /** Where intake attachments are kept (content-addressed). */
  readonly blobStore: BlobStore;
  /** Patients' e-mail, phone and preferences; default: the table in the service's schema. */
  readonly contacts?: PatientContacts;
  /** Reminder and no-show jobs on BullMQ; omitted, none run. */
  readonly jobs?: Omit<AppointmentJobsOptions, 'store' | 'pool' | 'clock' | 'policy'>;
}

/** The composition root of the scheduling service: adapters bound to tokens, lifecycles of the read side. */
@Module({})
export class SchedulingModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(APPOINTMENT_JOBS) private readonly jobs: AppointmentJobs | null,
    @Inject(WAITLIST_OFFERS) private readonly waitlist: WaitlistOffers | null,
  ) {}

  static register(options: SchedulingModuleOptions): DynamicModule {
    const store = new PostgresEventStore(options.pool, options.schema);
    const readModels = new ReadModels(store, options.pool, options.onProjectionError);
    const kafka = options.kafka;
    const clock = options.clock ?? systemClock;
    const relationships = schedulingRelationships(options.pool, options.schema, store);
    const policy = options.policy ?? DEFAULT_SCHEDULING_POLICY;
    // Jobs and waitlist call each other (an expired offer's hold passes the slot on; an offer schedules
    // its jobs): each gets the other as a function at construction, bound once both exist, before the
    // worker starts at bootstrap. No object is changed after it is built.
    let offerNext: ((slot: { providerId: string; start: string; end: string }) => Promise<void>) | undefined;
    const jobs = options.jobs
      ? new AppointmentJobs({ ...options.jobs, store, pool: options.pool, clock, policy, onWaitlistOfferExpired: async (slot) => offerNext?.(slot) })
      : null;
    // The waitlist needs the job queue (an offer passes on when its hold expires) and the notifier.
    const waitlist = jobs
      ? new WaitlistOffers({
          store,
          pool: options.pool,
          clock,
          policy,
          scheduleOffer: (offer) => jobs.scheduleWaitlistOffer(offer),
          scheduleExpiry: (slot, atMs) => jobs.scheduleWaitlistExpiry(slot, atMs),
          ...(options.onProjectionError && { onError: options.onProjectionError }),
        })
      : null;
    if (waitlist) offerNext = (slot) => waitlist.offerNext(slot);
    return {
      module: SchedulingModule,
      imports: [
        AuthModule.register(options.auth),
        AccessControlModule.register({ service: 'scheduling', store, policy: SCHEDULING_ACCESS_POLICY, relationships, lookups: relationships.lookups, now: () => clock.now() }),
        HealthModule.register({ checks: options.checks }),
        ...(kafka
          ? [
              MessagingModule.forRootAsync({
                useFactory: () => ({
                  relay: { name: 'scheduling', store, pool: options.pool, schema: options.schema, kafka, publisher: schedulingPublisher },
                  // The consumers' handlers; connected by the service's prepare(app) (connectIntegrationEvents).
                  transports: [
                    new IntegrationEventsTransport({
                      groupId: options.consumer?.groupId ?? 'scheduling',
                      kafka,
                      pool: options.pool,
                      schema: options.schema,
                      storeSchema: options.schema,
                      topics: {
                        ...(options.consumer?.eligibilityTopic !== undefined && { [EligibilityDetermined.topic]: options.consumer.eligibilityTopic }),
                        // FollowUpRequested and PatientCheckedIn share visits' topic.
                        ...(options.consumer?.visitsTopic !== undefined && { [FollowUpRequested.topic]: options.consumer.visitsTopic }),
                      },
                    }),
                  ],
                }),
              }),
            ]
          : []),
      ],
      controllers: [
        ...(kafka ? [EligibilityEventsConsumer, VisitsEventsConsumer] : []),
        ManageProviderController,
        FindSlotsController,
        FindGroupSessionsController,
        HoldSlotController,
        BookAppointmentController,
        ChangeAppointmentController,
        AppointmentsController,
        ReadIntakeController,
        FhirViewsController,
        AddAttachmentController,
        JoinWaitlistController,
        BookSeriesController,
        OpenApiController,
        ScheduleGroupSessionController,
        TriageReviewController,
        PatientContactController,
      ],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: PATIENT_CONTACTS, useValue: options.contacts ?? new PostgresPatientContacts(options.pool, options.schema) },
        { provide: READ_MODELS, useValue: readModels },
        { provide: SCHEDULING_POLICY, useValue: policy },
        { provide: CLOCK, useValue: clock },
        { provide: APPOINTMENT_JOBS, useValue: jobs },
        { provide: WAITLIST_OFFERS, useValue: waitlist },
        { provide: BLOB_STORE, useValue: options.blobStore },
      ],
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
