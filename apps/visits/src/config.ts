import { z } from 'zod';
import { authSettings, databaseUrl, kafkaBrokers, logLevel, metricsPort, port } from '@carebridge/platform';

const bounded = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** The visits service's environment, validated at boot (every bad variable reported at once). */
export const visitsConfig = z
  .object({
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: kafkaBrokers,
    PORT: port.default(3000),
    METRICS_PORT: metricsPort,
    LOG_LEVEL: logLevel,
    KAFKA_PARTITIONS: bounded(3, 1, 256),
    /** LiveKit (or compatible) API key and secret for join tokens; without them joining a room answers 503. */
    LIVEKIT_API_KEY: z.string().min(3).optional(),
    LIVEKIT_API_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    LIVEKIT_URL: z.url({ protocol: /^wss?$/ }).optional(),
    /** Lifetime of a room join token. */
    ROOM_TOKEN_TTL_SECONDS: bounded(300, 10, 3600),
    /** How long video must have been lost before the visit may switch to phone for that reason. */
    NO_VIDEO_SWITCH_AFTER_SECONDS: bounded(60, 0, 3600),
    CHECK_IN_OPENS_MINUTES_BEFORE: bounded(30, 0, 240),
    /** Late arrivals: keep equal to scheduling's NO_SHOW_GRACE_MINUTES (default 10 in both). */
    CHECK_IN_CLOSES_MINUTES_AFTER_START: bounded(10, 0, 240),
    /** Used for the urgent-care queue's estimated wait. */
    URGENT_CARE_AVERAGE_VISIT_MINUTES: bounded(15, 1, 240),
    /** Directory of the file blob store for shared results. */
    BLOB_DIR: z.string().min(1).default('tmp/visits-blobs'),
    ...authSettings,
  })
  .refine((c) => (c.LIVEKIT_API_KEY === undefined) === (c.LIVEKIT_API_SECRET === undefined), {
    path: ['LIVEKIT_API_SECRET'],
    message: 'set LIVEKIT_API_KEY and LIVEKIT_API_SECRET together',
  });

export type VisitsConfig = z.output<typeof visitsConfig>;

/** PostgreSQL schema of the service. */
export const VISITS_SCHEMA = 'visits';
