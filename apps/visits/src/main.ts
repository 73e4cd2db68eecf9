import { telemetry } from './telemetry';
import { Pool } from 'pg';
import { AppointmentBooked } from '@carebridge/contracts';
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
  ServiceMetrics,
  startMetricsServer,
} from '@carebridge/platform';
import { FileBlobStore } from './attachments/file-blob-store';
import { VISITS_SCHEMA, visitsConfig } from './config';
import { VISITS_TOPICS } from './integration/visits.publisher';
import { LiveKitRoomProvider } from './room/livekit-room-provider';
import { migrateVisits } from './visits.migrate';
import { VisitsModule } from './visits.module';
import { EVENT_STORE } from './visits.tokens';

void bootOrExit(async () => {
  const config = loadConfig(visitsConfig);
  const logger = createLogger({ service: 'visits', level: config.LOG_LEVEL });
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 10 });
  await migrateVisits(pool, VISITS_SCHEMA);
  // The Kubernetes migration Job (deploy/README.md): migrate, then exit without serving.
  if (process.env.MIGRATE_ONLY === 'true') {
    logger.info({ schema: VISITS_SCHEMA }, 'migrations applied (MIGRATE_ONLY)');
    await pool.end();
    return;
  }

  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'visits' });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Ours, and the one we consume (so the consumer can subscribe before scheduling first starts).
    const topics = [...VISITS_TOPICS, AppointmentBooked.topic];
    await ensureTopics(admin, topics.map((topic) => ({ topic, partitions: config.KAFKA_PARTITIONS })));
  } finally {
    await admin.disconnect();
  }

  const rooms =
    config.LIVEKIT_API_KEY !== undefined && config.LIVEKIT_API_SECRET !== undefined
      ? new LiveKitRoomProvider({ apiKey: config.LIVEKIT_API_KEY, apiSecret: config.LIVEKIT_API_SECRET, ...(config.LIVEKIT_URL && { url: config.LIVEKIT_URL }) })
      : null;
  if (rooms === null) logger.warn('LIVEKIT_API_KEY/LIVEKIT_API_SECRET not set: video room tokens answer 503');

  const app = await createServiceApp(
    VisitsModule.register({
      pool,
      schema: VISITS_SCHEMA,
      auth: jwtAuthOptions(config),
      checks: [postgresCheck(pool), kafkaCheck(config.KAFKA_BROKERS)],
      kafka,
      policy: {
        checkInOpensMinutesBefore: config.CHECK_IN_OPENS_MINUTES_BEFORE,
        noVideoSwitchAfterSeconds: config.NO_VIDEO_SWITCH_AFTER_SECONDS,
        roomTokenTtlSeconds: config.ROOM_TOKEN_TTL_SECONDS,
        urgentCareAverageVisitMinutes: config.URGENT_CARE_AVERAGE_VISIT_MINUTES,
      },
      blobStore: new FileBlobStore(config.BLOB_DIR),
      rooms,
      onProjectionError: (error) => logger.error({ err: error }, 'read model projection failed; retrying'),
    }),
    { logger, telemetry },
  );
  const metrics = new ServiceMetrics({ service: 'visits' });
  app.use(metrics.httpMiddleware());
  trackMessaging(metrics, app.get(MessagingHost), app.get<symbol, PostgresEventStore>(EVENT_STORE), 'visits');
  await startMetricsServer(metrics, { port: config.METRICS_PORT });
  await app.listen(config.PORT);
  logger.info({ port: config.PORT, metricsPort: config.METRICS_PORT }, 'visits listening');
});
