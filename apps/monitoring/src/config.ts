import { z } from 'zod';
import { authSettings, databaseUrl, kafkaBrokers, logLevel, metricsPort, port, redisUrl } from '@carebridge/platform';

/** The monitoring service's environment, validated at boot (every bad variable reported at once). */
export const monitoringConfig = z.object({
  DATABASE_URL: databaseUrl,
  KAFKA_BROKERS: kafkaBrokers,
  REDIS_URL: redisUrl,
  PORT: port.default(3000),
  METRICS_PORT: metricsPort,
  LOG_LEVEL: logLevel,
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(256).default(3),
  /** Partitions of the device-gateway topic consumed at once (match the partition count per replica). */
  READING_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(3),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(20),
  ...authSettings,
});

export type MonitoringConfig = z.output<typeof monitoringConfig>;

/** PostgreSQL schema of the service: its name with `_` for `-`. */
export const MONITORING_SCHEMA = 'monitoring';
