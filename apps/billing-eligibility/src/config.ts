import { z } from 'zod';
import { TRACE_ORIGINATOR_ID } from './x12/x12-270.mapping';
import { authSettings, databaseUrl, kafkaBrokers, logLevel, port, redisUrl, traceExporter, metricsPort } from '@carebridge/platform';

const x12Id = z.string().regex(/^[A-Za-z0-9 ]{2,15}$/, 'must be 2-15 letters, digits or spaces (X12 ISA id)');

export const configSchema = z
  .object({
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
  /**
   * Payer connection for X12 270/271 during checks (real-time HTTP POST, or a file drop with
   * outbox/ and inbox/ folders); without one, answers come from the rules alone.
   */
  PAYER_X12_URL: z.url({ protocol: /^https?$/ }).optional(),
  PAYER_X12_DROP_DIR: z.string().min(1).optional(),
  PAYER_X12_TIMEOUT_MS: z.string().regex(/^\d+$/).transform(Number).default(10_000),
  X12_SENDER_ID: x12Id.optional(),
  X12_RECEIVER_ID: x12Id.optional(),
  /** The billing organisation named on the 270 (NM1*1P). */
  X12_PROVIDER_NAME: z.string().regex(/^[^*~:^|]{1,60}$/, 'must be 1-60 characters without X12 delimiters').optional(),
  X12_PROVIDER_NPI: z.string().regex(/^\d{10}$/, 'must be a 10-digit NPI').optional(),
  /**
   * TRN03 of the 270, who assigned the trace: `1` + our EIN (X12 element 509: 1 EIN, 3 DUNS,
   * 9 user assigned, then nine characters; https://stedi.com/edi/x12-004040/segment/TRN).
   */
  X12_TRACE_ORIGINATOR_ID: z.string().regex(TRACE_ORIGINATOR_ID, 'must be 10 characters: 1 + EIN, 3 + DUNS or 9 + a user-assigned id (X12 element 509)').optional(),
  /** After each segment terminator of the 270: nothing (default), or a line break for partners that want one. */
  X12_SEGMENT_SUFFIX: z.enum(['none', 'lf', 'crlf']).default('none'),
  X12_PRODUCTION: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
})
  .refine((c) => c.PAYER_X12_URL === undefined || c.PAYER_X12_DROP_DIR === undefined, {
    path: ['PAYER_X12_DROP_DIR'],
    message: 'set PAYER_X12_URL or PAYER_X12_DROP_DIR, not both',
  })
  .refine(
    (c) =>
      (c.PAYER_X12_URL === undefined && c.PAYER_X12_DROP_DIR === undefined) ||
      (c.X12_SENDER_ID !== undefined &&
        c.X12_RECEIVER_ID !== undefined &&
        c.X12_PROVIDER_NAME !== undefined &&
        c.X12_PROVIDER_NPI !== undefined &&
        c.X12_TRACE_ORIGINATOR_ID !== undefined),
    {
      path: ['X12_SENDER_ID'],
      message: 'a payer connection needs X12_SENDER_ID, X12_RECEIVER_ID, X12_PROVIDER_NAME, X12_PROVIDER_NPI and X12_TRACE_ORIGINATOR_ID',
    },
  );

export type Config = z.output<typeof configSchema>;

/** PostgreSQL schema of the service: its name with `_` for `-` (docs/service-guide.md). */
export const SCHEMA = 'billing_eligibility';
export const SERVICE_NAME = 'billing-eligibility';
