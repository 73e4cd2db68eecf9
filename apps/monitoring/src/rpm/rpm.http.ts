import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import { z } from 'zod';
import { assertMaySee, uuidParam } from '../http-support';
import { READ_MODELS, RPM_PERIODS } from '../monitoring.tokens';
import type { ReadModels } from '../read-models';
import type { RpmPeriods } from './rpm-periods';

export const closeBody = z.object({ patientIds: z.array(z.uuid()).max(1_000).optional() });

@Controller()
export class RpmController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(RPM_PERIODS) private readonly periods: RpmPeriods,
  ) {}

  /** Closes the ended periods (all patients, or those named); run daily by ops (or a scheduler). */
  @Post('v1/rpm/periods/close-due')
  @HttpCode(200)
  @Roles('ops')
  async closeDue(@Body() body: unknown) {
    const { patientIds } = parseBody(closeBody, body ?? {});
    return { closed: await this.periods.closeDue(patientIds?.map((p) => p.toLowerCase())) };
  }

  @Get('v1/patients/:patientId/rpm-periods')
  @Roles('patient', 'provider', 'ops')
  async list(@Param('patientId') id: string, @CurrentActor() actor: AuthenticatedActor) {
    const patientId = uuidParam('patientId', id);
    assertMaySee(actor, await this.readModels.patient(patientId), patientId);
    return { periods: await this.readModels.rpmPeriods(patientId) };
  }
}
