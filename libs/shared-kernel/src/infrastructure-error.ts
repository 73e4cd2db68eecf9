/**
 * A dependency (PostgreSQL, the Kafka broker, Redis) did not answer: nothing is wrong with the
 * request or the code, and the same call succeeds once the dependency is back. The edge answers
 * 503 with Retry-After, consumers wait without using up a message's attempts. It lives here, not in
 * an adapter lib, because the event store, messaging and the platform all classify by it.
 */
export class InfrastructureUnavailableError extends Error {
  readonly code = 'INFRASTRUCTURE.UNAVAILABLE';

  constructor(
    /** `postgres`, `kafka`, `redis`, or `unknown` when only the error's shape says it. */
    readonly dependency: string,
    override readonly cause?: unknown,
  ) {
    super(`${dependency} is unavailable${cause instanceof Error ? `: ${cause.message}` : ''}`);
    this.name = 'InfrastructureUnavailableError';
  }
}

// Node socket errors: the peer is not there or went away.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
// PostgreSQL SQLSTATEs (Appendix A): admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
const POSTGRES_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
// node-postgres raises these without a code when the socket ends or a connect times out.
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Connection is closed',
];
// kafkajs names its transport failures; a retried one arrives as KafkaJSNumberOfRetriesExceeded wrapping one.
const KAFKA_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSLockTimeout',
  'MaxRetriesPerRequestError',
]);

/** True when `error` (or what it wraps) says a dependency is unreachable rather than that the request or code is wrong. */
export function isInfrastructureUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  if (error instanceof InfrastructureUnavailableError) return true;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || POSTGRES_CODES.has(code) || /^08...$/.test(code))) return true;
  if (typeof name === 'string' && KAFKA_NAMES.has(name)) return true;
  if (typeof message === 'string' && PG_MESSAGES.some((m) => message.startsWith(m))) return true;
  const wrapped = error as { cause?: unknown; originalError?: unknown; errors?: unknown };
  if (Array.isArray(wrapped.errors) && wrapped.errors.some((e) => isInfrastructureUnavailable(e, depth + 1))) return true;
  return isInfrastructureUnavailable(wrapped.cause, depth + 1) || isInfrastructureUnavailable(wrapped.originalError, depth + 1);
}
