import { Body, Controller, Get, Headers, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { type EventStore, deterministicEventId, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, RequestValidationError, Roles, parseBody } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { assertMayActFor, commandMetadata, requireIdempotencyKey } from '../scheduling.http-support';
import { localDate, modality, timeZone, usState } from '../provider/provider.schemas';
import { CLOCK, EVENT_STORE } from '../scheduling.tokens';
import { WaitlistEntryNotFoundError, type WaitlistState, waitlistDecider } from './waitlist.decider';
import type { WaitlistEvent } from './waitlist.events';
import { waitlistStreamId } from './waitlist.stream';

export const joinWaitlistBody = z
  .strictObject({
    patientId: z.uuid().optional(),
    providerId: z.uuid().optional(),
    specialty: z.string().regex(/^[a-z][a-z0-9-]{1,60}$/, 'must be a lower-case specialty code').optional(),
    modality,
    patientState: usState,
    from: localDate,
    to: localDate,
    timeZone,
  })
  .refine((b) => (b.providerId === undefined) !== (b.specialty === undefined), {
    path: ['providerId'],
    message: 'give either providerId or specialty',
  });

const view = (entryId: string, state: WaitlistState) => {
  if (state.status === 'none') throw new WaitlistEntryNotFoundError(`Waitlist entry ${entryId} not found`);
  return {
    ...state.entry,
    status: state.status,
    offers: state.status === 'waiting' ? state.offers : [],
    ...(state.status === 'fulfilled' && { appointmentId: state.appointmentId }),
  };
};

/** Patients wait for a provider or a specialty in a date range; freed slots are offered in order. */
@Controller('v1/waitlist')
export class JoinWaitlistController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('patient', 'ops')
  async join(@Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentActor() actor: AuthenticatedActor) {
    const commandId = requireIdempotencyKey(key, actor);
    const b = parseBody(joinWaitlistBody, body);
    const patientId = b.patientId ?? actor.patientId;
    if (patientId === undefined) throw new RequestValidationError([{ field: 'patientId', message: 'Required' }]);
    assertMayActFor(actor, { patientId });
    const entryId = deterministicEventId(`waitlist:${patientId}`, commandId, 0);
    const result = await handle(this.store, waitlistStreamId(entryId), waitlistDecider, {
      type: 'JoinWaitlist',
      data: {
        entryId,
        patientId,
        ...(b.providerId !== undefined && { providerId: b.providerId }),
        ...(b.specialty !== undefined && { specialty: b.specialty }),
        modality: b.modality,
        patientState: b.patientState,
        from: DateTime.fromISO(b.from, { zone: b.timeZone }).startOf('day').toUTC().toISO()!,
        to: DateTime.fromISO(b.to, { zone: b.timeZone }).plus({ days: 1 }).startOf('day').toUTC().toISO()!,
      },
      metadata: commandMetadata(actor, this.clock.now(), { commandId }),
    });
    return view(entryId, result.state);
  }

  @Get(':entryId')
  @Roles('patient', 'ops')
  async get(@Param('entryId', ParseUUIDPipe) entryId: string, @CurrentActor() actor: AuthenticatedActor) {
    const events = await this.store.readStream(waitlistStreamId(entryId));
    const state = events.reduce((s, e) => waitlistDecider.evolve(s, e as unknown as WaitlistEvent), waitlistDecider.initialState());
    const entry = view(entryId, state);
    assertMayActFor(actor, { patientId: entry.patientId });
    return entry;
  }
}
