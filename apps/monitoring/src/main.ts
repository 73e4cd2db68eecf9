import { telemetry } from './telemetry';
import { Pool } from 'pg';
import { DeviceReadingsReported, PrescriptionFillRecorded } from '@carebridge/contracts';
import type { PostgresEventStore } from '@carebridge/event-store';
import { MessagingHost, createKafka, ensureTopics, trackMessaging } from '@carebridge/messaging';
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
import { MONITORING_SCHEMA, monitoringConfig } from './config';
import { MONITORING_TOPICS } from './integration/monitoring.publisher';
import { migrateMonitoring } from './monitoring.migrate';
import { MAX_BATCH_BODY, MonitoringModule } from './monitoring.module';
import { EVENT_STORE, READING_INTAKE } from './monitoring.tokens';
import { registerIntakeMetrics } from './readings/intake-metrics';
import type { ReadingIntake } from './readings/reading-intake';

void bootOrExit(async () => {
  const config = loadConfig(monitoringConfig);
  const logger = createLogger({ service: 'monitoring', level: config.LOG_LEVEL });
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE });
  await migrateMonitoring(pool, MONITORING_SCHEMA);
  // The Kubernetes migration Job (deploy/README.md): migrate, then exit without serving.
  if (process.env.MIGRATE_ONLY === 'true') {
    logger.info({ schema: MONITORING_SCHEMA }, 'migrations applied (MIGRATE_ONLY)');
    await pool.end();
    return;
  }

  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'monitoring' });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Ours, and the ones we consume (so the consumers can subscribe before their producers first start).
    const topics = [...MONITORING_TOPICS, DeviceReadingsReported.topic, PrescriptionFillRecorded.topic];
    await ensureTopics(admin, topics.map((topic) => ({ topic, partitions: config.KAFKA_PARTITIONS })));
  } finally {
    await admin.disconnect();
  }

  const app = await createServiceApp(
    MonitoringModule.register({
      pool,
      schema: MONITORING_SCHEMA,
      auth: jwtAuthOptions(config),
      checks: [postgresCheck(pool), kafkaCheck(config.KAFKA_BROKERS), redisCheck(config.REDIS_URL)],
      kafka,
      consumer: { readingPartitionsConcurrently: config.READING_PARTITIONS_CONCURRENTLY },
      jobs: { kind: 'redis', url: config.REDIS_URL },
      onError: (error) => logger.error({ err: error }, 'monitoring background work failed; retrying'),
    }),
    { logger, telemetry },
  );
  // A batch of 1,000 readings is about 150 KB, above Express's 100 KB default; before init, Nest keeps this parser.
  app.useBodyParser('json', { limit: MAX_BATCH_BODY });
  const metrics = new ServiceMetrics({ service: 'monitoring' });
  app.use(metrics.httpMiddleware());
  trackMessaging(metrics, app.get(MessagingHost), app.get<symbol, PostgresEventStore>(EVENT_STORE), 'monitoring');
  registerIntakeMetrics(metrics.registry, app.get<symbol, ReadingIntake>(READING_INTAKE).counters);
  await startMetricsServer(metrics, { port: config.METRICS_PORT });
  await app.listen(config.PORT);
  logger.info({ port: config.PORT, metricsPort: config.METRICS_PORT }, 'monitoring listening');
});
