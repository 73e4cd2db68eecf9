import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import { assertMayActFor, commandMetadata, optionalIdempotencyKey, requireIdempotencyKey } from '../scheduling.http-support';
import type { ReadModels } from '../read-models.projection';
import type { Clock } from '../clock.port';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../scheduling.tokens';
import { ProviderNotFoundError, type ProviderState, providerDecider } from './provider.decider';
import { availabilityExceptionBody, licencesBody, registerProviderBody, weeklyAvailabilityBody } from './provider.schemas';
import { loadProvider, providerStreamId } from './provider.stream';

const view = (state: ProviderState) => {
  if (state.status !== 'active') throw new ProviderNotFoundError('Provider not found');
  return { ...state.profile, availability: state.availability };
};

@Controller('v1/providers')
export class ManageProviderController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('provider', 'ops')
  async register(
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const commandId = requireIdempotencyKey(key, actor);
    const data = parseBody(registerProviderBody, body);
    assertMayActFor(actor, { providerId: data.providerId });
    const result = await handle(this.store, providerStreamId(data.providerId), providerDecider, {
      type: 'RegisterProvider',
      data,
      metadata: commandMetadata(actor, this.clock.now(), { commandId, purpose: 'operations' }),
    });
    await this.readModels.include(result.newEvents);
    return view(result.state);
  }

  @Put(':providerId/availability')
  @Roles('provider', 'ops')
  async setWeekly(
    @Param('providerId', ParseUUIDPipe) providerId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const data = parseBody(weeklyAvailabilityBody, body);
    assertMayActFor(actor, { providerId });
    const commandId = optionalIdempotencyKey(key, actor);
    const result = await handle(this.store, providerStreamId(providerId), providerDecider, {
      type: 'SetWeeklyAvailability',
      data: { providerId, ...data },
      metadata: commandMetadata(actor, this.clock.now(), { ...(commandId && { commandId }), purpose: 'operations' }),
    });
    await this.readModels.include(result.newEvents);
    return view(result.state);
  }

  @Post(':providerId/availability/exceptions')
  @Roles('provider', 'ops')
  async addException(
    @Param('providerId', ParseUUIDPipe) providerId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const commandId = requireIdempotencyKey(key, actor);
    const data = parseBody(availabilityExceptionBody, body);
    assertMayActFor(actor, { providerId });
    const result = await handle(this.store, providerStreamId(providerId), providerDecider, {
      type: 'AddAvailabilityException',
      data: { providerId, exception: { exceptionId: randomUUID(), ...data } },
      metadata: commandMetadata(actor, this.clock.now(), { commandId, purpose: 'operations' }),
    });
    await this.readModels.include(result.newEvents);
    return view(result.state);
  }

  @Put(':providerId/licences')
  @Roles('provider', 'ops')
  async updateLicences(
    @Param('providerId', ParseUUIDPipe) providerId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const { licences } = parseBody(licencesBody, body);
    assertMayActFor(actor, { providerId });
    const commandId = optionalIdempotencyKey(key, actor);
    const result = await handle(this.store, providerStreamId(providerId), providerDecider, {
      type: 'UpdateLicences',
      data: { providerId, licences },
      metadata: commandMetadata(actor, this.clock.now(), { ...(commandId && { commandId }), purpose: 'operations' }),
    });
    await this.readModels.include(result.newEvents);
    return view(result.state);
  }

  @Get(':providerId')
  @HttpCode(200)
  async get(@Param('providerId', ParseUUIDPipe) providerId: string) {
    return view(await loadProvider(this.store, providerId));
  }
}
