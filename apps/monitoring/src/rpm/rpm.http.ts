import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import { z } from 'zod';
import { assertMaySee, uuidParam } from '../monitoring.http-support';
import { MonitoredPatients } from '../enrolment/monitored-patients.projection';
import { RPM_PERIODS } from '../monitoring.tokens';
import type { RpmPeriods } from './rpm-periods.handler';
import { ClosedRpmPeriods } from './rpm-periods.projection';

export const closeBody = z.object({ patientIds: z.array(z.uuid()).max(1_000).optional() });

@Controller()
export class RpmController {
  constructor(
    @Inject(MonitoredPatients) private readonly patients: MonitoredPatients,
    @Inject(ClosedRpmPeriods) private readonly closed: ClosedRpmPeriods,
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
    assertMaySee(actor, await this.patients.patient(patientId), patientId);
    return { periods: await this.closed.rpmPeriods(patientId) };
  }
}
