import { z } from 'zod';

// Schema-level messages replace zod's defaults; returning undefined for an absent value
// leaves it to loadConfig's `required`.
const unlessMissing =
  (message: string): z.core.$ZodErrorMap =>
  (issue) =>
    issue.input === undefined ? undefined : message;

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;
const BROKERS_MESSAGE = 'must be a comma-separated list of host:port';
const PORT_MESSAGE = 'must be a port number between 1 and 65535';

export const databaseUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: unlessMissing('must be a postgres:// or postgresql:// URL'),
});

export const redisUrl = z.url({
  protocol: /^rediss?$/,
  error: unlessMissing('must be a redis:// or rediss:// URL'),
});

/** `"a:9092, b:9092"` -> `['a:9092', 'b:9092']`. */
export const kafkaBrokers = z
  .string({ error: unlessMissing(BROKERS_MESSAGE) })
  .transform((value) => value.split(',').map((broker) => broker.trim()))
  .refine((brokers) => brokers.every((broker) => HOST_PORT.test(broker)), BROKERS_MESSAGE);

export const port = z
  .string({ error: unlessMissing(PORT_MESSAGE) })
  .regex(/^\d+$/, PORT_MESSAGE)
  .transform(Number)
  .refine((value) => value >= 1 && value <= 65535, PORT_MESSAGE);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const logLevel = z
  .enum(LOG_LEVELS, { error: unlessMissing(`must be one of ${LOG_LEVELS.join(', ')}`) })
  .default('info');

/** Port of the Prometheus `/metrics` endpoint, apart from the public HTTP port (deploy/README.md). */
export const metricsPort = z.coerce
  .number({ error: unlessMissing('must be a port number between 1 and 65535') })
  .int()
  .min(1)
  .max(65_535)
  .default(9464);

export const TRACE_EXPORTERS = ['otlp', 'console', 'none'] as const;

export const traceExporter = z
  .enum(TRACE_EXPORTERS, { error: unlessMissing(`must be one of ${TRACE_EXPORTERS.join(', ')}`) })
  .default('otlp');

/**
 * Spread into a service's schema: `z.object({ ...authSettings, DATABASE_URL: databaseUrl })`.
 * The key set comes from the identity provider's JWKS_URL, or inline as JWKS_JSON (local
 * development: `npm start` generates one key pair for all services); `jwtAuthOptions` checks
 * that exactly one is set.
 */
export const authSettings = {
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: z.string().min(1),
  JWKS_URL: z.url({ protocol: /^https?$/, error: unlessMissing('must be an http(s) URL') }).optional(),
  JWKS_JSON: z
    .string()
    .transform((text, ctx) => {
      try {
        const parsed = JSON.parse(text) as { keys?: unknown };
        if (Array.isArray(parsed.keys)) return parsed as { keys: Record<string, unknown>[] };
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'must be a JSON Web Key Set: {"keys":[...]}' });
      return z.NEVER;
    })
    .optional(),
};

/** JwtAuthOptions from the auth settings; throws naming the variables when no key set is configured. */
export function jwtAuthOptions(config: {
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  JWKS_URL?: string | undefined;
  JWKS_JSON?: { keys: Record<string, unknown>[] } | undefined;
}): { issuer: string; audience: string; jwks: string | { keys: Record<string, unknown>[] } } {
  if ((config.JWKS_URL === undefined) === (config.JWKS_JSON === undefined)) {
    throw new Error('JWKS_URL or JWKS_JSON: set exactly one of them');
  }
  return { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, jwks: (config.JWKS_URL ?? config.JWKS_JSON)! };
}
