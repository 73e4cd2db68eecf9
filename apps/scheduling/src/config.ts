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
   * SMTP server for e-mail reminders (`smtp://user:pass@host:587`, `smtps://...`); unset, e-mails
   * go to the log adapter.
   */
  SCHEDULING_SMTP_URL: z
    .url()
    .refine((value) => /^smtps?:\/\//.test(value), 'must be an smtp:// or smtps:// URL')
    .optional(),
  SCHEDULING_SMTP_FROM: z.string().min(3).max(200).default('Carebridge <no-reply@carebridge.local>'),
  /**
   * Texts through Twilio's Messaging API: the account SID turns it on (unset, texts go to the log
   * adapter); with it the auth token (or an API key SID and secret) and exactly one sender.
   */
  SCHEDULING_SMS_TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio account SID (AC + 32 hex)').optional(),
  SCHEDULING_SMS_TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  SCHEDULING_SMS_TWILIO_KEY_SID: z.string().regex(/^SK[0-9a-fA-F]{32}$/, 'must be a Twilio API key SID (SK + 32 hex)').optional(),
  SCHEDULING_SMS_FROM: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number, e.g. +12125550100').optional(),
  SCHEDULING_SMS_MESSAGING_SERVICE_SID: z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'must be a Twilio Messaging Service SID (MG + 32 hex)').optional(),
  /** The API's base URL: https, or http on loopback only (a local test server). */
  SCHEDULING_SMS_API_URL: z
    .url()
    .refine((value) => /^https:\/\//.test(value) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(value), 'must be https (plain http only on loopback)')
    .default('https://api.twilio.com'),
  /** Directory of the file blob store for intake attachments. */
  BLOB_DIR: z.string().min(1).default('tmp/scheduling-blobs'),
  ...authSettings,
}).superRefine((config, context) => {
  if (config.SCHEDULING_SMS_TWILIO_ACCOUNT_SID === undefined) return;
  if (config.SCHEDULING_SMS_TWILIO_AUTH_TOKEN === undefined) {
    context.addIssue({ code: 'custom', path: ['SCHEDULING_SMS_TWILIO_AUTH_TOKEN'], message: 'required with SCHEDULING_SMS_TWILIO_ACCOUNT_SID' });
  }
  if ((config.SCHEDULING_SMS_FROM === undefined) === (config.SCHEDULING_SMS_MESSAGING_SERVICE_SID === undefined)) {
    context.addIssue({ code: 'custom', path: ['SCHEDULING_SMS_FROM'], message: 'set exactly one sender: SCHEDULING_SMS_FROM or SCHEDULING_SMS_MESSAGING_SERVICE_SID' });
  }
});

export type SchedulingConfig = z.output<typeof schedulingConfig>;

/** PostgreSQL schema of the service: its name with `_` for `-`. */
export const SCHEDULING_SCHEMA = 'scheduling';
