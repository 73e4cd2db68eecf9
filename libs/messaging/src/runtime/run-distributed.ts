import { Pool } from 'pg';
import { z } from 'zod';
import {
  answerClientErrorsAsProblems,
  apiDocs,
  bootOrExit,
  createLogger,
  createServiceApp,
  databaseUrl,
  kafkaBrokers,
  kafkaCheck,
  loadConfig,
  logLevel,
  metricsPort,
  port,
  postgresCheck,
  redisCheck,
  rateLimitBuckets,
  redisUrl,
  requestGateSetup,
  ServiceMetrics,
  startMetricsServer,
  type ServiceDefinition,
  type Telemetry,
} from '@carebridge/platform';
import { createKafka, ensureTopics } from '../kafka';

/** What every service reads in the distributed profile; its own schema reads the rest. */
const distributedSettings = z.object({
  DATABASE_URL: databaseUrl,
  KAFKA_BROKERS: kafkaBrokers,
  /** Required by services with jobs (their own schema says so). */
  REDIS_URL: redisUrl.optional(),
  PORT: port.default(3000),
  METRICS_PORT: metricsPort,
  LOG_LEVEL: logLevel,
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(1_000).default(3),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).optional(),
});

/**
 * The distributed profile's main(): one service in this process, on PostgreSQL, Kafka and Redis.
 * With MIGRATE_ONLY=true it migrates and exits (the Kubernetes migration Job).
 */
export function runDistributed(definition: ServiceDefinition, options: { telemetry?: Telemetry } = {}): Promise<void> {
  return bootOrExit(async () => {
    const settings = loadConfig(distributedSettings);
    const logger = createLogger({ service: definition.name, level: settings.LOG_LEVEL });
    const pool = new Pool({ connectionString: settings.DATABASE_URL, max: settings.DATABASE_POOL_SIZE ?? definition.defaultPoolSize ?? 10 });
    await definition.migrate(pool, process.env);
    if (process.env.MIGRATE_ONLY === 'true') {
      logger.info({ schema: definition.schema }, 'migrations applied (MIGRATE_ONLY)');
      await pool.end();
      return;
    }
    const kafka = createKafka({ brokers: settings.KAFKA_BROKERS, clientId: definition.name });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, definition.topics.map((topic) => ({ topic, partitions: settings.KAFKA_PARTITIONS })));
    } finally {
      await admin.disconnect();
    }
    const module = await definition.module({
      profile: 'distributed',
      pool,
      kafka,
      ...(settings.REDIS_URL !== undefined && { jobs: { kind: 'redis' as const, url: settings.REDIS_URL } }),
      logger,
      checks: [
        postgresCheck(pool),
        kafkaCheck(settings.KAFKA_BROKERS),
        ...(settings.REDIS_URL !== undefined ? [redisCheck(settings.REDIS_URL)] : []),
      ],
      env: process.env,
    });
    const buckets = rateLimitBuckets({ profile: 'distributed', env: process.env, logger, ...(settings.REDIS_URL !== undefined && { redisUrl: settings.REDIS_URL }) });
    const requestGate = definition.openApi
      ? requestGateSetup({ service: definition.name, document: definition.openApi(), ...(definition.inputLimits && { limits: definition.inputLimits }), env: process.env, logger, buckets })
      : undefined;
    const app = await createServiceApp(module, { logger, ...(options.telemetry && { telemetry: options.telemetry }), ...(requestGate && { requestGate }) });
    answerClientErrorsAsProblems(app.getHttpServer());
    definition.prepare?.(app);
    const metrics = new ServiceMetrics({ service: definition.name });
    app.use(metrics.httpMiddleware());
    app.use(apiDocs({ title: definition.name, specPath: '../v1/openapi.json' }));
    definition.instrument?.(app, metrics);
    await startMetricsServer(metrics, { port: settings.METRICS_PORT });
    await app.listen(settings.PORT, '0.0.0.0');
    logger.info({ port: settings.PORT, metricsPort: settings.METRICS_PORT }, `${definition.name} listening`);
  });
}
