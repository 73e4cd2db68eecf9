import { RuleHorizonController } from './prescription/rule-horizon.http';
import { Inject, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { MessageBroker } from '@carebridge/messaging';
import type { Pool } from 'pg';
import { ContractRegistry } from '@carebridge/contracts';
import { PostgresEventStore } from '@carebridge/event-store';
import { MessagingHost, MessagingModule, type ConsumerLogger, type RelayLogger } from '@carebridge/messaging';
import { AuthModule, HealthModule, postgresCheck, type JwtAuthOptions, type ReadinessCheck } from '@carebridge/platform';
import { AccessControlModule } from '@carebridge/access-audit';
import { PrescriptionAccess } from './http/access';
import { PRESCRIPTIONS_ACCESS_POLICY, prescriptionsRelationships } from './http/access-policy';
import { Commands } from './http/commands';
import { ReadModels } from './http/read-models';
import { EVENT_STORE, ONE_TIME_CODES, PG_POOL, READ_MODELS, RECORD_SIGNER, RELAY_NUDGE, SERVICE_SCHEMA } from './http/tokens';
import { pharmacyResponseHandlers } from './integration/pharmacy-responses.consumer';
import { PharmacyScriptOutboxController } from './pharmacy-script-outbox/pharmacy-script-outbox.http';
import { prescriptionsPublisher } from './integration/prescriptions.publisher';
import { visitHandlers } from './integration/visits.consumer';
import { PatientProfileController } from './patient-profile/patient-profile.http';
import { PharmacyDirectoryController } from './pharmacy/pharmacy-directory.http';
import { OpenApiController } from './openapi/openapi.http';
import { OneTimeCodeEnrolmentController } from './prescriber-otp/one-time-code-enrolment.http';
import { OneTimeCodes } from './prescriber-otp/one-time-codes';
import { OtpSecretBox } from './prescriber-otp/otp-secret-box';
import { PrescriberCredentialController } from './prescriber-credential/prescriber-credential.http';
import { PrescriptionSignatureController } from './prescription/prescription-signature.http';
import { RecordSigner } from './prescription/record-signer';
import { CancelPrescriptionController } from './prescription/cancel-prescription.http';
import { CheckPrescriptionController } from './prescription/check-prescription.http';
import { DraftPrescriptionController } from './prescription/draft-prescription.http';
import { PharmacyMessagesController } from './prescription/pharmacy-messages.http';
import { RenewalsController } from './prescription/renewals.http';
import { SignPrescriptionController } from './prescription/sign-prescription.http';
import { PrescriptionViewController } from './prescription-view/prescription-view.http';
import { MedicationRequestFhirController } from './prescription-view/medication-request.fhir.http';

export interface PrescriptionsModuleOptions {
  readonly pool: Pool;
  /** PostgreSQL schema of the service: event store, messaging tables, read models. */
  readonly schema: string;
  readonly auth: JwtAuthOptions;
  /** Relay to the pharmacy topic and the consumer of pharmacy answers and visits' prescription intents; omitted, the service runs HTTP only. */
  readonly messaging?: {
    readonly kafka: MessageBroker;
    readonly consumerGroupId: string;
    readonly relayLogger?: RelayLogger;
    readonly consumerLogger?: ConsumerLogger;
  };
  readonly healthChecks?: readonly ReadinessCheck[];
  /** Readiness warnings (the DEA rule horizon). */
  readonly healthWarnings?: () => readonly string[];
  readonly onProjectionError?: (error: unknown) => void;
  /** The record-signing key (21 CFR 1311.120(b)); omitted, a development key generated at start. */
  readonly recordSigner?: RecordSigner;
  /** Seals the TOTP secrets at rest; omitted, a development key generated at start. */
  readonly otpSecretBox?: OtpSecretBox;
}

/** Starts the projections with the app and stops them after the HTTP server drained. */
class ReadModelsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  onApplicationBootstrap(): void {
    this.readModels.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.readModels.stop();
  }
}

/** Seals TOTP secrets still stored in clear (rows from before migration 2) when the app starts. */
class OtpSecretsAtRest implements OnApplicationBootstrap {
  constructor(@Inject(ONE_TIME_CODES) private readonly codes: OneTimeCodes) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.codes.sealPlaintextSecrets();
  }
}

/** The composition root of the prescriptions service. */
@Module({})
export class PrescriptionsModule {
  static forRoot(options: PrescriptionsModuleOptions): DynamicModule {
    const store = new PostgresEventStore(options.pool, options.schema);
    const readModels = new ReadModels(store, options.pool, options.schema, options.onProjectionError);
    const messaging = options.messaging;
    const relationships = prescriptionsRelationships(options.pool, options.schema);
    return {
      module: PrescriptionsModule,
      imports: [
        AuthModule.register(options.auth),
        AccessControlModule.register({ service: 'prescriptions', store, policy: PRESCRIPTIONS_ACCESS_POLICY, relationships, lookups: relationships.lookups }),
        HealthModule.register({ checks: options.healthChecks ?? [postgresCheck(options.pool)], ...(options.healthWarnings && { warnings: options.healthWarnings }) }),
        ...(messaging
          ? [
              MessagingModule.forRootAsync({
                useFactory: () => ({
                  relay: {
                    name: 'prescriptions',
                    store,
                    pool: options.pool,
                    schema: options.schema,
                    kafka: messaging.kafka,
                    publisher: prescriptionsPublisher,
                    idleMs: 10,
                    ...(messaging.relayLogger && { logger: messaging.relayLogger }),
                  },
                  consumers: [
                    {
                      groupId: messaging.consumerGroupId,
                      kafka: messaging.kafka,
                      pool: options.pool,
                      schema: options.schema,
                      storeSchema: options.schema,
                      registry: new ContractRegistry(),
                      handlers: [...pharmacyResponseHandlers, ...visitHandlers],
                      ...(messaging.consumerLogger && { logger: messaging.consumerLogger }),
                    },
                  ],
                }),
              }),
            ]
          : []),
      ],
      controllers: [
        RuleHorizonController,
        OpenApiController,
        PharmacyDirectoryController,
        PharmacyScriptOutboxController,
        PatientProfileController,
        OneTimeCodeEnrolmentController,
        PrescriberCredentialController,
        DraftPrescriptionController,
        CheckPrescriptionController,
        SignPrescriptionController,
        CancelPrescriptionController,
        RenewalsController,
        PharmacyMessagesController,
        PrescriptionViewController,
        MedicationRequestFhirController,
        PrescriptionSignatureController,
      ],
      providers: [
        { provide: PG_POOL, useValue: options.pool },
        { provide: SERVICE_SCHEMA, useValue: options.schema },
        { provide: EVENT_STORE, useValue: store },
        { provide: READ_MODELS, useValue: readModels },
        { provide: ONE_TIME_CODES, useValue: new OneTimeCodes(options.pool, options.schema, options.otpSecretBox ?? new OtpSecretBox()) },
        { provide: RECORD_SIGNER, useValue: options.recordSigner ?? new RecordSigner() },
        ...(messaging
          ? [{ provide: RELAY_NUDGE, inject: [MessagingHost], useFactory: (host: MessagingHost) => () => host.relay?.nudge() }]
          : []),
        ReadModelsLifecycle,
        OtpSecretsAtRest,
        Commands,
        PrescriptionAccess,
      ],
    };
  }
}
