import { type BackendFactory, type Processor, Queue, type QueueOptions, Worker, type WorkerOptions, createPostgresBackend } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * Where a service's BullMQ jobs live. Distributed profile: Redis (`REDIS_URL`). Embedded profile:
 * BullMQ's PostgreSQL backend on the service's own database (PGlite there), so the same Queue and
 * Worker code runs with nothing else installed. Services receive one of these from the
 * composition root and never build connections themselves.
 */
export type JobsConnection =
  | { readonly kind: 'redis'; readonly url: string; /** Key prefix (one per test file). */ readonly prefix?: string }
  | {
      readonly kind: 'postgres';
      readonly connectionString: string;
      /** Schema for BullMQ's tables (default `bullmq`). */
      readonly schema?: string;
      /** Pool size per queue or worker (default 2). */
      readonly maxConnections?: number;
    };

/** A queue plus the connections it opened, closed together. */
export interface JobQueues {
  queue<T = unknown>(name: string, options?: Omit<QueueOptions, 'connection' | 'prefix'>): Queue<T>;
  worker<T = unknown>(
    name: string,
    processor: Processor<T>,
    options?: Omit<WorkerOptions, 'connection' | 'prefix'>,
  ): Worker<T>;
  /** Closes every queue and worker made here, then the connections. */
  close(): Promise<void>;
}

export interface JobQueuesOptions {
  /** Worker and queue errors (connection loss, a failed migration); default: a JSON line on stderr. */
  readonly onError?: (error: unknown) => void;
}

export function jobQueues(connection: JobsConnection, options: JobQueuesOptions = {}): JobQueues {
  const onError =
    options.onError ??
    ((error: unknown) =>
      process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'job queue error', err: String(error) })}\n`));
  const closables: { close(): Promise<void> }[] = [];
  const redisClients: Redis[] = [];
  const redis = (): Redis => {
    if (connection.kind !== 'redis') throw new Error('not a redis connection');
    // BullMQ workers need maxRetriesPerRequest: null (blocking commands).
    const client = new Redis(connection.url, { maxRetriesPerRequest: null, lazyConnect: false });
    redisClients.push(client);
    return client;
  };
  const postgres = (): { backend: BackendFactory; connection: unknown } => {
    if (connection.kind !== 'postgres') throw new Error('not a postgres connection');
    return {
      backend: createPostgresBackend as unknown as BackendFactory,
      connection: {
        connectionString: connection.connectionString,
        max: connection.maxConnections ?? 2,
        // Creates or upgrades BullMQ's tables on first use (its own versioned migrations).
        migrate: true,
        ...(connection.schema !== undefined && { schema: connection.schema }),
      },
    };
  };
  return {
    queue<T>(name: string, options: Omit<QueueOptions, 'connection' | 'prefix'> = {}): Queue<T> {
      let queue: Queue<T>;
      if (connection.kind === 'redis') {
        queue = new Queue<T>(name, { ...options, connection: redis(), prefix: connection.prefix ?? 'bull' });
      } else {
        const pg = postgres();
        queue = new (Queue as unknown as new (n: string, o: unknown, b: BackendFactory) => Queue<T>)(
          name,
          { ...options, connection: pg.connection },
          pg.backend,
        );
      }
      queue.on('error', onError);
      closables.push(queue);
      return queue;
    },
    worker<T>(name: string, processor: Processor<T>, options: Omit<WorkerOptions, 'connection' | 'prefix'> = {}): Worker<T> {
      let worker: Worker<T>;
      if (connection.kind === 'redis') {
        worker = new Worker<T>(name, processor, { ...options, connection: redis(), prefix: connection.prefix ?? 'bull' });
      } else {
        const pg = postgres();
        worker = new (Worker as unknown as new (n: string, p: Processor<T>, o: unknown, b: BackendFactory) => Worker<T>)(
          name,
          processor,
          { ...options, connection: pg.connection },
          pg.backend,
        );
      }
      worker.on('error', onError);
      closables.push(worker);
      return worker;
    },
    async close(): Promise<void> {
      // Workers first (they finish their current job), then queues, then sockets.
      for (const c of [...closables].reverse()) await c.close().catch(() => undefined);
      closables.length = 0;
      await Promise.all(redisClients.map((c) => c.quit().catch(() => c.disconnect())));
      redisClients.length = 0;
    },
  };
}
