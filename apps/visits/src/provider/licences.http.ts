import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { z } from 'zod';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { commandMetadata, usState } from '../visits.http-support';
import type { ReadModels } from '../visits.projection';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../visits.tokens';
import { NotParticipantError } from '../visit/visit.decider';
import { type ProviderState, licensedStates, providerDecider } from './provider.decider';
import type { ProviderEvent } from './provider.events';
import { providerStreamId } from './provider.stream';

export const licencesBody = z.strictObject({
  licences: z
    .array(
      z.strictObject({
        state: usState,
        number: z.string().regex(/^[A-Za-z0-9-]{1,30}$/),
        expiresOn: z.iso.date(),
      }),
    )
    .max(60),
});
export const dutyBody = z.strictObject({ onDuty: z.boolean() });

function assertSelfOrOps(actor: AuthenticatedActor, providerId: string): void {
  if (actor.role === 'ops' || (actor.role === 'provider' && actor.providerId === providerId)) return;
  throw new NotParticipantError('A provider manages their own licences and duty (or ops, from credentialing)');
}

/**
 * Provider licences as visits knows them: scheduling's events carry no licences, so credentialing
 * (ops) or the provider registers them here, each with its expiry; they are checked when a visit starts.
 */
@Controller('v1/providers/:providerId')
export class LicencesController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private view(providerId: string, state: ProviderState) {
    const now = this.clock.now();
    return state.status === 'known'
      ? { providerId, licences: state.licences, validStates: licensedStates(state, now), onDuty: state.onDuty }
      : { providerId, licences: [], validStates: [], onDuty: false };
  }

  @Put('licences')
  @Roles('provider', 'ops')
  async register(@Param('providerId', ParseUUIDPipe) providerId: string, @Body() body: unknown, @CurrentActor() actor: AuthenticatedActor) {
    assertSelfOrOps(actor, providerId);
    const b = parseBody(licencesBody, body);
    const result = await handle(this.store, providerStreamId(providerId), providerDecider, {
      type: 'RegisterLicences',
      data: { providerId, licences: b.licences },
      metadata: commandMetadata(actor, this.clock.now(), { purpose: 'operations' }),
    });
    await this.readModels.include(result.newEvents);
    return this.view(providerId, result.state);
  }

  /** On urgent-care duty: counted for the queue's estimated wait, and may take the next patient. */
  @Put('urgent-care-duty')
  @Roles('provider', 'ops')
  async duty(@Param('providerId', ParseUUIDPipe) providerId: string, @Body() body: unknown, @CurrentActor() actor: AuthenticatedActor) {
    assertSelfOrOps(actor, providerId);
    const b = parseBody(dutyBody, body);
    const result = await handle(this.store, providerStreamId(providerId), providerDecider, {
      type: 'SetUrgentCareDuty',
      data: { providerId, onDuty: b.onDuty },
      metadata: commandMetadata(actor, this.clock.now(), { purpose: 'operations' }),
    });
    await this.readModels.include(result.newEvents);
    return this.view(providerId, result.state);
  }

  @Get('licences')
  @Roles('provider', 'ops')
  async get(@Param('providerId', ParseUUIDPipe) providerId: string, @CurrentActor() actor: AuthenticatedActor) {
    assertSelfOrOps(actor, providerId);
    const events = await this.store.readStream(providerStreamId(providerId));
    return this.view(providerId, events.reduce((s, e) => providerDecider.evolve(s, e as unknown as ProviderEvent), providerDecider.initialState()));
  }
}
