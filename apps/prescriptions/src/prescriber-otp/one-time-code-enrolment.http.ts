import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CurrentActor, Roles, type AuthenticatedActor } from '@carebridge/platform';
import { ONE_TIME_CODES } from '../http/prescriptions.tokens';
import type { OneTimeCodes } from './one-time-codes.adapter';

@Controller('v1/prescribers/me/one-time-code')
export class OneTimeCodeEnrolmentController {
  constructor(@Inject(ONE_TIME_CODES) private readonly codes: OneTimeCodes) {}

  /**
   * Enrols the calling prescriber's authenticator (the secret is returned once). 21 CFR 1311.105
   * and 1311.110 require identity proofing and a two-person access control before the token is
   * bound for controlled substances; that process is outside this endpoint (see README).
   */
  @Post()
  @HttpCode(201)
  @Roles('provider')
  enrol(@CurrentActor() actor: AuthenticatedActor) {
    return this.codes.enrol(actor.id);
  }
}
