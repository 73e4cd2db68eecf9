import { Body, Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { z } from 'zod';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { commandMetadata, requireIdempotencyKey } from '../visits.http-support';
import { CLOCK, EVENT_STORE } from '../visits.tokens';
import { participantVisit, providerIdOf } from './visit.access';
import { visitDecider } from './visit.decider';
import { derivedUuid, visitStreamId } from './visit.stream';

export const consultBody = z.strictObject({
  kind: z.enum(['specialist', 'care-team']),
  /** Provider ids: one specialist, or the members of a care team. */
  invitees: z.array(z.uuid()).min(1).max(12),
  specialty: z.string().regex(/^[a-z][a-z0-9-]{1,60}$/).optional(),
  reason: z.string().min(1).max(2_000),
});
export const discussionBody = z.strictObject({ text: z.string().min(1).max(20_000) });

/** Consults: the attending provider invites a specialist or a care team; the providers' discussion is recorded. */
@Controller('v1/visits/:visitId/consults')
export class ConsultsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('provider')
  async request(
    @Param('visitId', ParseUUIDPipe) visitId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const commandId = requireIdempotencyKey(key, actor);
    const b = parseBody(consultBody, body);
    await participantVisit(this.store, visitId, actor);
    const consultId = derivedUuid(`consult:${visitId}`, commandId);
    await handle(this.store, visitStreamId(visitId), visitDecider, {
      type: 'RequestConsult',
      data: { consultId, kind: b.kind, invitees: b.invitees, ...(b.specialty && { specialty: b.specialty }), reason: b.reason, requestedBy: providerIdOf(actor) },
      metadata: commandMetadata(actor, this.clock.now(), { commandId }),
    });
    return { visitId, consultId };
  }

  /** An invited provider joins: from then on a participant of the visit (record, room, discussion). */
  @Post(':consultId/join')
  @HttpCode(200)
  @Roles('provider')
  async join(@Param('visitId', ParseUUIDPipe) visitId: string, @Param('consultId', ParseUUIDPipe) consultId: string, @CurrentActor() actor: AuthenticatedActor) {
    await participantVisit(this.store, visitId, actor, { invitedMayRead: true });
    const result = await handle(this.store, visitStreamId(visitId), visitDecider, {
      type: 'JoinConsult',
      data: { consultId, providerId: providerIdOf(actor) },
      metadata: commandMetadata(actor, this.clock.now()),
    });
    const consult = result.state.status === 'none' ? undefined : result.state.record.consults.find((c) => c.consultId === consultId);
    return { visitId, consultId, joined: consult?.joined ?? [] };
  }

  @Post(':consultId/discussion')
  @Roles('provider')
  async discuss(
    @Param('visitId', ParseUUIDPipe) visitId: string,
    @Param('consultId', ParseUUIDPipe) consultId: string,
    @Body() body: unknown,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const b = parseBody(discussionBody, body);
    await participantVisit(this.store, visitId, actor);
    await handle(this.store, visitStreamId(visitId), visitDecider, {
      type: 'PostConsultDiscussion',
      data: { consultId, authorId: providerIdOf(actor), text: b.text },
      metadata: commandMetadata(actor, this.clock.now()),
    });
    return { visitId, consultId };
  }
}
