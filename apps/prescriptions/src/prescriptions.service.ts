import { PHARMACY_RESPONSE_TOPIC, PHARMACY_TOPIC, PRESCRIPTION_TOPIC, PrescriptionIntended } from '@carebridge/contracts';
import type { PostgresEventStore } from '@carebridge/event-store';
import { MessagingHost, connectIntegrationEvents, trackMessaging, type MessageBroker } from '@carebridge/messaging';
import { jwtAuthOptions, loadConfig, type ServiceDefinition } from '@carebridge/platform';
import { openApiDocument } from './openapi/prescriptions.openapi';
import { configSchema, pemBlocks, SCHEMA } from './config';
import { EVENT_STORE } from './http/prescriptions.tokens';
import { migratePrescriptions } from './prescriptions.migrations';
import { PrescriptionsModule, ruleHorizonToday } from './prescriptions.module';

/** The prescriptions service as both runtime profiles start it; prescriptions.module.ts composes it. */
export const prescriptionsService: ServiceDefinition<MessageBroker> = {
  name: 'prescriptions',
  schema: SCHEMA,
  // The visits topic too: the consumer of prescription intents subscribes before visits first starts.
  topics: [PHARMACY_TOPIC, PHARMACY_RESPONSE_TOPIC, PRESCRIPTION_TOPIC, PrescriptionIntended.topic],
  migrate: (pool) => migratePrescriptions(pool, SCHEMA),
  module(runtime) {
    const config = loadConfig(configSchema, runtime.env);
    return PrescriptionsModule.register({
      pool: runtime.pool,
      schema: SCHEMA,
      auth: jwtAuthOptions(config),
      logger: runtime.logger,
      checks: runtime.checks,
      keys: { signingKeyPem: config.PRESCRIPTIONS_SIGNING_KEY_PEM, verificationKeyPems: pemBlocks(config.PRESCRIPTIONS_VERIFY_KEYS_PEM), otpKey: config.PRESCRIPTIONS_OTP_KEY },
      messaging: { kafka: runtime.kafka, groupId: 'prescriptions' },
    });
  },
  openApi: () => openApiDocument(),
  // Pharmacy answers and visits' prescription intents reach their consumers through the integration events transport.
  prepare: connectIntegrationEvents,
  instrument(app, metrics) {
    metrics.gauge('carebridge_rule_sets_ending_without_successor', 'Rule sets ending within 120 days with no successor', () => ruleHorizonToday().length);
    trackMessaging(metrics, app.get(MessagingHost), app.get<symbol, PostgresEventStore>(EVENT_STORE), 'prescriptions');
  },
};
