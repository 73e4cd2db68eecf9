import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { CurrentActor, parseBody, Roles, type AuthenticatedActor } from '@carebridge/platform';
import { PrescriptionAccess } from '../http/prescription.access';
import { commandMetadata } from '../http/command-metadata.http-support';
import { Commands } from '../http/commands.http-support';
import { prescriptionDecider } from './prescription.decider';
import { prescriptionStreamId } from './prescription.stream';

export const cancelBody = z.object({ reason: z.string().min(1).max(500) });

@Controller('v1/prescriptions')
export class CancelPrescriptionController {
  constructor(
    private readonly commands: Commands,
    private readonly access: PrescriptionAccess,
  ) {}

  /** Cancels a draft at once; a transmitted prescription gets a CancelRx and waits for the pharmacy. */
  @Post(':prescriptionId/cancel')
  @HttpCode(200)
  @Roles('provider')
  async cancel(
    @CurrentActor() actor: AuthenticatedActor,
    @Req() request: Request,
    @Param('prescriptionId', ParseUUIDPipe) prescriptionId: string,
    @Body() body: unknown,
  ) {
    const { reason } = parseBody(cancelBody, body);
    await this.access.requireHolder(actor, prescriptionId);
    const result = await this.commands.run(prescriptionStreamId(prescriptionId), prescriptionDecider, {
      type: 'CancelPrescription',
      data: { reason },
      metadata: commandMetadata(actor, request),
    });
    return { prescriptionId, status: result.state.status };
  }
}
