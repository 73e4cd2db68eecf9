import type { DynamicModule, INestApplication } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Env } from '../config/load-config';
import type { ReadinessCheck } from '../health/readiness';
import type { JobsConnection } from '../jobs/job-queues';
import type { Logger } from '../logging/logger';
import type { ServiceMetrics } from '../metrics/service-metrics';
import type { OpenApiDocument } from '../request-gate/openapi-operations';
import type { InputLimits } from '../request-gate/request-gate';

/**
 * What the composition root hands a service: the same shape in both runtime profiles.
 * distributed: a pg Pool on PostgreSQL, kafkajs on the Kafka cluster, jobs on Redis.
 * embedded: a pg Pool on PGlite, the in-process bus, jobs on BullMQ's PostgreSQL backend.
 * Services never learn which profile runs. `Broker` is libs/messaging's broker port (the
 * platform knows no broker; the services and the composition roots name it).
 */
export interface ServiceRuntime<Broker = unknown> {
  readonly profile: 'distributed' | 'embedded';
  readonly pool: Pool;
  readonly kafka: Broker;
  /** Absent when the deployment gives none (no REDIS_URL): a service that needs jobs refuses to boot. */
  readonly jobs?: JobsConnection;
  readonly logger: Logger;
  /** Readiness checks of the infrastructure this runtime provides (PostgreSQL, Kafka, Redis). */
  readonly checks: readonly ReadinessCheck[];
  /** The service's configuration source (its own zod schema reads it). */
  readonly env: Env;
}

/** One service, as both profiles start it (apps/<name>/src/<name>.service.ts). */
export interface ServiceDefinition<Broker = unknown> {
  /** `scheduling`, `billing-eligibility`: also the route prefix in the embedded profile. */
  readonly name: string;
  /** Its PostgreSQL schema. */
  readonly schema: string;
  /** Connections in its pool unless DATABASE_POOL_SIZE says otherwise (distributed profile; default 10). */
  readonly defaultPoolSize?: number;
  /** Topics it publishes and consumes, created at boot when missing (with their dead-letter topics). */
  readonly topics: readonly string[];
  /** Creates or upgrades its tables (event store, inbox, read models); idempotent. */
  migrate(pool: Pool, env: Env): Promise<void>;
  /** The service's Nest module wired to the runtime. */
  module(runtime: ServiceRuntime<Broker>): DynamicModule | Promise<DynamicModule>;
  /**
   * Its OpenAPI document: the request gate (libs/platform/src/request-gate) checks every request
   * for one of its operations against it before any handler runs.
   */
  openApi?(): OpenApiDocument;
  /** Input limits other than the platform's defaults (a larger JSON body for reading batches). */
  readonly inputLimits?: Partial<InputLimits>;
  /** After the app is created and before it starts serving, in both profiles (body parser limits). */
  prepare?(app: INestApplication): void;
  /** After the app is created, distributed profile: extra metrics (relay and consumer lag). */
  instrument?(app: INestApplication, metrics: ServiceMetrics): void;
}
