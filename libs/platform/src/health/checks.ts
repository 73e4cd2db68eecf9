import { Redis } from 'ioredis';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import type { ReadinessCheck } from './readiness';

/** A `pg.Pool`, a `pg.Client` or a TypeORM `DataSource`. */
export interface Queryable {
  query(text: string): Promise<unknown>;
}

export function postgresCheck(db: Queryable, name = 'postgres'): ReadinessCheck {
  return {
    name,
    check: async () => {
      await db.query('SELECT 1');
    },
  };
}

/** Pass the service's client to check the connection it really uses, or a URL for a dedicated one. */
export function redisCheck(target: string | Redis, name = 'redis'): ReadinessCheck {
  if (typeof target !== 'string') {
    return { name, check: () => ping(target) };
  }
  // A dedicated client connects on demand: no background reconnect loop (retryStrategy null),
  // no offline queue, so a probe fails at once while Redis is away and the next one reconnects.
  const client = new Redis(target, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // ioredis rejects with "Connection is closed."; the error event says why.
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  return {
    name,
    check: async () => {
      lastError = undefined;
      try {
        if (client.status === 'wait' || client.status === 'end') await client.connect();
        await ping(client);
      } catch (error) {
        throw lastError ?? error;
      }
    },
    close: async () => {
      // On an ended client, disconnect() would arm a 2 s timer that keeps the process alive.
      if (client.status !== 'end') client.disconnect();
    },
  };
}

async function ping(client: Redis): Promise<void> {
  const answer = await client.ping();
  if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
}

/** The part of the kafkajs admin client the check uses. */
export type KafkaAdmin = Pick<Admin, 'connect' | 'disconnect' | 'describeCluster'>;

/**
 * Asks the cluster to describe itself over one admin connection kept between checks (a new
 * connection per probe would churn the broker); after a failure the next check reconnects.
 * Give brokers, or an admin client you own (and close) yourself.
 */
export function kafkaCheck(target: readonly string[] | KafkaAdmin, name = 'kafka'): ReadinessCheck {
  const owned = Array.isArray(target);
  const admin: KafkaAdmin = Array.isArray(target)
    ? new Kafka({
        clientId: 'readiness-check',
        brokers: [...target],
        connectionTimeout: 1_000,
        retry: { retries: 0 },
        // Failures surface in the readiness report; kafkajs' own log would repeat them every probe.
        logLevel: logLevel.NOTHING,
      }).admin()
    : (target as KafkaAdmin);
  let connection: Promise<void> | undefined;

  return {
    name,
    check: async () => {
      try {
        connection ??= admin.connect();
        await connection;
        const { brokers } = await admin.describeCluster();
        if (brokers.length === 0) throw new Error('the cluster reports no brokers');
      } catch (error) {
        connection = undefined;
        await admin.disconnect().catch(() => undefined);
        throw error;
      }
    },
    ...(owned ? { close: () => admin.disconnect() } : {}),
  };
}
