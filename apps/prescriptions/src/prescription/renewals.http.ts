import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CurrentActor, parseBody, Roles, type AuthenticatedActor } from '@carebridge/platform';
import { PrescriptionAccess } from '../http/prescription.access';
import { commandMetadata } from '../http/command-metadata.http-support';
import { Commands } from '../http/commands.http-support';
import { ReplacementInvalidError } from './renewals.rules';
import { prescriptionDecider, type RespondToRenewal } from './prescription.decider';
import { prescriptionStreamId } from './prescription.stream';

export const renewalRequestBody = z.object({ note: z.string().max(500).nullable().default(null) });
export const renewalResponseBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approved'), refillsAuthorized: z.number().int() }),
  z.object({ decision: z.literal('approved-with-changes'), replacementPrescriptionId: z.uuid() }),
  z.object({ decision: z.literal('denied'), reason: z.string().max(500) }),
]);

@Controller('v1/prescriptions')
export class RenewalsController {
  constructor(
    private readonly commands: Commands,
    private readonly access: PrescriptionAccess,
  ) {}

  /** A patient asks their prescriber for a renewal (refill). */
  @Post(':prescriptionId/renewal-requests')
  @HttpCode(201)
  @Roles('patient')
  async request(
    @CurrentActor() actor: AuthenticatedActor,
    @Req() request: Request,
    @Param('prescriptionId', ParseUUIDPipe) prescriptionId: string,
    @Body() body: unknown,
  ) {
    const { note } = parseBody(renewalRequestBody, body);
    await this.access.requireHolder(actor, prescriptionId);
    const renewalRequestId = randomUUID();
    const result = await this.commands.run(prescriptionStreamId(prescriptionId), prescriptionDecider, {
      type: 'RequestRenewal',
      data: { renewalRequestId, note },
      metadata: commandMetadata(actor, request),
    });
    const requested = result.newEvents.find((e) => e.type === 'RenewalRequested');
    return { prescriptionId, renewalRequestId: (requested?.data as { renewalRequestId: string } | undefined)?.renewalRequestId ?? renewalRequestId };
  }

  /** The prescriber approves, approves with changes (a new prescription linked to this one) or denies. */
  @Post(':prescriptionId/renewal-requests/:renewalRequestId/response')
  @HttpCode(200)
  @Roles('provider')
  async respond(
    @CurrentActor() actor: AuthenticatedActor,
    @Req() request: Request,
    @Param('prescriptionId', ParseUUIDPipe) prescriptionId: string,
    @Param('renewalRequestId') renewalRequestId: string,
    @Body() body: unknown,
  ) {
    const input = parseBody(renewalResponseBody, body);
    await this.access.requireHolder(actor, prescriptionId);
    if (input.decision === 'approved-with-changes') {
      const [original, replacement] = await Promise.all([this.access.load(prescriptionId), this.access.load(input.replacementPrescriptionId)]);
      if (
        !original ||
        !replacement ||
        replacement.rx.renewalOf !== prescriptionId ||
        replacement.rx.patientId !== original.rx.patientId ||
        replacement.rx.prescriber.providerId !== actor.id
      ) {
        throw new ReplacementInvalidError(
          'The replacement must be a prescription you drafted for the same patient with renewalOf set to this prescription',
        );
      }
    }
    const result = await this.commands.run(prescriptionStreamId(prescriptionId), prescriptionDecider, {
      type: 'RespondToRenewal',
      data: { ...input, renewalRequestId } as RespondToRenewal['data'],
      metadata: commandMetadata(actor, request),
    });
    return { prescriptionId, renewalRequestId, decision: input.decision, status: result.state.status };
  }
}
