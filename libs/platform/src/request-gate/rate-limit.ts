import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';

/** A token bucket: `burst` requests at once, refilled at `perMinute`. */
export interface BucketLimit {
  readonly perMinute: number;
  readonly burst: number;
}

export interface TakeResult {
  readonly allowed: boolean;
  /** Whole seconds until one token is back (when refused). */
  readonly retryAfterSeconds: number;
}

/** Where buckets live: in memory (embedded profile, one process) or Redis (distributed: shared by replicas). */
export interface BucketStore {
  take(key: string, limit: BucketLimit, nowMs: number): Promise<TakeResult>;
  close?(): Promise<void>;
}

function retryAfter(tokens: number, limit: BucketLimit): number {
  const perSecond = limit.perMinute / 60;
  return Math.max(1, Math.ceil((1 - tokens) / perSecond));
}

/** Buckets in this process; idle full buckets are dropped so a flood of addresses cannot grow it without bound. */
export class MemoryBucketStore implements BucketStore {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly maxKeys = 100_000) {}

  async take(key: string, limit: BucketLimit, nowMs: number): Promise<TakeResult> {
    const perMs = limit.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, at: nowMs };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + Math.max(0, nowMs - bucket.at) * perMs);
    bucket.at = nowMs;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.evict(nowMs, perMs, limit);
    return { allowed, retryAfterSeconds: allowed ? 0 : retryAfter(bucket.tokens, limit) };
  }

  private evict(nowMs: number, perMs: number, limit: BucketLimit): void {
    // Oldest first (Map keeps insertion order; a used key is re-inserted): drop those refilled by now.
    for (const [key, bucket] of this.buckets) {
      if (this.buckets.size <= this.maxKeys * 0.9) break;
      if (bucket.tokens + (nowMs - bucket.at) * perMs >= limit.burst || this.buckets.size > this.maxKeys) this.buckets.delete(key);
    }
  }
}

/** Atomic take in Redis: the bucket is a hash (tokens, time) that expires once it would be full again. */
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then tokens = capacity; at = now end
if now > at then tokens = math.min(capacity, tokens + (now - at) * perMs) end
local allowed = 0
if tokens >= 1 then tokens = tokens - 1; allowed = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(math.max(now, at)))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / perMs) + 1000)
return {allowed, tostring(tokens)}
`;

interface RedisLike {
  eval(script: string, keys: number, ...args: (string | number)[]): Promise<unknown>;
  disconnect(): void;
}

/**
 * Buckets shared by every replica of a service. Redis unreachable: the request is let through
 * (logged once a minute) rather than answered 5xx; the per-address limit comes back with Redis.
 */
export class RedisBucketStore implements BucketStore {
  private lastWarning = 0;

  constructor(
    private readonly redis: RedisLike,
    private readonly prefix: string,
    private readonly logger?: Logger,
  ) {}

  static connect(url: string, prefix: string, logger?: Logger): RedisBucketStore {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Redis } = require('ioredis') as typeof import('ioredis');
    const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 });
    redis.on('error', () => undefined);
    return new RedisBucketStore(redis, prefix, logger);
  }

  async take(key: string, limit: BucketLimit, nowMs: number): Promise<TakeResult> {
    try {
      const [allowed, tokens] = (await this.redis.eval(TAKE_SCRIPT, 1, `${this.prefix}${key}`, limit.burst, limit.perMinute / 60_000, nowMs)) as [number, string];
      return { allowed: allowed === 1, retryAfterSeconds: allowed === 1 ? 0 : retryAfter(Number(tokens), limit) };
    } catch (error) {
      if (nowMs - this.lastWarning > 60_000) {
        this.lastWarning = nowMs;
        this.logger?.warn({ err: error }, 'rate limit store unreachable: requests are not limited until it is back');
      }
      return { allowed: true, retryAfterSeconds: 0 };
    }
  }

  async close(): Promise<void> {
    // Not quit(): it waits for a connection that may never come (and its reconnect timer stays).
    this.redis.disconnect();
  }
}

const positive = z.coerce.number().int().min(1).max(10_000_000);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** RATE_LIMIT_* settings (README, "Input limits and rate limits"). */
export const rateLimitSettings = z.object({
  RATE_LIMIT_ENABLED: flag.default(true),
  RATE_LIMIT_STORE: z.enum(['memory', 'redis']).optional(),
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: positive.default(1_200),
  RATE_LIMIT_PER_ADDRESS_BURST: positive.default(200),
  RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE: positive.default(600),
  RATE_LIMIT_PER_PRINCIPAL_BURST: positive.default(100),
  RATE_LIMIT_LOGIN_PER_MINUTE: positive.default(10),
  RATE_LIMIT_LOGIN_BURST: positive.default(5),
  RATE_LIMIT_DEVICE_PER_MINUTE: positive.default(12_000),
  RATE_LIMIT_DEVICE_BURST: positive.default(2_000),
  RATE_LIMIT_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
});
export type RateLimitSettings = z.output<typeof rateLimitSettings>;

/**
 * The limit classes an operation can name with `x-carebridge-rate-limit`: `login` (the login
 * bucket per address and per caller), `one-time-code` (a one-time code is checked: the login
 * bucket per caller only, since a clinic shares one address), `device-ingestion`.
 */
export type RateLimitClass = 'default' | 'login' | 'one-time-code' | 'device-ingestion';

export interface RateLimits {
  readonly enabled: boolean;
  readonly perAddress: BucketLimit;
  readonly perPrincipal: BucketLimit;
  readonly login: BucketLimit;
  readonly device: BucketLimit;
  readonly trustedProxyHops: number;
}

export function rateLimitsFrom(settings: RateLimitSettings): RateLimits {
  return {
    enabled: settings.RATE_LIMIT_ENABLED,
    perAddress: { perMinute: settings.RATE_LIMIT_PER_ADDRESS_PER_MINUTE, burst: settings.RATE_LIMIT_PER_ADDRESS_BURST },
    perPrincipal: { perMinute: settings.RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE, burst: settings.RATE_LIMIT_PER_PRINCIPAL_BURST },
    login: { perMinute: settings.RATE_LIMIT_LOGIN_PER_MINUTE, burst: settings.RATE_LIMIT_LOGIN_BURST },
    device: { perMinute: settings.RATE_LIMIT_DEVICE_PER_MINUTE, burst: settings.RATE_LIMIT_DEVICE_BURST },
    trustedProxyHops: settings.RATE_LIMIT_TRUSTED_PROXY_HOPS,
  };
}

/**
 * The client's address: the socket's, or with N trusted proxies in front the one the Nth proxy
 * saw (X-Forwarded-For read from the right; what a client writes further left is not trusted).
 */
export function clientAddress(req: IncomingMessage, trustedProxyHops: number): string {
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxyHops === 0) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  // Fewer entries than proxies: the leftmost is the best we know.
  const hop = chain[Math.max(0, chain.length - trustedProxyHops)];
  return hop !== undefined && /^[0-9a-fA-F:.]{2,45}$/.test(hop) ? hop : socketAddress;
}
