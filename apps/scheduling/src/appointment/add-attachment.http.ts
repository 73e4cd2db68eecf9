import { createHash } from 'node:crypto';
import { Controller, Get, Headers, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, type BlobStore, CurrentActor, RequestValidationError, Roles, parseBody, readBoundedBody, sniffType } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { assertMayActFor, commandMetadata } from '../scheduling.http-support';
import { BLOB_STORE, CLOCK, EVENT_STORE } from '../scheduling.tokens';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES } from './attachment.rules';
import { appointmentDecider } from './appointment.decider';
import { booked } from './appointment.rules';
import { appointmentStreamId, loadAppointment } from './appointment.stream';
import { intakeQuery, readIntake } from './read-intake.http';
import { AppointmentNotFoundError, AttachmentRefusedError } from './appointment.errors';


/** Photos for the provider, uploaded as the raw request body (`Content-Type: image/jpeg|png|heic`). */
@Controller('v1/appointments/:appointmentId/attachments')
export class AddAttachmentController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Nothing is read before the caller is authenticated and owns the appointment; then at most the size limit (413 beyond). */
  @Post()
  @Roles('patient')
  async add(
    @Param('appointmentId', ParseUUIDPipe) appointmentId: string,
    @Req() request: Request,
    @Headers('content-type') contentType: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const declared = contentType?.split(';')[0]!.trim().toLowerCase();
    if (!(ATTACHMENT_TYPES as readonly string[]).includes(declared ?? '')) {
      throw new RequestValidationError([{ field: 'Content-Type', message: `must be one of ${ATTACHMENT_TYPES.join(', ')}, with the file as the body` }]);
    }
    const { booking } = booked((await loadAppointment(this.store, appointmentId)).state, appointmentId);
    assertMayActFor(actor, { patientId: booking.patientId });
    const body = await readBoundedBody(request, MAX_ATTACHMENT_BYTES, 'ATTACHMENT.TOO_LARGE');
    if (body.length === 0) {
      throw new RequestValidationError([{ field: 'Content-Type', message: `must be one of ${ATTACHMENT_TYPES.join(', ')}, with the file as the body` }]);
    }
    if (sniffType(body) !== declared) {
      throw new AttachmentRefusedError(`The file is not a ${declared ?? 'recognised image'}`);
    }
    const sha256 = createHash('sha256').update(body).digest('hex');
    // Content-addressed: storing first is safe (a refused append leaves a blob nothing names).
    await this.blobs.put(sha256, body, declared!);
    const result = await handle(this.store, appointmentStreamId(appointmentId), appointmentDecider, {
      type: 'AddIntakeAttachment',
      data: { appointmentId, sha256, contentType: declared!, sizeBytes: body.length },
      // Same bytes, same command: a retried upload appends nothing.
      metadata: commandMetadata(actor, this.clock.now(), { commandId: `attachment:${appointmentId}:${sha256}` }),
    });
    // false when these bytes were already attached (a retried upload, or the same photo twice).
    const added = !result.replayed && result.newEvents.length > 0;
    return { appointmentId, sha256, contentType: declared, sizeBytes: body.length, added };
  }

  @Get(':sha256')
  @Roles('patient', 'provider')
  async get(
    @Param('appointmentId', ParseUUIDPipe) appointmentId: string,
    @Param('sha256') sha256: string,
    @Query() query: unknown,
    @CurrentActor() actor: AuthenticatedActor,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { purpose } = parseBody(intakeQuery, query, 'query');
    const appointment = await readIntake(this.store, appointmentId, actor, purpose, this.clock.now());
    const attachment = appointment.attachments.find((a) => a.sha256 === sha256);
    const bytes = attachment && (await this.blobs.get(sha256));
    if (attachment === undefined || bytes === undefined) throw new AppointmentNotFoundError(`Attachment ${sha256} not found`);
    response.setHeader('content-type', attachment.contentType);
    return new StreamableFile(bytes);
  }
}
