import { type ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthenticatedActor, HumanRole } from './actor';

export const IS_PUBLIC = 'carebridge:auth:public';
export const ALLOWED_ROLES = 'carebridge:auth:roles';

/** Skips authentication: health probes, the dev JWKS. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the handler (or every handler of the controller). */
export const Roles = (...roles: HumanRole[]) => SetMetadata(ALLOWED_ROLES, roles);

export type AuthenticatedRequest = Request & { actor?: AuthenticatedActor };

/** The caller verified by `JwtAuthGuard`. */
export const CurrentActor = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedActor => {
    const { actor } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!actor) {
      throw new Error('@CurrentActor() needs JwtAuthGuard and cannot be used on a @Public() route');
    }
    return actor;
  },
);
