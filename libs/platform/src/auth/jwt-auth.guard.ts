import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException } from '../errors/problem';
import type { HumanRole } from './actor';
import { ALLOWED_ROLES, type AuthenticatedRequest, IS_PUBLIC } from './decorators';
import { JwtVerifier } from './jwt-verifier';

/** Authenticates every HTTP route unless it is `@Public()`, then enforces `@Roles(...)`. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JwtVerifier) private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const actor = await this.verifier.verify(request.get('authorization'));
    request.actor = actor;

    const roles = this.reflector.getAllAndOverride<HumanRole[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && !roles.includes(actor.role)) {
      throw new ProblemException(403, 'AUTH.ROLE_FORBIDDEN', `The ${actor.role} role may not do this.`);
    }
    return true;
  }
}
