import { Body, Controller, Headers, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { type EventStore, deterministicEventId, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { assertMayActFor, commandMetadata, requireIdempotencyKey } from '../scheduling.http-support';
import type { ReadModels } from '../read-models.projection';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../scheduling.tokens';
import { providerDayDecider } from './provider-day.decider';
import type { GroupSessionScheduled } from './provider-day.events';
import { groupSessionBody } from './provider-day.schemas';
import { termsAt } from './provider-terms.handler';

/** A group session (online support group) in one of the provider's slots; patients book seats in it. */
@Controller('v1/providers/:providerId/group-sessions')
export class ScheduleGroupSessionController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('provider', 'ops')
  async schedule(
    @Param('providerId', ParseUUIDPipe) providerId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const commandId = requireIdempotencyKey(key, actor);
    const { slotStart, capacity } = parseBody(groupSessionBody, body);
    assertMayActFor(actor, { providerId });
    const { streamId, terms, slot } = await termsAt(this.store, providerId, slotStart);
    const sessionId = deterministicEventId(streamId, `session:${commandId}`, 0);
    const result = await handle(this.store, streamId, providerDayDecider, {
      type: 'ScheduleGroupSession',
      data: { sessionId, slot, capacity, terms },
      metadata: commandMetadata(actor, this.clock.now(), { commandId }),
    });
    await this.readModels.include(result.newEvents);
    const session = result.state.status === 'open' ? result.state.sessions[sessionId]! : undefined;
    return { sessionId, providerId, ...session } as Partial<GroupSessionScheduled['data']>;
  }
}
