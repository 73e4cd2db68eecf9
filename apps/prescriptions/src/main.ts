import { telemetry } from './telemetry';
import { Pool } from 'pg';
import { PHARMACY_RESPONSE_TOPIC, PHARMACY_TOPIC, PRESCRIPTION_TOPIC } from '@carebridge/contracts';
import { createKafka, ensureTopics, MessagingHost, trackMessaging } from '@carebridge/messaging';
import type { PostgresEventStore } from '@carebridge/event-store';
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
import { configSchema, SCHEMA } from './config';
import { migratePrescriptions } from './prescriptions.migrations';
import { EVENT_STORE } from './http/tokens';
import { PrescriptionsModule } from './prescriptions.module';

async function main(): Promise<void> {
  const config = await bootOrExit(() => loadConfig(configSchema));
  const logger = createLogger({ service: 'prescriptions', level: config.LOG_LEVEL });
  await bootOrExit(async () => {
    const pool = new Pool({ connectionString: config.DATABASE_URL, max: 10 });
    await migratePrescriptions(pool, SCHEMA);
    // The Kubernetes migration Job (deploy/README.md): migrate, then exit without serving.
    if (process.env.MIGRATE_ONLY === 'true') {
      logger.info({ schema: SCHEMA }, 'migrations applied (MIGRATE_ONLY)');
      await pool.end();
      return;
    }
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'prescriptions' });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(
      admin,
      [PHARMACY_TOPIC, PHARMACY_RESPONSE_TOPIC, PRESCRIPTION_TOPIC].map((topic) => ({ topic, partitions: config.KAFKA_PARTITIONS })),
    );
    await admin.disconnect();
    const app = await createServiceApp(
      PrescriptionsModule.forRoot({
        pool,
        schema: SCHEMA,
        auth: jwtAuthOptions(config),
        messaging: {
          kafka,
          consumerGroupId: 'prescriptions',
          consumerLogger: {
            info: (message, fields) => logger.info(fields ?? {}, message),
            warn: (message, fields) => logger.warn(fields ?? {}, message),
            error: (message, fields) => logger.error(fields ?? {}, message),
          },
        },
        healthChecks: [postgresCheck(pool), kafkaCheck(config.KAFKA_BROKERS)],
        onProjectionError: (error) => logger.error({ err: error }, 'projection failed; retrying'),
      }),
      { logger, telemetry },
    );
    const metrics = new ServiceMetrics({ service: 'prescriptions' });
    app.use(metrics.httpMiddleware());
    trackMessaging(metrics, app.get(MessagingHost), app.get<symbol, PostgresEventStore>(EVENT_STORE), 'prescriptions');
    await startMetricsServer(metrics, { port: config.METRICS_PORT });
    await app.listen(config.PORT);
    logger.info({ port: config.PORT, metricsPort: config.METRICS_PORT }, 'prescriptions listening');
  });
}

void main();
