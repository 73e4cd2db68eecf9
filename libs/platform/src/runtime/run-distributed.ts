import type { INestApplication } from '@nestjs/common';
import { z } from 'zod';
import { isInfrastructureUnavailable } from '@carebridge/shared-kernel';
import { apiDocs } from '../docs/api-docs';
import { bootOrExit, loadConfig } from '../config/load-config';
import { databaseUrl, kafkaBrokers, logLevel, metricsPort, port, redisUrl } from '../config/settings';
import { createServiceApp } from '../bootstrap/create-service-app';
import { createServicePool } from '../database/service-pool';
import { kafkaCheck, postgresCheck, redisCheck } from '../health/checks';
import type { ReadinessCheck } from '../health/readiness';
import { createLogger, type Logger } from '../logging/logger';
import { ServiceMetrics, startMetricsServer } from '../metrics/service-metrics';
import { answerClientErrorsAsProblems } from '../request-gate/client-errors';
import { rateLimitBuckets, requestGateSetup } from '../request-gate/install';
import type { Telemetry } from '../telemetry/start-telemetry';
import type { ServiceDefinition } from './service-definition';

export interface BrokerSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logLevel: 'nothing' | 'error' | 'warn' | 'info';
}

/**
 * The broker side of the distributed profile, handed in by the composition root (`kafkaMessaging`
 * of libs/messaging): the platform boots a process and knows no broker client.
 */
export interface DistributedMessaging<Broker> {
  /** A client of the brokers for this service (it connects when used). */
  client(settings: BrokerSettings, logger: Logger): Broker;
  /** Creates the topics missing on the broker, with their dead-letter topics; throws while it is away. */
  ensureTopics(client: Broker, topics: readonly string[], partitions: number): Promise<void>;
  /** What keeps the relay or a consumer group of `app` from working, read at each readiness check. */
  problems(app: INestApplication): () => string[];
}

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
  /** kafkajs' own lines (group joins, rebalances, reconnects) at `info` when diagnosing a recovery; `error` by default. */
  KAFKA_LOG_LEVEL: z.enum(['nothing', 'error', 'warn', 'info']).default('error'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).optional(),
});

/**
 * The relay's and consumers' state in `/health/ready` details, never required: an outage they wait
 * out shows there (and in metrics) while the API keeps serving.
 */
function messagingReadiness<Broker>(messaging: DistributedMessaging<Broker>): { check: ReadinessCheck; bind(app: INestApplication): void } {
  let problems: () => string[] = () => [];
  return {
    check: {
      name: 'messaging',
      required: false,
      check: async () => {
        const now = problems();
        if (now.length > 0) throw new Error(now.join('; '));
      },
    },
    bind(app) {
      problems = messaging.problems(app);
    },
  };
}

/** Runs `step` until it succeeds while the failure is an infrastructure outage (100 ms doubling to 2 s). */
async function whenAvailable(logger: Logger, dependency: string, step: () => Promise<void>): Promise<void> {
  for (let delay = 100; ; delay = Math.min(2_000, delay * 2)) {
    try {
      return await step();
    } catch (error) {
      if (!isInfrastructureUnavailable(error)) throw error;
      logger.warn({ dependency, err: { message: (error as Error).message } }, `${dependency} unavailable at boot; waiting`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * The distributed profile's main(): one service in this process, on PostgreSQL, Kafka and Redis.
 * With MIGRATE_ONLY=true it migrates and exits (the Kubernetes migration Job).
 */
export function runDistributed<Broker>(
  definition: ServiceDefinition<Broker>,
  options: { readonly messaging: DistributedMessaging<Broker>; readonly telemetry?: Telemetry },
): Promise<void> {
  return bootOrExit(async () => {
    const settings = loadConfig(distributedSettings);
    const logger = createLogger({ service: definition.name, level: settings.LOG_LEVEL });
    const pool = createServicePool(
      { connectionString: settings.DATABASE_URL, max: settings.DATABASE_POOL_SIZE ?? definition.defaultPoolSize ?? 10 },
      logger,
    );
    // A service started while PostgreSQL or the broker is away waits for them instead of exiting.
    await whenAvailable(logger, 'postgres', () => definition.migrate(pool, process.env));
    if (process.env.MIGRATE_ONLY === 'true') {
      logger.info({ schema: definition.schema }, 'migrations applied (MIGRATE_ONLY)');
      await pool.end();
      return;
    }
    const messaging = messagingReadiness(options.messaging);
    const kafka = options.messaging.client({ brokers: settings.KAFKA_BROKERS, clientId: definition.name, logLevel: settings.KAFKA_LOG_LEVEL }, logger);
    await whenAvailable(logger, 'kafka', () => options.messaging.ensureTopics(kafka, definition.topics, settings.KAFKA_PARTITIONS));
    const module = await definition.module({
      profile: 'distributed',
      pool,
      kafka,
      ...(settings.REDIS_URL !== undefined && { jobs: { kind: 'redis' as const, url: settings.REDIS_URL } }),
      logger,
      checks: [
        postgresCheck(pool),
        // Writes go to the outbox while the broker is away: reported, not required (issue 21).
        { ...kafkaCheck(settings.KAFKA_BROKERS), required: false },
        ...(settings.REDIS_URL !== undefined ? [redisCheck(settings.REDIS_URL)] : []),
        messaging.check,
      ],
      env: process.env,
    });
    const buckets = rateLimitBuckets({ profile: 'distributed', env: process.env, logger, ...(settings.REDIS_URL !== undefined && { redisUrl: settings.REDIS_URL }) });
    const requestGate = definition.openApi
      ? requestGateSetup({ service: definition.name, document: definition.openApi(), ...(definition.inputLimits && { limits: definition.inputLimits }), env: process.env, logger, buckets })
      : undefined;
    const app = await createServiceApp(module, { logger, ...(options.telemetry && { telemetry: options.telemetry }), ...(requestGate && { requestGate }) });
    answerClientErrorsAsProblems(app.getHttpServer());
    messaging.bind(app);
    definition.prepare?.(app);
    const metrics = new ServiceMetrics({ service: definition.name });
    app.use(metrics.httpMiddleware());
    app.use(apiDocs({ title: definition.name, specPath: '../v1/openapi.json' }));
    definition.instrument?.(app, metrics);
    await startMetricsServer(metrics, { port: settings.METRICS_PORT });
    await app.listen(settings.PORT, '0.0.0.0');
    // Transports a service's prepare() connected (its @IntegrationEventHandler consumers), after every bootstrap hook ran.
    await app.startAllMicroservices();
    logger.info({ port: settings.PORT, metricsPort: settings.METRICS_PORT }, `${definition.name} listening`);
  });
}
