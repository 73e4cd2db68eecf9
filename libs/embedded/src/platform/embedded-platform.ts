import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express, { type Express } from 'express';
import { Pool } from 'pg';
import { ensureTopics, type MessageBroker } from '@carebridge/messaging';
import { InProcessBroker } from '../bus';
import {
  answerClientErrorsAsProblems,
  apiDocs,
  createServiceApp,
  MemoryBucketStore,
  requestGateSetup,
  type Env,
  type Logger,
  postgresCheck,
  type ReadinessCheck,
  type ServiceDefinition,
} from '@carebridge/platform';

import { startEmbeddedPostgres, type EmbeddedPostgres } from '../embedded-postgres';

export interface EmbeddedPlatformOptions {
  readonly services: readonly ServiceDefinition<MessageBroker>[];
  /** Everything persistent: PGlite's files, blobs. A restart on the same folder keeps all data. */
  readonly dataDir: string;
  readonly port: number;
  readonly host?: string;
  readonly logger: Logger;
  /** Settings every service reads (JWT issuer, audience and key set, log level...). */
  readonly env: Env;
  /** Extra routes on the root app (the development token endpoint), mounted before the services. */
  readonly configureRoot?: (root: Express) => void;
  /** Per-service pool size on PGlite (default 4; pglite-socket runs one query at a time anyway). */
  readonly poolSize?: number;
  /** Called as each stage completes (progress output). */
  readonly onProgress?: (message: string) => void;
}

export interface EmbeddedPlatform {
  readonly url: string;
  readonly services: readonly { name: string; prefix: string }[];
  readonly kafka: InProcessBroker;
  readonly connectionString: string;
  stop(): Promise<void>;
}

/** Topic partitions in the embedded profile (order per key holds whatever the number). */
const EMBEDDED_PARTITIONS = 3;

/**
 * The embedded profile: every service in this process, one HTTP port with a route prefix per
 * service (`/scheduling/v1/...`), PostgreSQL replaced by PGlite (a schema per service, as in
 * production), Kafka by the in-process bus, BullMQ on its PostgreSQL backend. The services get
 * the same ServiceRuntime as in the distributed profile; only these adapters differ.
 */
export async function startEmbeddedPlatform(options: EmbeddedPlatformOptions): Promise<EmbeddedPlatform> {
  const progress = options.onProgress ?? (() => undefined);
  mkdirSync(options.dataDir, { recursive: true });
  const pg: EmbeddedPostgres = await startEmbeddedPostgres({
    dataDir: path.join(options.dataDir, 'pglite'),
    // BullMQ's PostgreSQL backend names its tables without a schema (see embedded-postgres.ts).
    searchPath: ['bullmq', 'public'],
    maxConnections: 100,
  });
  progress(`PGlite ready (${path.join(options.dataDir, 'pglite')})`);
  const pools: Pool[] = [];
  const newPool = (max: number) => {
    const pool = new Pool({ connectionString: pg.connectionString, max });
    // A dropped idle connection is not fatal: the pool opens another.
    pool.on('error', (error) => options.logger.warn({ err: error }, 'embedded database connection error'));
    pools.push(pool);
    return pool;
  };
  const busPool = newPool(4);
  const bus = new InProcessBroker({
    pool: busPool,
    onError: (error, context) => options.logger.warn({ err: error, ...context }, 'bus handler failed; redelivering'),
  });
  await bus.init();
  const admin = bus.admin();
  const busCheck: ReadinessCheck = {
    name: 'bus',
    check: async () => {
      await bus.admin().describeCluster();
    },
  };

  // One process: the rate limit buckets of every service in memory (keys carry the service name).
  const buckets = new MemoryBucketStore();
  const root = express();
  root.disable('x-powered-by');
  options.configureRoot?.(root);
  const apps: { name: string; app: INestApplication }[] = [];
  const stopAll = async () => {
    for (const { app } of [...apps].reverse()) await app.close().catch(() => undefined);
    for (const pool of pools) await pool.end().catch(() => undefined);
    await pg.stop();
  };
  try {
    for (const definition of options.services) {
      const started = Date.now();
      const pool = newPool(options.poolSize ?? 4);
      const env: Env = {
        ...options.env,
        // Each service's own config schema validates these like in production; the runtime below
        // hands it the embedded adapters, so the broker and Redis addresses are never dialled.
        DATABASE_URL: pg.connectionString,
        KAFKA_BROKERS: 'in-process:9092',
        REDIS_URL: 'redis://in-process:6379',
        BLOB_DIR: path.join(options.dataDir, 'blobs', definition.name),
        PORT: String(options.port || 3000),
      };
      await definition.migrate(pool, env);
      await ensureTopics(admin, definition.topics.map((topic) => ({ topic, partitions: EMBEDDED_PARTITIONS })));
      const logger = options.logger.child({ service: definition.name });
      const module = await definition.module({
        profile: 'embedded',
        pool,
        kafka: bus,
        jobs: { kind: 'postgres', connectionString: pg.connectionString, schema: 'bullmq', maxConnections: 2 },
        logger,
        checks: [postgresCheck(pool), busCheck],
        env,
      });
      const requestGate = definition.openApi
        ? requestGateSetup({ service: definition.name, document: definition.openApi(), ...(definition.inputLimits && { limits: definition.inputLimits }), env, logger, buckets })
        : undefined;
      const app = await createServiceApp(module, { logger, shutdownHooks: false, ...(requestGate && { requestGate }) });
      definition.prepare?.(app);
      app.use(apiDocs({ title: definition.name, specPath: '../v1/openapi.json' }));
      await app.init();
      apps.push({ name: definition.name, app });
      // Transports the service's prepare() connected (its @IntegrationEventHandler consumers), on the in-process bus.
      await app.startAllMicroservices();
      const prefix = `/${definition.name}`;
      // Swagger UI's "try it out" must call /<service>/v1/..., so the document names its server.
      root.get(`${prefix}/v1/openapi.json`, (_req, res, next) => {
        const json = res.json.bind(res);
        res.json = (body: unknown) => json({ ...(body as object), servers: [{ url: prefix, description: 'embedded platform' }] });
        next();
      });
      root.use(prefix, app.getHttpAdapter().getInstance() as Express);
      progress(`${definition.name} ready in ${Date.now() - started} ms`);
    }
    root.get('/health', (_req, res) => {
      res.json({ status: 'up', profile: 'embedded', services: apps.map((a) => ({ name: a.name, ready: `/${a.name}/health/ready` })) });
    });
    const server: Server = await new Promise((resolve, reject) => {
      const s = root.listen(options.port, options.host ?? '127.0.0.1', () => resolve(s));
      answerClientErrorsAsProblems(s);
      s.on('error', reject);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
    return {
      url,
      services: apps.map((a) => ({ name: a.name, prefix: `/${a.name}` })),
      kafka: bus,
      connectionString: pg.connectionString,
      async stop() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
