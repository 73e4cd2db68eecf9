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
  /** PKCS#8 PEM of the EC P-256 key that signs prescription records; unset: a development key generated at start. */
  PRESCRIPTIONS_SIGNING_KEY_PEM: z.string().includes('PRIVATE KEY').optional(),
  /** PEM public keys (concatenated) of earlier signing keys, to verify records signed before a rotation. */
  PRESCRIPTIONS_VERIFY_KEYS_PEM: z.string().includes('PUBLIC KEY').optional(),
  /** 32 bytes, base64: AES-256-GCM key of the TOTP secrets at rest; unset: a development key generated at start. */
  PRESCRIPTIONS_OTP_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  ...authSettings,
});

/** The PEM blocks of a concatenation. */
export const pemBlocks = (text: string | undefined): string[] => text?.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];

export type PrescriptionsConfig = z.output<typeof configSchema>;

/** PostgreSQL schema of the service (docs/service-guide.md: the service's name). */
export const SCHEMA = 'prescriptions';
