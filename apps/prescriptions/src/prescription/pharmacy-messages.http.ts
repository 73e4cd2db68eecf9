import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { CurrentActor, parseBody, Roles, type AuthenticatedActor } from '@carebridge/platform';
import { PrescriptionAccess } from '../http/prescription.access';
import { commandMetadata } from '../http/command-metadata.http-support';
import { Commands } from '../http/commands.http-support';
import { prescriptionDecider } from './prescription.decider';
import { prescriptionStreamId } from './prescription.stream';

const messageId = z.string().min(1).max(100);
/** NCPDP SCRIPT answers a pharmacy sends about a prescription routed to it. */
export const pharmacyMessageBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('Status'), messageId }),
  z.object({ kind: z.literal('Verify'), messageId }),
  z.object({ kind: z.literal('Error'), messageId, code: z.string().min(1).max(10), description: z.string().max(500) }),
  z.object({
    kind: z.literal('RxFill'),
    messageId,
    fillStatus: z.enum(['dispensed', 'partially-dispensed', 'not-dispensed', 'transferred']),
    quantityDispensed: z.number().nonnegative().nullable().default(null),
    reason: z.string().max(500).nullable().default(null),
  }),
  z.object({
    kind: z.literal('RxChangeRequest'),
    messageId,
    changeType: z.enum(['generic-substitution', 'prior-authorization', 'clarification']),
    detail: z.string().max(500),
  }),
  z.object({ kind: z.literal('CancelRxResponse'), messageId, approved: z.boolean(), reason: z.string().max(500).nullable().default(null) }),
  z.object({ kind: z.literal('RxRenewalRequest'), messageId, note: z.string().max(500).nullable().default(null) }),
]);

export const changeResponseBody = z.object({ decision: z.enum(['approved', 'denied']), reason: z.string().max(500).nullable().default(null) });

@Controller('v1/prescriptions')
export class PharmacyMessagesController {
  constructor(
    private readonly commands: Commands,
    private readonly access: PrescriptionAccess,
  ) {}

  /** A pharmacy answers about a prescription routed to it (REST alternative to the inbound topic). */
  @Post(':prescriptionId/pharmacy-messages')
  @HttpCode(202)
  @Roles('pharmacy')
  async record(
    @CurrentActor() actor: AuthenticatedActor,
    @Req() request: Request,
    @Param('prescriptionId', ParseUUIDPipe) prescriptionId: string,
    @Body() body: unknown,
  ) {
    const message = parseBody(pharmacyMessageBody, body);
    await this.access.requireHolder(actor, prescriptionId);
    const result = await this.commands.run(prescriptionStreamId(prescriptionId), prescriptionDecider, {
      type: 'RecordPharmacyMessage',
      data: message,
      metadata: commandMetadata(actor, request),
    });
    return { prescriptionId, messageId: message.messageId, status: result.state.status };
  }

  /** The prescriber answers a pharmacy's RxChangeRequest (RxChangeResponse). */
  @Post(':prescriptionId/change-requests/:changeRequestId/response')
  @HttpCode(200)
  @Roles('provider')
  async respond(
    @CurrentActor() actor: AuthenticatedActor,
    @Req() request: Request,
    @Param('prescriptionId', ParseUUIDPipe) prescriptionId: string,
    @Param('changeRequestId') changeRequestId: string,
    @Body() body: unknown,
  ) {
    const input = parseBody(changeResponseBody, body);
    await this.access.requireHolder(actor, prescriptionId);
    const result = await this.commands.run(prescriptionStreamId(prescriptionId), prescriptionDecider, {
      type: 'RespondToChangeRequest',
      data: { changeRequestId, ...input },
      metadata: commandMetadata(actor, request),
    });
    return { prescriptionId, changeRequestId, status: result.state.status };
  }
}
