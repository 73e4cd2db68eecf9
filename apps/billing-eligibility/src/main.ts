import { telemetry } from './telemetry';
import { Pool } from 'pg';
import { PostgresEventStore, migrate } from '@carebridge/event-store';
import { MessagingHost, MessagingModule, createKafka, ensureTopics, messagingMigrations, trackMessaging } from '@carebridge/messaging';
import {
  bootOrExit,
  createLogger,
  createServiceApp,
  jwtAuthOptions,
  kafkaCheck,
  loadConfig,
  postgresCheck,
  redisCheck,
  ServiceMetrics,
  startMetricsServer,
} from '@carebridge/platform';
import { BillingEligibilityModule } from './billing-eligibility.module';
import { SCHEMA, SERVICE_NAME, configSchema } from './config';
import { PUBLISHED_TOPICS, billingEligibilityPublisher } from './integration/billing-eligibility.publisher';
import { loadRuleCatalog } from './rules/rule-set.loader';

void bootOrExit(async () => {
  const config = loadConfig(configSchema);
  const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });
  // A rules file with a gap, an overlap or an unsourced cell stops the boot here, naming file and line.
  const catalog = loadRuleCatalog(config.RULES_DIR);
  logger.info({ ruleSets: catalog.ruleSets.map((s) => `${s.ruleSetId}@${s.version}`) }, 'rule sets loaded');

  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 10 });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  await migrate(pool, SCHEMA);
  await migrate(pool, SCHEMA, messagingMigrations, 'messaging_migrations');
  // The Kubernetes migration Job (deploy/README.md): migrate, then exit without serving.
  if (process.env.MIGRATE_ONLY === 'true') {
    logger.info({ schema: SCHEMA }, 'migrations applied (MIGRATE_ONLY)');
    await pool.end();
    return;
  }
  const store = new PostgresEventStore(pool, SCHEMA);

  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: SERVICE_NAME });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, PUBLISHED_TOPICS.map((topic) => ({ topic, partitions: config.KAFKA_PARTITIONS })));

  const app = await createServiceApp(
    BillingEligibilityModule.register({
      store,
      catalog,
      auth: jwtAuthOptions(config),
      checks: [postgresCheck(pool), kafkaCheck(admin), ...(config.REDIS_URL !== undefined ? [redisCheck(config.REDIS_URL)] : [])],
      recheck: { store, pool, onError: (error) => logger.warn({ err: error }, 're-check on coverage change failed') },
      ...(config.REDIS_URL !== undefined && {
        jobs: { store, pool, redisUrl: config.REDIS_URL, onError: (error: unknown) => logger.warn({ err: error }, 're-check before visit failed') },
      }),
      messaging: MessagingModule.forRootAsync({
        useFactory: () => ({
          relay: { name: SERVICE_NAME, store, pool, schema: SCHEMA, kafka, publisher: billingEligibilityPublisher },
          // Consumers (AppointmentBooked, monitoring's RPM period closed) come with those contracts.
          consumers: [],
        }),
      }),
    }),
    { logger, telemetry },
  );
  const metrics = new ServiceMetrics({ service: SERVICE_NAME });
  app.use(metrics.httpMiddleware());
  trackMessaging(metrics, app.get(MessagingHost), store, SERVICE_NAME);
  await startMetricsServer(metrics, { port: config.METRICS_PORT });
  await app.listen(config.PORT, '0.0.0.0');
  logger.info({ port: config.PORT, metricsPort: config.METRICS_PORT }, 'billing-eligibility listening');
});
