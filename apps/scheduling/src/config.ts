import { z } from 'zod';
import {
  authSettings,
  databaseUrl,
  kafkaBrokers,
  logLevel,
  metricsPort,
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
  METRICS_PORT: metricsPort,
  LOG_LEVEL: logLevel,
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(256).default(3),
  /** How long a $hold keeps a slot while the patient completes intake. */
  HOLD_MINUTES: minutes(10, 60),
  /** How long a freed slot is held for the waitlisted patient it is offered to. */
  WAITLIST_OFFER_MINUTES: minutes(30, 24 * 60),
  CHECK_IN_OPENS_MINUTES_BEFORE: minutes(15, 240),
  NO_SHOW_GRACE_MINUTES: minutes(10, 120),
  /** Comma-separated minutes before the start at which reminders go out. */
  REMINDER_MINUTES_BEFORE: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be comma-separated minutes, e.g. 1440,60')
    .default('1440,60')
    .transform((value) => value.split(',').map(Number)),
  REMINDER_CHANNELS: z
    .string()
    .regex(/^(sms|email)(,(sms|email))*$/, 'must be sms, email or both, comma-separated')
    .default('email')
    .transform((value) => value.split(',') as ('sms' | 'email')[]),
  JOIN_BASE_URL: z.url().default('https://visits.carebridge.local/join'),
  /** Where a patient who missed an appointment books again: `<base>/<appointmentId>/reschedule`. */
  RESCHEDULE_BASE_URL: z.url().default('https://portal.carebridge.local/appointments'),
  /**
   * SMTP server for e-mail reminders (`smtp://user:pass@host:587`, `smtps://...`); unset, messages
   * go to the log adapter. SMS has no gateway: always the log adapter.
   */
  SCHEDULING_SMTP_URL: z
    .url()
    .refine((value) => /^smtps?:\/\//.test(value), 'must be an smtp:// or smtps:// URL')
    .optional(),
  SCHEDULING_SMTP_FROM: z.string().min(3).max(200).default('Carebridge <no-reply@carebridge.local>'),
  /** Directory of the file blob store for intake attachments. */
  BLOB_DIR: z.string().min(1).default('tmp/scheduling-blobs'),
  ...authSettings,
});

export type SchedulingConfig = z.output<typeof schedulingConfig>;

/** PostgreSQL schema of the service: its name with `_` for `-`. */
export const SCHEDULING_SCHEMA = 'scheduling';
