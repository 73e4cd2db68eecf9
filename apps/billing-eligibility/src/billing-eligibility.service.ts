import { PostgresEventStore, migrate } from '@carebridge/event-store';
import { MessagingHost, MessagingModule, messagingMigrations, trackMessaging } from '@carebridge/messaging';
import { jwtAuthOptions, loadConfig, type ServiceDefinition } from '@carebridge/platform';
import { BillingEligibilityModule } from './billing-eligibility.module';
import { SCHEMA, SERVICE_NAME, configSchema } from './config';
import { PUBLISHED_TOPICS, billingEligibilityPublisher } from './integration/billing-eligibility.publisher';
import { loadRuleCatalog } from './rules/rule-set.loader';
import { EVENT_STORE } from './tokens';

/** The billing-eligibility service as both runtime profiles start it (composition root). */
export const billingEligibilityService: ServiceDefinition = {
  name: SERVICE_NAME,
  schema: SCHEMA,
  topics: PUBLISHED_TOPICS,
  async migrate(pool) {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await migrate(pool, SCHEMA);
    await migrate(pool, SCHEMA, messagingMigrations, 'messaging_migrations');
  },
  module(runtime) {
    const config = loadConfig(configSchema, runtime.env);
    const { logger, pool } = runtime;
    // A rules file with a gap, an overlap or an unsourced cell stops the boot here, naming file and line.
    const catalog = loadRuleCatalog(config.RULES_DIR);
    logger.info({ ruleSets: catalog.ruleSets.map((s) => `${s.ruleSetId}@${s.version}`) }, 'rule sets loaded');
    const store = new PostgresEventStore(pool, SCHEMA);
    return BillingEligibilityModule.register({
      store,
      catalog,
      auth: jwtAuthOptions(config),
      checks: [...runtime.checks],
      recheck: { store, pool, onError: (error) => logger.warn({ err: error }, 're-check on coverage change failed') },
      ...(runtime.jobs && {
        jobs: { store, pool, connection: runtime.jobs, onError: (error: unknown) => logger.warn({ err: error }, 're-check before visit failed') },
      }),
      messaging: MessagingModule.forRootAsync({
        useFactory: () => ({
          relay: { name: SERVICE_NAME, store, pool, schema: SCHEMA, kafka: runtime.kafka, publisher: billingEligibilityPublisher },
          // Consumers (AppointmentBooked, monitoring's RPM period closed) come with those contracts.
          consumers: [],
        }),
      }),
    });
  },
  instrument(app, metrics) {
    trackMessaging(metrics, app.get(MessagingHost), app.get<symbol, PostgresEventStore>(EVENT_STORE), SERVICE_NAME);
  },
};
