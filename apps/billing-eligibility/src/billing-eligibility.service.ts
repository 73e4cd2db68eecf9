import { AppointmentBooked, RpmPeriodClosed } from '@carebridge/contracts';
import { type PostgresEventStore, migrate } from '@carebridge/event-store';
import { MessagingHost, connectIntegrationEvents, messagingMigrations, trackMessaging, type MessageBroker } from '@carebridge/messaging';
import { jwtAuthOptions, loadConfig, type ServiceDefinition } from '@carebridge/platform';
import { billingEligibilityOpenApi } from './openapi/billing-eligibility.openapi';
import { BillingEligibilityModule } from './billing-eligibility.module';
import { SCHEMA, SERVICE_NAME, configSchema } from './config';
import { PUBLISHED_TOPICS } from './integration/billing-eligibility.publisher';
import { payerCheckFrom } from './payer/payer-check.config';
import { type LiveRuleCatalog, catalogHorizon } from './rules/live-rule-catalog.adapter';
import { loadRuleCatalog } from './rules/rule-set.loader';
import { EVENT_STORE, RULE_CATALOG } from './billing-eligibility.tokens';

/** The billing-eligibility service as both runtime profiles start it; billing-eligibility.module.ts composes it. */
export const billingEligibilityService: ServiceDefinition<MessageBroker> = {
  name: SERVICE_NAME,
  schema: SCHEMA,
  // Ours, and the ones we consume (so the consumer can subscribe before scheduling or monitoring first starts).
  topics: [...PUBLISHED_TOPICS, AppointmentBooked.topic, RpmPeriodClosed.topic],
  async migrate(pool) {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await migrate(pool, SCHEMA);
    await migrate(pool, SCHEMA, messagingMigrations, 'messaging_migrations');
  },
  module(runtime) {
    const config = loadConfig(configSchema, runtime.env);
    const { logger } = runtime;
    const payer = payerCheckFrom(config);
    logger.info({ payer: payer ? (config.PAYER_X12_URL ? 'x12-http' : 'x12-file-drop') : 'none (rules only)' }, 'payer connection');
    return BillingEligibilityModule.register({
      pool: runtime.pool,
      schema: SCHEMA,
      auth: jwtAuthOptions(config),
      logger,
      checks: runtime.checks,
      // A rules file with a gap, an overlap or an unsourced cell stops the boot here, naming file and line.
      shippedRules: loadRuleCatalog(config.RULES_DIR),
      payer: payer ?? null,
      ...(runtime.jobs && { jobs: runtime.jobs }),
      messaging: { kafka: runtime.kafka, groupId: SERVICE_NAME },
    });
  },
  openApi: () => billingEligibilityOpenApi(),
  // scheduling's appointments and monitoring's RPM periods reach InboundEventsConsumer through the integration events transport.
  prepare: connectIntegrationEvents,
  instrument(app, metrics) {
    const catalog = app.get<symbol, LiveRuleCatalog>(RULE_CATALOG);
    metrics.gauge('carebridge_rule_sets_ending_without_successor', 'Rule sets ending within 120 days with no successor', () => catalogHorizon(catalog, new Date().toISOString().slice(0, 10)).length);
    trackMessaging(metrics, app.get(MessagingHost), app.get<symbol, PostgresEventStore>(EVENT_STORE), SERVICE_NAME);
  },
};
