import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { z } from 'zod';
import { CurrentActor, parseBody, Roles, type AuthenticatedActor } from '@carebridge/platform';
import { PrescriptionAccess } from '../http/prescription.access';
import type { PrescriptionView } from './prescription.views';

export const listQuery = z.object({ patientId: z.uuid().optional() });

/** What a reader gets: the view without the decider's internal state. */
function present(view: PrescriptionView) {
  const { state: _state, ...rest } = view;
  return rest;
}

@Controller()
export class PrescriptionViewController {
  constructor(private readonly access: PrescriptionAccess) {}

  @Get('v1/prescriptions')
  @Roles('provider', 'patient', 'pharmacy')
  async list(@CurrentActor() actor: AuthenticatedActor, @Query() query: unknown) {
    const { patientId } = parseBody(listQuery, query, 'query');
    return { items: (await this.access.list(actor, { patientId })).map(present) };
  }

  @Get('v1/prescriptions/:prescriptionId')
  @Roles('provider', 'patient', 'pharmacy')
  async get(@CurrentActor() actor: AuthenticatedActor, @Param('prescriptionId', ParseUUIDPipe) prescriptionId: string) {
    return present(await this.access.read(actor, prescriptionId));
  }
}
