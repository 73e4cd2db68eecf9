import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { z } from 'zod';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { commandMetadata, usState } from '../visits.http-support';
import { providerDecider } from '../provider/provider.decider';
import type { ProviderEvent } from '../provider/provider.events';
import { providerStreamId } from '../provider/provider.stream';
import type { ReadModels } from '../visits.projection';
import type { VisitsPolicy } from '../visits.policy';
import { CLOCK, EVENT_STORE, READ_MODELS, VISITS_POLICY } from '../visits.tokens';
import { urgentCareQueueDecider } from '../urgent-care/urgent-care-queue.decider';
import { urgentCareQueueStreamId } from '../urgent-care/urgent-care-queue.stream';
import { participantVisit, providerIdOf } from './visit.access';
import { visitDecider } from './visit.decider';
import { visitIdForAppointment, visitStreamId } from './visit.stream';

export const checkInBody = z.strictObject({
  /** Where the patient is right now (licensure follows the patient). */
  locationState: usState,
  device: z
    .strictObject({ camera: z.boolean(), microphone: z.boolean(), bandwidthKbps: z.number().int().min(0).max(10_000_000) })
    .optional(),
});

/** The waiting room: the patient checks in and may leave; the provider sees who waits and for how long, and admits. */
@Controller()
export class WaitingRoomController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(VISITS_POLICY) private readonly policy: VisitsPolicy,
  ) {}

  /** The visit opened for a booked appointment (participants only). */
  @Get('v1/appointments/:appointmentId/visit')
  @Roles('patient', 'provider')
  async forAppointment(@Param('appointmentId', ParseUUIDPipe) appointmentId: string, @CurrentActor() actor: AuthenticatedActor) {
    const visitId = visitIdForAppointment(appointmentId);
    const visit = await participantVisit(this.store, visitId, actor);
    return { visitId, status: visit.status };
  }

  @Post('v1/visits/:visitId/check-in')
  @HttpCode(200)
  @Roles('patient')
  async checkIn(@Param('visitId', ParseUUIDPipe) visitId: string, @Body() body: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const b = parseBody(checkInBody, body);
    await participantVisit(this.store, visitId, actor);
    const result = await handle(this.store, visitStreamId(visitId), visitDecider, {
      type: 'CheckIn',
      data: { locationState: b.locationState, ...(b.device && { device: b.device }), policy: { checkInOpensMinutesBefore: this.policy.checkInOpensMinutesBefore, checkInClosesMinutesAfterStart: this.policy.checkInClosesMinutesAfterStart } },
      metadata: commandMetadata(actor, this.clock.now()),
    });
    await this.readModels.include(result.newEvents);
    const checkIn = result.state.status === 'none' ? undefined : result.state.record.checkIn;
    return { visitId, status: result.state.status, videoReady: checkIn?.videoProblems.length === 0, videoProblems: checkIn?.videoProblems ?? [] };
  }

  @Post('v1/visits/:visitId/leave')
  @HttpCode(200)
  @Roles('patient')
  async leave(@Param('visitId', ParseUUIDPipe) visitId: string, @CurrentActor() actor: AuthenticatedActor) {
    const visit = await participantVisit(this.store, visitId, actor);
    const now = this.clock.now();
    const result = await handle(this.store, visitStreamId(visitId), visitDecider, {
      type: 'LeaveWaitingRoom',
      data: {},
      metadata: commandMetadata(actor, now),
    });
    const location = visit.record.checkIn?.locationState;
    if (visit.record.visit.kind === 'on-demand' && location !== undefined) {
      // Out of the urgent-care queue too, so no provider takes a patient who has gone.
      await handle(this.store, urgentCareQueueStreamId(location), urgentCareQueueDecider, {
        type: 'LeaveQueue',
        data: { visitId },
        metadata: commandMetadata(actor, now),
      });
    }
    await this.readModels.include(result.newEvents);
    return { visitId, status: result.state.status };
  }

  /** The provider admits a waiting patient; their licence in the patient's confirmed location is checked again now. */
  @Post('v1/visits/:visitId/admit')
  @HttpCode(200)
  @Roles('provider')
  async admit(@Param('visitId', ParseUUIDPipe) visitId: string, @CurrentActor() actor: AuthenticatedActor) {
    const providerId = providerIdOf(actor);
    await participantVisit(this.store, visitId, actor);
    const licenceEvents = await this.store.readStream(providerStreamId(providerId));
    const provider = licenceEvents.reduce((s, e) => providerDecider.evolve(s, e as unknown as ProviderEvent), providerDecider.initialState());
    const result = await handle(this.store, visitStreamId(visitId), visitDecider, {
      type: 'AdmitPatient',
      data: { providerId, licences: provider.status === 'known' ? provider.licences : [] },
      metadata: commandMetadata(actor, this.clock.now()),
    });
    await this.readModels.include(result.newEvents);
    const admitted = result.state.status === 'none' ? undefined : result.state.record.admitted;
    return { visitId, status: result.state.status, locationState: admitted?.locationState, licenceState: admitted?.licence.state, waitedSeconds: admitted?.waitedSeconds };
  }

  /** Who is waiting for me, and for how long. */
  @Get('v1/waiting-room')
  @Roles('provider')
  async waiting(@CurrentActor() actor: AuthenticatedActor) {
    const providerId = providerIdOf(actor);
    const now = this.clock.now().getTime();
    const waiting = await this.readModels.waitingFor(providerId);
    return {
      providerId,
      patients: waiting.map((w) => ({ ...w, waitingSeconds: Math.max(0, Math.round((now - Date.parse(w.checkedInAt)) / 1000)) })),
    };
  }
}
