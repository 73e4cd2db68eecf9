import { z } from 'zod';
import { authSettings, databaseUrl, kafkaBrokers, logLevel, port, traceExporter, metricsPort } from '@carebridge/platform';

/** The environment the service boots from (validated at boot; every bad variable listed at once). */
export const configSchema = z.object({
  DATABASE_URL: databaseUrl,
  KAFKA_BROKERS: kafkaBrokers,
  PORT: port,
  LOG_LEVEL: logLevel,
  TRACE_EXPORTER: traceExporter,
  METRICS_PORT: metricsPort,
  KAFKA_PARTITIONS: z.string().regex(/^\d+$/).transform(Number).default(3),
  ...authSettings,
});

export type PrescriptionsConfig = z.output<typeof configSchema>;

/** PostgreSQL schema of the service (docs/service-guide.md: the service's name). */
export const SCHEMA = 'prescriptions';
