import { z } from 'zod';
import { authSettings, databaseUrl, kafkaBrokers, logLevel, port, redisUrl, traceExporter, metricsPort } from '@carebridge/platform';

export const configSchema = z.object({
  ...authSettings,
  DATABASE_URL: databaseUrl,
  KAFKA_BROKERS: kafkaBrokers,
  // BullMQ re-check 24 h before each visit; without it that job does not run.
  REDIS_URL: redisUrl.optional(),
  PORT: port.default(3001),
  LOG_LEVEL: logLevel,
  TRACE_EXPORTER: traceExporter,
  METRICS_PORT: metricsPort,
  /** Folder of the rule-set JSON files; default: src/rules/data of this app. */
  RULES_DIR: z.string().min(1).optional(),
  KAFKA_PARTITIONS: z.string().regex(/^\d+$/).transform(Number).default(3),
});

export type Config = z.output<typeof configSchema>;

/** PostgreSQL schema of the service: its name with `_` for `-` (docs/service-guide.md). */
export const SCHEMA = 'billing_eligibility';
export const SERVICE_NAME = 'billing-eligibility';
