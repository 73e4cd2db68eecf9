import { PHARMACY_RESPONSE_TOPIC, PHARMACY_TOPIC, PRESCRIPTION_TOPIC, PrescriptionIntended } from '@carebridge/contracts';
import type { PostgresEventStore } from '@carebridge/event-store';
import { MessagingHost, trackMessaging, type MessageBroker } from '@carebridge/messaging';
import { jwtAuthOptions, loadConfig, type ServiceDefinition } from '@carebridge/platform';
import { openApiDocument } from './openapi/openapi';
import { configSchema, pemBlocks, SCHEMA } from './config';
import { EVENT_STORE } from './http/tokens';
import { migratePrescriptions } from './prescriptions.migrations';
import { PrescriptionsModule } from './prescriptions.module';
import { OtpSecretBox } from './prescriber-otp/otp-secret-box';
import { RecordSigner } from './prescription/record-signer';
import { horizonWarning } from '@carebridge/shared-kernel';
import { telemedicineHorizon } from './prescription/controlled-substance.rules';

const horizonToday = () => telemedicineHorizon(new Date().toISOString().slice(0, 10));

/** The prescriptions service as both runtime profiles start it (composition root). */
export const prescriptionsService: ServiceDefinition<MessageBroker> = {
  name: 'prescriptions',
  schema: SCHEMA,
  // The visits topic too: the consumer of prescription intents subscribes before visits first starts.
  topics: [PHARMACY_TOPIC, PHARMACY_RESPONSE_TOPIC, PRESCRIPTION_TOPIC, PrescriptionIntended.topic],
  migrate: (pool) => migratePrescriptions(pool, SCHEMA),
  module(runtime) {
    const config = loadConfig(configSchema, runtime.env);
    const { logger } = runtime;
    const recordSigner = new RecordSigner({ privateKeyPem: config.PRESCRIPTIONS_SIGNING_KEY_PEM, verificationKeyPems: pemBlocks(config.PRESCRIPTIONS_VERIFY_KEYS_PEM) });
    const otpSecretBox = new OtpSecretBox(config.PRESCRIPTIONS_OTP_KEY);
    if (recordSigner.generated) {
      logger.warn({ keyId: recordSigner.keyId }, 'PRESCRIPTIONS_SIGNING_KEY_PEM unset: prescription records are signed with a key generated for this run (development only)');
    }
    if (otpSecretBox.generated) {
      logger.warn('PRESCRIPTIONS_OTP_KEY unset: TOTP secrets are sealed with a key generated for this run; prescribers re-enrol after a restart (development only)');
    }
    // Rule horizon: the DEA flexibilities end 2026-12-31 and nothing but the Ryan Haight baseline follows.
    const atBoot = horizonToday().map(horizonWarning);
    if (atBoot.length > 0) logger.warn({ horizon: atBoot }, 'rule sets ending within 120 days with no successor');
    return PrescriptionsModule.forRoot({
      pool: runtime.pool,
      schema: SCHEMA,
      auth: jwtAuthOptions(config),
      messaging: {
        kafka: runtime.kafka,
        consumerGroupId: 'prescriptions',
        consumerLogger: {
          info: (message, fields) => logger.info(fields ?? {}, message),
          warn: (message, fields) => logger.warn(fields ?? {}, message),
          error: (message, fields) => logger.error(fields ?? {}, message),
        },
      },
      healthChecks: [...runtime.checks],
      healthWarnings: () => horizonToday().map(horizonWarning),
      recordSigner,
      otpSecretBox,
      onProjectionError: (error) => logger.error({ err: error }, 'projection failed; retrying'),
    });
  },
  openApi: () => openApiDocument(),
  instrument(app, metrics) {
    metrics.gauge('carebridge_rule_sets_ending_without_successor', 'Rule sets ending within 120 days with no successor', () => horizonToday().length);
    trackMessaging(metrics, app.get(MessagingHost), app.get<symbol, PostgresEventStore>(EVENT_STORE), 'prescriptions');
  },
};
