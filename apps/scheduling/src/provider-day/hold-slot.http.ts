import { Body, Controller, Headers, Inject, Post } from '@nestjs/common';
import { type EventStore, deterministicEventId, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, RequestValidationError, Roles, parseBody } from '@carebridge/platform';
import { assertMayActFor, commandMetadata, requireIdempotencyKey } from '../scheduling.http-support';
import type { ReadModels } from '../read-models.projection';
import { type SchedulingPolicy } from '../scheduling.policy';
import type { Clock } from '../clock.port';
import { CLOCK, EVENT_STORE, READ_MODELS, SCHEDULING_POLICY } from '../scheduling.tokens';
import { providerDayDecider } from './provider-day.decider';
import type { SlotHeld } from './provider-day.events';
import { holdSlotBody } from './provider-day.schemas';
import { termsAt } from './provider-terms.handler';

/** FHIR Appointment $hold: keeps a slot for the patient while they complete intake. */
@Controller('v1/slot-holds')
export class HoldSlotController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(SCHEDULING_POLICY) private readonly policy: SchedulingPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('patient', 'ops')
  async hold(@Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentActor() actor: AuthenticatedActor) {
    const commandId = requireIdempotencyKey(key, actor);
    const data = parseBody(holdSlotBody, body);
    const patientId = data.patientId ?? actor.patientId;
    if (patientId === undefined) throw new RequestValidationError([{ field: 'patientId', message: 'Required' }]);
    assertMayActFor(actor, { patientId });
    const { streamId, terms, slot } = await termsAt(this.store, data.providerId, data.slotStart);
    const result = await handle(this.store, streamId, providerDayDecider, {
      type: 'HoldSlot',
      // The hold id comes from the idempotency key, so a retried request names the same hold.
      data: { holdId: deterministicEventId(streamId, `hold:${commandId}`, 0), patientId, slot, holdMinutes: this.policy.holdMinutes, terms },
      metadata: commandMetadata(actor, this.clock.now(), { commandId }),
    });
    await this.readModels.include(result.newEvents);
    const held = result.newEvents[0]!.data as SlotHeld['data'];
    return { holdId: held.holdId, providerId: held.providerId, start: held.start, end: held.end, expiresAt: held.expiresAt };
  }
}
