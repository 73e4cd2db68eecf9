import { type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/decorators';
import { ProblemException } from '../errors/problem';
import { GATE_OPERATION, type GatedRequest } from './request-gate';
import type { BucketStore, RateLimits } from './rate-limit';

/**
 * The per-principal limit, taken once the caller is authenticated (interceptors run after guards):
 * one bucket per verified caller, the login class (one-time codes) with its own stricter bucket.
 */
export class PrincipalRateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly service: string,
    private readonly limits: RateLimits,
    private readonly buckets: BucketStore,
    private readonly now: () => number = Date.now,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() === 'http' && this.limits.enabled) {
      const request = context.switchToHttp().getRequest<AuthenticatedRequest & GatedRequest>();
      const actor = request.actor;
      if (actor) {
        const kind = request[GATE_OPERATION]?.rateLimit;
        const login = kind === 'login' || kind === 'one-time-code';
        const key = `${this.service}:principal:${login ? 'login:' : ''}${actor.role}:${actor.id}`;
        const result = await this.buckets.take(key, login ? this.limits.login : this.limits.perPrincipal, this.now());
        if (!result.allowed) {
          throw new ProblemException(429, 'RATE_LIMIT.EXCEEDED', `Too many requests; retry after ${result.retryAfterSeconds} s`, {
            'retry-after': String(result.retryAfterSeconds),
          });
        }
      }
    }
    return next.handle();
  }
}
