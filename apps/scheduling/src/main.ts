import { telemetry } from './telemetry';
import { Pool } from 'pg';
import { EligibilityDetermined } from '@carebridge/contracts';
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
import { SCHEDULING_SCHEMA, schedulingConfig } from './config';
import { LogNotifier } from './notifications/log-notifier';
import { FileBlobStore } from './attachments/file-blob-store';
import { SCHEDULING_TOPICS } from './integration/scheduling.publisher';
import { migrateScheduling } from './scheduling.migrate';
import { SchedulingModule } from './scheduling.module';
import { EVENT_STORE } from './scheduling.tokens';

void bootOrExit(async () => {
  const config = loadConfig(schedulingConfig);
  const logger = createLogger({ service: 'scheduling', level: config.LOG_LEVEL });
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 10 });
  await migrateScheduling(pool, SCHEDULING_SCHEMA);
  // The Kubernetes migration Job (deploy/README.md): migrate, then exit without serving.
  if (process.env.MIGRATE_ONLY === 'true') {
    logger.info({ schema: SCHEDULING_SCHEMA }, 'migrations applied (MIGRATE_ONLY)');
    await pool.end();
    return;
  }

  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'scheduling' });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Ours, and the one we consume (so a consumer can subscribe before billing-eligibility first starts).
    const topics = [...SCHEDULING_TOPICS, EligibilityDetermined.topic];
    await ensureTopics(admin, topics.map((topic) => ({ topic, partitions: config.KAFKA_PARTITIONS })));
  } finally {
    await admin.disconnect();
  }

  const app = await createServiceApp(
    SchedulingModule.register({
      pool,
      schema: SCHEDULING_SCHEMA,
      auth: jwtAuthOptions(config),
      checks: [postgresCheck(pool), kafkaCheck(config.KAFKA_BROKERS), redisCheck(config.REDIS_URL)],
      kafka,
      policy: {
        holdMinutes: config.HOLD_MINUTES,
        waitlistOfferMinutes: config.WAITLIST_OFFER_MINUTES,
        attendance: {
          checkInOpensMinutesBefore: config.CHECK_IN_OPENS_MINUTES_BEFORE,
          graceMinutes: config.NO_SHOW_GRACE_MINUTES,
        },
      },
      blobStore: new FileBlobStore(config.BLOB_DIR),
      onProjectionError: (error) => logger.error({ err: error }, 'read model projection failed; retrying'),
      jobs: {
        redisUrl: config.REDIS_URL,
        notifier: new LogNotifier(logger),
        reminderMinutesBefore: config.REMINDER_MINUTES_BEFORE,
        channels: config.REMINDER_CHANNELS,
        joinBaseUrl: config.JOIN_BASE_URL,
        rescheduleBaseUrl: config.RESCHEDULE_BASE_URL,
        onError: (error) => logger.warn({ err: error }, 'appointment job failed; retried by BullMQ'),
      },
    }),
    { logger, telemetry },
  );
  const metrics = new ServiceMetrics({ service: 'scheduling' });
  app.use(metrics.httpMiddleware());
  trackMessaging(metrics, app.get(MessagingHost), app.get<symbol, PostgresEventStore>(EVENT_STORE), 'scheduling');
  await startMetricsServer(metrics, { port: config.METRICS_PORT });
  await app.listen(config.PORT);
  logger.info({ port: config.PORT, metricsPort: config.METRICS_PORT }, 'scheduling listening');
});
