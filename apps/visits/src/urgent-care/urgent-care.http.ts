import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { z } from 'zod';
import { type EventStore, type RecordedEvent, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { commandMetadata, requireIdempotencyKey } from '../visits.http-support';
import { NotOnDutyError, licensedStates, providerDecider } from '../provider/provider.decider';
import type { ProviderEvent } from '../provider/provider.events';
import { providerStreamId } from '../provider/provider.stream';
import type { ReadModels } from '../visits.projection';
import { checkInBody } from '../visit/waiting-room.http';
import { participantVisit, patientIdOf, providerIdOf } from '../visit/visit.access';
import { visitDecider } from '../visit/visit.decider';
import { derivedUuid, visitStreamId } from '../visit/visit.stream';
import type { VisitsPolicy } from '../visits.policy';
import { CLOCK, EVENT_STORE, READ_MODELS, VISITS_POLICY } from '../visits.tokens';
import { estimatedWaitMinutes } from './estimated-wait.rules';
import { NoPatientWaitingError, type UrgentCareQueueState, positionOf, urgentCareQueueDecider } from './urgent-care-queue.decider';
import type { PatientTaken, UrgentCareQueueEvent } from './urgent-care-queue.events';
import { urgentCareQueueStreamId } from './urgent-care-queue.stream';

export const joinQueueBody = checkInBody.extend({
  modality: z.enum(['video', 'phone']).default('video'),
});

const fold = (events: readonly RecordedEvent[]): UrgentCareQueueState =>
  events.reduce((s, e) => urgentCareQueueDecider.evolve(s, e as unknown as UrgentCareQueueEvent), urgentCareQueueDecider.initialState());

/**
 * On-demand urgent care: one queue per state the patient is in. The next available provider
 * (on duty, licensed in that state, asking for the next patient) takes whoever has waited longest
 * among the queues of the states they are licensed in.
 */
@Controller('v1/urgent-care')
export class UrgentCareController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(VISITS_POLICY) private readonly policy: VisitsPolicy,
  ) {}

  private async place(state: string, visitId: string) {
    const queue = fold(await this.store.readStream(urgentCareQueueStreamId(state)));
    const position = positionOf(queue, visitId);
    if (position === undefined) return { position: null, estimatedWaitMinutes: null, providerId: queue.taken[visitId] ?? null };
    const now = this.clock.now();
    const onDuty = await this.readModels.providersOnDuty(state, now);
    const workloads = onDuty.map((p) => ({
      inVisitForMinutes: p.inVisitSince === null ? null : (now.getTime() - Date.parse(p.inVisitSince)) / 60_000,
      waiting: p.waiting,
    }));
    return {
      position,
      providersOnDuty: onDuty.length,
      providersInVisit: onDuty.filter((p) => p.inVisitSince !== null).length,
      estimatedWaitMinutes: estimatedWaitMinutes(position, workloads, this.policy.urgentCareAverageVisitMinutes),
      providerId: null,
    };
  }

  /** The patient joins the queue of the state they are in, checked in (device check) at once. */
  @Post('queue')
  @Roles('patient')
  async join(@Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentActor() actor: AuthenticatedActor) {
    const commandId = requireIdempotencyKey(key, actor);
    const b = parseBody(joinQueueBody, body);
    const patientId = patientIdOf(actor);
    const visitId = derivedUuid(`urgent-care:${patientId}`, commandId);
    const now = this.clock.now();
    const stream = visitStreamId(visitId);
    // Visit first, then the queue: a retry with the same key completes whichever step is missing.
    await handle(this.store, stream, visitDecider, {
      type: 'OpenVisit',
      data: { visitId, kind: 'on-demand', patientId, modality: b.modality, patientState: b.locationState },
      metadata: commandMetadata(actor, now, { commandId: `${commandId}:open` }),
    });
    const checkedIn = await handle(this.store, stream, visitDecider, {
      type: 'CheckIn',
      data: { locationState: b.locationState, ...(b.device && { device: b.device }), policy: { checkInOpensMinutesBefore: 0 } },
      metadata: commandMetadata(actor, now, { commandId: `${commandId}:check-in` }),
    });
    await handle(this.store, urgentCareQueueStreamId(b.locationState), urgentCareQueueDecider, {
      type: 'JoinQueue',
      data: { visitId, patientId },
      metadata: commandMetadata(actor, now, { commandId }),
    });
    await this.readModels.include(checkedIn.newEvents);
    return { visitId, state: b.locationState, ...(await this.place(b.locationState, visitId)) };
  }

  /** Where I am in the queue and how long it should take; once taken, who took me. */
  @Get('queue/:visitId')
  @Roles('patient', 'provider')
  async status(@Param('visitId', ParseUUIDPipe) visitId: string, @CurrentActor() actor: AuthenticatedActor) {
    const visit = await participantVisit(this.store, visitId, actor);
    const state = visit.record.checkIn?.locationState ?? visit.record.visit.patientState!;
    return { visitId, status: visit.status, state, ...(await this.place(state, visitId)) };
  }

  /** The provider takes the next patient: the longest-waiting one among the states they hold a valid licence in. */
  @Post('next')
  @HttpCode(200)
  @Roles('provider')
  async next(@Headers('idempotency-key') key: string | undefined, @CurrentActor() actor: AuthenticatedActor) {
    const providerId = providerIdOf(actor);
    const commandId = `next:${providerId}:${requireIdempotencyKey(key, actor)}`;
    const now = this.clock.now();
    const licenceEvents = await this.store.readStream(providerStreamId(providerId));
    const provider = licenceEvents.reduce((s, e) => providerDecider.evolve(s, e as unknown as ProviderEvent), providerDecider.initialState());
    if (provider.status !== 'known' || !provider.onDuty) throw new NotOnDutyError('Go on urgent-care duty before taking patients');
    const states = licensedStates(provider, now);

    const queues = await Promise.all(states.map(async (state) => ({ state, events: await this.store.readStream(urgentCareQueueStreamId(state)) })));
    // A retried request (same key) answers with the patient it already took.
    let taken = queues.flatMap((q) => q.events).find((e) => e.metadata.commandId === commandId && e.type === 'PatientTaken');
    if (taken === undefined) {
      const heads = queues
        .map((q) => ({ state: q.state, head: fold(q.events).waiting[0] }))
        .filter((q) => q.head !== undefined)
        .sort((a, b) => a.head!.joinedAt.localeCompare(b.head!.joinedAt));
      for (const { state } of heads) {
        try {
          const result = await handle(this.store, urgentCareQueueStreamId(state), urgentCareQueueDecider, {
            type: 'TakeNextPatient',
            data: { providerId },
            metadata: commandMetadata(actor, now, { commandId }),
          });
          taken = result.newEvents.find((e) => e.type === 'PatientTaken');
          break;
        } catch (error) {
          if (!(error instanceof NoPatientWaitingError)) throw error; // emptied meanwhile: try the next state
        }
      }
    }
    if (taken === undefined) throw new NoPatientWaitingError('No patient is waiting in the states you are licensed in');
    const d = taken.data as PatientTaken['data'];
    const assigned = await handle(this.store, visitStreamId(d.visitId), visitDecider, {
      type: 'AssignProvider',
      data: { providerId },
      metadata: commandMetadata(actor, now, { commandId }),
    });
    await this.readModels.include(assigned.newEvents);
    return { visitId: d.visitId, patientId: d.patientId, waitedSeconds: d.waitedSeconds };
  }
}
