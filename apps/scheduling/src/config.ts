import { z } from 'zod';
import {
  authSettings,
  databaseUrl,
  kafkaBrokers,
  logLevel,
  port,
  redisUrl,
} from '@carebridge/platform';

const minutes = (fallback: number, max: number) =>
  z.coerce.number().int().min(0).max(max).default(fallback);

/** The scheduling service's environment, validated at boot (every bad variable reported at once). */
export const schedulingConfig = z.object({
  DATABASE_URL: databaseUrl,
  KAFKA_BROKERS: kafkaBrokers,
  REDIS_URL: redisUrl,
  PORT: port.default(3000),
  LOG_LEVEL: logLevel,
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(256).default(3),
  /** How long a $hold keeps a slot while the patient completes intake. */
  HOLD_MINUTES: minutes(10, 60),
  CHECK_IN_OPENS_MINUTES_BEFORE: minutes(15, 240),
  NO_SHOW_GRACE_MINUTES: minutes(10, 120),
  ...authSettings,
});

export type SchedulingConfig = z.output<typeof schedulingConfig>;

/** PostgreSQL schema of the service: its name with `_` for `-`. */
export const SCHEDULING_SCHEMA = 'scheduling';
