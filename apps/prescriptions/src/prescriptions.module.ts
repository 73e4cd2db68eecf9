import { Inject, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { PostgresEventStore } from '@carebridge/event-store';
import { MessagingHost, type ServiceMessagingOptions, serviceMessaging } from '@carebridge/messaging';
import { AuthModule, HealthModule, type JwtAuthOptions, type Logger, type ReadinessCheck } from '@carebridge/platform';
import { horizonWarning } from '@carebridge/shared-kernel';
import { AccessControlModule } from '@carebridge/access-audit';
import { PrescriptionAccess } from './http/prescription.access';
import { PRESCRIPTIONS_ACCESS_POLICY, prescriptionsRelationships } from './http/prescriptions.access-policy';
import { Commands } from './http/commands.http-support';
import { ReadModels } from './http/read-models.projection';
import { EVENT_STORE, ONE_TIME_CODES, PG_POOL, READ_MODELS, RECORD_SIGNER, RELAY_NUDGE, SERVICE_SCHEMA } from './http/prescriptions.tokens';
import { PharmacyResponsesConsumer } from './integration/pharmacy-responses.consumer';
import { PharmacyScriptOutboxController } from './pharmacy-script-outbox/pharmacy-script-outbox.http';
import { prescriptionsPublisher } from './integration/prescriptions.publisher';
import { VisitIntentsConsumer } from './integration/visits.consumer';
import { PatientProfileController } from './patient-profile/patient-profile.http';
import { PharmacyDirectoryController } from './pharmacy/pharmacy-directory.http';
import { OpenApiController } from './openapi/openapi.http';
import { OneTimeCodeEnrolmentController } from './prescriber-otp/one-time-code-enrolment.http';
import { OneTimeCodes } from './prescriber-otp/one-time-codes.adapter';
import { OtpSecretBox } from './prescriber-otp/otp-secret-box.crypto';
import { PrescriberCredentialController } from './prescriber-credential/prescriber-credential.http';
import { PrescriptionSignatureController } from './prescription/prescription-signature.http';
import { RecordSigner } from './prescription/record-signer.crypto';
import { RuleHorizonController } from './prescription/rule-horizon.http';
import { telemedicineHorizon } from './prescription/controlled-substance.rules';
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
  readonly logger: Logger;
  readonly checks: readonly ReadinessCheck[];
  /**
   * The record-signing key and earlier keys' public PEMs (21 CFR 1311.120(b)) and the key sealing
   * TOTP secrets at rest; an unset key is generated for this run (development only).
   */
  readonly keys: { readonly signingKeyPem?: string | undefined; readonly verificationKeyPems: readonly string[]; readonly otpKey?: string | undefined };
  /** The relay to the pharmacy topic and the consumer group of pharmacy answers and visits' intents; omitted, HTTP only. */
  readonly messaging?: ServiceMessagingOptions;
}

/** The DEA telemedicine rule sets ending within 120 days with no successor, as readiness warnings. */
export const ruleHorizonToday = () => telemedicineHorizon(new Date().toISOString().slice(0, 10));

const httpControllers = [
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
];

/** @IntegrationEventHandler controllers, run by the integration events transport (connectIntegrationEvents). */
const integrationConsumers = [PharmacyResponsesConsumer, VisitIntentsConsumer];

/** Application services the controllers share. */
const applicationServices = [Commands, PrescriptionAccess];

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

const lifecycles = [ReadModelsLifecycle, OtpSecretsAtRest];

/** The keys' adapters, saying so when one was generated for this run. */
function keyAdapters(keys: PrescriptionsModuleOptions['keys'], logger: Logger): { recordSigner: RecordSigner; otpSecretBox: OtpSecretBox } {
  const recordSigner = new RecordSigner({ privateKeyPem: keys.signingKeyPem, verificationKeyPems: keys.verificationKeyPems });
  const otpSecretBox = new OtpSecretBox(keys.otpKey);
  if (recordSigner.generated) {
    logger.warn({ keyId: recordSigner.keyId }, 'PRESCRIPTIONS_SIGNING_KEY_PEM unset: prescription records are signed with a key generated for this run (development only)');
  }
  if (otpSecretBox.generated) {
    logger.warn('PRESCRIPTIONS_OTP_KEY unset: TOTP secrets are sealed with a key generated for this run; prescribers re-enrol after a restart (development only)');
  }
  return { recordSigner, otpSecretBox };
}

/** The relay and the consumer group (libs/messaging serviceMessaging), and the relay's nudge bound to its port. */
function messagingOf(options: PrescriptionsModuleOptions, store: PostgresEventStore): Pick<DynamicModule, 'imports' | 'controllers' | 'providers'> {
  const { messaging, pool, schema } = options;
  const wired = serviceMessaging({ name: 'prescriptions', store, pool, schema, publisher: prescriptionsPublisher, idleMs: 10, consumers: integrationConsumers }, messaging);
  if (!messaging) return { ...wired, providers: [] };
  return { ...wired, providers: [{ provide: RELAY_NUDGE, inject: [MessagingHost], useFactory: (host: MessagingHost) => () => host.relay?.nudge() }] };
}

/** The composition root of the prescriptions service: every adapter built here and bound to its port's token. */
@Module({})
export class PrescriptionsModule {
  static register(options: PrescriptionsModuleOptions): DynamicModule {
    const { pool, schema, logger } = options;
    // Rule horizon: the DEA flexibilities end 2026-12-31 and nothing but the Ryan Haight baseline follows.
    const atBoot = ruleHorizonToday().map(horizonWarning);
    if (atBoot.length > 0) logger.warn({ horizon: atBoot }, 'rule sets ending within 120 days with no successor');
    const store = new PostgresEventStore(pool, schema);
    const { recordSigner, otpSecretBox } = keyAdapters(options.keys, logger);
    const relationships = prescriptionsRelationships(pool, schema);
    const messaging = messagingOf(options, store);
    const ports = [
      { provide: PG_POOL, useValue: pool },
      { provide: SERVICE_SCHEMA, useValue: schema },
      { provide: EVENT_STORE, useValue: store },
      { provide: READ_MODELS, useValue: new ReadModels(store, pool, schema, (error) => logger.error({ err: error }, 'projection failed; retrying')) },
      { provide: ONE_TIME_CODES, useValue: new OneTimeCodes(pool, schema, otpSecretBox) },
      { provide: RECORD_SIGNER, useValue: recordSigner },
    ];
    return {
      module: PrescriptionsModule,
      imports: [
        AuthModule.register(options.auth),
        AccessControlModule.register({ service: 'prescriptions', store, policy: PRESCRIPTIONS_ACCESS_POLICY, relationships, lookups: relationships.lookups }),
        HealthModule.register({ checks: options.checks, warnings: () => ruleHorizonToday().map(horizonWarning) }),
        ...messaging.imports!,
      ],
      controllers: [...messaging.controllers!, ...httpControllers],
      providers: [...ports, ...messaging.providers!, ...lifecycles, ...applicationServices],
    };
  }
}
