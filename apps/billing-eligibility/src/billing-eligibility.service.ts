import { AppointmentBooked, RpmPeriodClosed } from '@carebridge/contracts';
import { PostgresEventStore, migrate } from '@carebridge/event-store';
import { IntegrationEventsTransport, MessagingHost, MessagingModule, connectIntegrationEvents, messagingMigrations, trackMessaging, type MessageBroker } from '@carebridge/messaging';
import { jwtAuthOptions, loadConfig, type ServiceDefinition } from '@carebridge/platform';
import { billingEligibilityOpenApi } from './openapi/openapi';
import { BillingEligibilityModule } from './billing-eligibility.module';
import { SCHEMA, SERVICE_NAME, configSchema } from './config';
import { PUBLISHED_TOPICS, billingEligibilityPublisher } from './integration/billing-eligibility.publisher';
import { payerCheckFrom } from './payer/payer-check-config';
import { horizonWarning } from '@carebridge/shared-kernel';
import { LiveRuleCatalog, catalogHorizon } from './rules/live-rule-catalog';
import { loadRuleCatalog } from './rules/rule-set.loader';
import { EVENT_STORE, RULE_CATALOG } from './tokens';

/** The billing-eligibility service as both runtime profiles start it (composition root). */
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
    const { logger, pool } = runtime;
    // A rules file with a gap, an overlap or an unsourced cell stops the boot here, naming file and line.
    const catalog = new LiveRuleCatalog(loadRuleCatalog(config.RULES_DIR).ruleSets, (problem) => logger.error({ problem }, 'activated rule set no longer validates: left out'));
    logger.info({ ruleSets: catalog.ruleSets.map((s) => `${s.ruleSetId}@${s.version}`) }, 'rule sets loaded');
    // Rule horizon at boot: every set ending within 120 days with nothing to take over.
    const horizonToday = () => catalogHorizon(catalog, new Date().toISOString().slice(0, 10)).map(horizonWarning);
    const atBoot = horizonToday();
    if (atBoot.length > 0) logger.warn({ horizon: atBoot }, 'rule sets ending within 120 days with no successor');
    else logger.info('rule horizon: no rule set ends within 120 days without a successor');
    const store = new PostgresEventStore(pool, SCHEMA);
    const payer = payerCheckFrom(config);
    logger.info({ payer: payer ? (config.PAYER_X12_URL ? 'x12-http' : 'x12-file-drop') : 'none (rules only)' }, 'payer connection');
    return BillingEligibilityModule.register({
      store,
      catalog,
      auth: jwtAuthOptions(config),
      checks: [...runtime.checks],
      warnings: horizonToday,
      ...(payer && { payer }),
      recheck: { store, pool, onError: (error) => logger.warn({ err: error }, 're-check on coverage change failed') },
      ...(runtime.jobs && {
        jobs: { store, pool, connection: runtime.jobs, onError: (error: unknown) => logger.warn({ err: error }, 're-check before visit failed') },
      }),
      messaging: MessagingModule.forRootAsync({
        useFactory: () => ({
          relay: { name: SERVICE_NAME, store, pool, schema: SCHEMA, kafka: runtime.kafka, publisher: billingEligibilityPublisher },
          // InboundEventsConsumer's handlers; connected by prepare(app) below.
          transports: [new IntegrationEventsTransport({ groupId: SERVICE_NAME, kafka: runtime.kafka, pool, schema: SCHEMA, storeSchema: SCHEMA })],
        }),
      }),
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
