import type { Logger } from 'pino';
import type { Env } from '../config/load-config';
import { loadConfig } from '../config/load-config';
import { PrincipalRateLimitInterceptor } from './principal-rate-limit';
import { type BucketStore, MemoryBucketStore, RedisBucketStore, rateLimitSettings, rateLimitsFrom } from './rate-limit';
import { type InputLimits, requestGate } from './request-gate';
import type { OpenApiDocument } from './openapi-operations';

/** What a service app is given to install: the gate before everything, the per-principal limit after authentication. */
export interface RequestGateSetup {
  readonly middleware: ReturnType<typeof requestGate>;
  readonly interceptor: PrincipalRateLimitInterceptor;
}

export interface RequestGateFactoryOptions {
  readonly service: string;
  readonly document: OpenApiDocument;
  readonly limits?: Partial<InputLimits>;
  readonly env: Env;
  readonly logger: Logger;
  readonly buckets: BucketStore;
}

/** The gate for one service app (RATE_LIMIT_* read from its environment). */
export function requestGateSetup(options: RequestGateFactoryOptions): RequestGateSetup {
  const rateLimits = rateLimitsFrom(loadConfig(rateLimitSettings, options.env));
  return {
    middleware: requestGate({
      service: options.service,
      document: options.document,
      ...(options.limits && { limits: options.limits }),
      rateLimits,
      buckets: options.buckets,
      logger: options.logger,
    }),
    interceptor: new PrincipalRateLimitInterceptor(options.service, rateLimits, options.buckets),
  };
}

/**
 * Where the buckets live: Redis when the deployment has one (distributed: every replica shares
 * them) unless RATE_LIMIT_STORE=memory; in this process otherwise (embedded profile).
 */
export function rateLimitBuckets(options: { profile: 'distributed' | 'embedded'; env: Env; logger: Logger; redisUrl?: string }): BucketStore {
  const settings = loadConfig(rateLimitSettings, options.env);
  const store = settings.RATE_LIMIT_STORE ?? (options.profile === 'distributed' && options.redisUrl ? 'redis' : 'memory');
  if (store === 'redis' && options.redisUrl) return RedisBucketStore.connect(options.redisUrl, 'carebridge:rate:', options.logger);
  return new MemoryBucketStore();
}
