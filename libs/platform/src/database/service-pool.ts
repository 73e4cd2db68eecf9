import { Pool, type PoolConfig } from 'pg';
import type { Logger } from '../logging/logger';

/** How long a query waits for a connection before it fails (503) instead of hanging while PostgreSQL is away. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/**
 * A service's pg Pool that rides out a PostgreSQL restart. The server terminates idle connections
 * (57P01) and node-postgres emits that as an `'error'` event on the pool: without a listener it is
 * an uncaught exception and the process exits. Here it is logged, the pool drops the client and
 * opens a new one on the next query (a checked-out client's error is logged too); queries during the outage fail fast with the driver's
 * connection error, which the platform maps to 503 (isInfrastructureUnavailable).
 */
export function createServicePool(config: PoolConfig, logger: Pick<Logger, 'warn'>): Pool {
  const pool = new Pool({ connectionTimeoutMillis: DEFAULT_CONNECT_TIMEOUT_MS, ...config });
  pool.on('error', (error: Error & { code?: string }) => {
    logger.warn({ err: { message: error.message, code: error.code } }, 'idle database connection lost; the pool replaces it');
  });
  // A client checked out between two queries (inside a transaction, during a handler) gets the
  // same error on itself, where the pool listens no more. Its next query fails, the caller's
  // release(error) discards it.
  pool.on('connect', (client) => {
    client.on('error', (error: Error & { code?: string }) => {
      logger.warn({ err: { message: error.message, code: error.code } }, 'database connection lost while checked out; its next query fails');
    });
  });
  return pool;
}
