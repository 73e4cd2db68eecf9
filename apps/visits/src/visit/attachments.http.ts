import { createHash } from 'node:crypto';
import { Controller, Get, Headers, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, type BlobStore, CurrentActor, ProblemException, readBoundedBody, Roles, sniffType } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { commandMetadata, readPurpose } from '../visits.http-support';
import { BLOB_STORE, CLOCK, EVENT_STORE } from '../visits.tokens';
import { ATTACHMENT_LIMITS, ATTACHMENT_TYPES, isAttachmentType } from './attachment.rules';
import { participantVisit } from './visit.access';
import { visitDecider } from './visit.decider';
import { visitStreamId } from './visit.stream';
import { auditedRead } from './read-visit.http';

/** Shared results: photos, DICOM images, PDFs and short clips, visible to the visit's participants only. */
@Controller('v1/visits/:visitId/attachments')
export class AttachmentsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The file is the raw request body, its type the `Content-Type`; 415 for a type we do not take or
   * bytes that are not it, 413 over its limit. Nothing is read before the caller is authenticated
   * (guards run first; no body parser is mounted on this route) and known to be a participant; then
   * the body is read up to its type's limit and no further.
   */
  @Post()
  @Roles('patient', 'provider')
  async share(
    @Param('visitId', ParseUUIDPipe) visitId: string,
    @Req() request: Request,
    @Headers('content-type') contentType: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const declared = contentType?.split(';')[0]!.trim().toLowerCase();
    if (!isAttachmentType(declared)) {
      throw new ProblemException(415, 'ATTACHMENT.UNSUPPORTED_TYPE', `Content-Type must be one of ${ATTACHMENT_TYPES.join(', ')}`);
    }
    const limit = ATTACHMENT_LIMITS[declared];
    const declaredLength = Number(request.headers['content-length'] ?? NaN);
    if (Number.isFinite(declaredLength) && declaredLength > limit.maxBytes) {
      throw new ProblemException(413, 'ATTACHMENT.TOO_LARGE', `A ${declared} file may be at most ${limit.maxBytes} bytes; this one is ${declaredLength}`);
    }
    await participantVisit(this.store, visitId, actor);
    const body = await readBoundedBody(request, limit.maxBytes, 'ATTACHMENT.TOO_LARGE');
    if (body.length === 0) throw new ProblemException(400, 'ATTACHMENT.EMPTY', 'The file must be the request body');
    if (sniffType(body) !== declared) throw new ProblemException(415, 'ATTACHMENT.TYPE_MISMATCH', `The bytes are not a ${declared} file`);
    const sha256 = createHash('sha256').update(body).digest('hex');
    // Content-addressed: storing first is safe (a refused append leaves a blob nothing names).
    await this.blobs.put(sha256, body, declared);
    const result = await handle(this.store, visitStreamId(visitId), visitDecider, {
      type: 'ShareAttachment',
      data: {
        sha256,
        contentType: declared,
        category: limit.category,
        sizeBytes: body.length,
        sharedBy: { id: actor.role === 'patient' ? actor.patientId! : actor.providerId!, role: actor.role === 'patient' ? 'patient' : 'provider' },
      },
      metadata: commandMetadata(actor, this.clock.now(), { commandId: `attachment:${sha256}` }),
    });
    return { visitId, sha256, contentType: declared, category: limit.category, sizeBytes: body.length, added: !result.replayed && result.newEvents.length > 0 };
  }

  /** Always a download: never rendered inline by the browser, never sniffed into HTML. */
  @Get(':sha256')
  @Roles('patient', 'provider')
  async download(
    @Param('visitId', ParseUUIDPipe) visitId: string,
    @Param('sha256') sha256: string,
    @Query() query: unknown,
    @CurrentActor() actor: AuthenticatedActor,
    @Res({ passthrough: true }) response: Response,
  ) {
    const purpose = readPurpose(query);
    const visit = await auditedRead(this.store, this.clock, visitId, actor, 'attachment', purpose);
    const attachment = visit.record.attachments.find((a) => a.sha256 === sha256);
    const bytes = attachment && (await this.blobs.get(sha256));
    if (attachment === undefined || bytes === undefined) throw new ProblemException(404, 'ATTACHMENT.NOT_FOUND', `Attachment ${sha256} not found`);
    const extension = isAttachmentType(attachment.contentType) ? ATTACHMENT_LIMITS[attachment.contentType].extension : 'bin';
    response.setHeader('content-type', attachment.contentType);
    response.setHeader('content-disposition', `attachment; filename="${sha256}.${extension}"`);
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('content-security-policy', "default-src 'none'; sandbox");
    response.setHeader('cache-control', 'private, no-store');
    return new StreamableFile(bytes);
  }
}
