import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { z } from 'zod';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { commandMetadata } from '../visits.http-support';
import type { ReadModels } from '../visits.projection';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../visits.tokens';
import { participantVisit, providerIdOf } from './visit.access';
import { visitDecider } from './visit.decider';
import { derivedUuid, visitStreamId } from './visit.stream';
import { afterVisitSummary } from './visit.views';
import type { OpenedVisit } from './visit.access';

const code = z.string().regex(/^[a-z][a-z0-9-]{1,60}$/, 'must be a lower-case code');
export const escalateBody = z.strictObject({ redFlags: z.array(code).min(1).max(20) });
export const completeBody = z.strictObject({
  disposition: z.enum(['resolved', 'in-person-follow-up', 'specialist-referral']),
  followUp: z.strictObject({ reasonCode: code, withinDays: z.number().int().min(1).max(365) }).optional(),
  referral: z.strictObject({ specialty: code, reasonCode: code }).optional(),
  prescriptions: z
    .array(
      z.strictObject({
        rxnormCode: z.string().regex(/^\d{1,10}$/, 'must be an RxNorm concept id'),
        name: z.string().min(1).max(300),
        sig: z.string().min(1).max(1_000),
        quantity: z.strictObject({ value: z.number().positive(), unit: z.string().min(1).max(40) }),
        daysSupply: z.number().int().positive().max(365),
        refills: z.number().int().min(0).max(11),
      }),
    )
    .max(10)
    .default([]),
  instructions: z.string().min(1).max(20_000),
});

/** How the visit ends: an outcome, or an emergency escalation. */
@Controller('v1/visits/:visitId')
export class OutcomeController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Red flags: the visit ends as an emergency referral and the patient gets the emergency instruction. */
  @Post('escalate')
  @HttpCode(200)
  @Roles('provider')
  async escalate(@Param('visitId', ParseUUIDPipe) visitId: string, @Body() body: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const b = parseBody(escalateBody, body);
    await participantVisit(this.store, visitId, actor);
    const result = await handle(this.store, visitStreamId(visitId), visitDecider, {
      type: 'EscalateToEmergency',
      data: { providerId: providerIdOf(actor), redFlags: b.redFlags },
      metadata: commandMetadata(actor, this.clock.now()),
    });
    await this.readModels.include(result.newEvents);
    return afterVisitSummary(result.state as OpenedVisit);
  }

  /** Completes the visit; the answer is the after-visit summary. Prescription intents and the follow-up go out as events. */
  @Post('complete')
  @HttpCode(200)
  @Roles('provider')
  async complete(@Param('visitId', ParseUUIDPipe) visitId: string, @Body() body: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const b = parseBody(completeBody, body);
    await participantVisit(this.store, visitId, actor);
    const result = await handle(this.store, visitStreamId(visitId), visitDecider, {
      type: 'CompleteVisit',
      data: {
        providerId: providerIdOf(actor),
        disposition: b.disposition,
        // One follow-up and one prescription intent per visit and position: a retried completion names the same ids.
        ...(b.followUp && { followUp: { followUpId: derivedUuid('follow-up', visitId), ...b.followUp } }),
        ...(b.referral && { referral: b.referral }),
        prescriptions: b.prescriptions.map((p, i) => ({ intentId: derivedUuid(`prescription-intent:${visitId}`, String(i)), ...p })),
        instructions: b.instructions,
      },
      metadata: commandMetadata(actor, this.clock.now()),
    });
    await this.readModels.include(result.newEvents);
    return afterVisitSummary(result.state as OpenedVisit);
  }
}
