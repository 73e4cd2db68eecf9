import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { AppointmentRow } from '../appointments/appointments.projection';
import type { Clock } from '../clock';
import { assertMayActFor, commandMetadata } from '../http-support';
import type { ReadModels } from '../read-models';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../scheduling.tokens';
import { AppointmentNotFoundError, providerDayDecider } from './provider-day.decider';
import { TRIAGE_REVIEW_DECISIONS } from './provider-day.events';
import { termsAt } from './provider-terms';

export const triageReviewBody = z.strictObject({
  decision: z.enum(TRIAGE_REVIEW_DECISIONS).describe('virtual-ok keeps the visit; in-person and emergency cancel a video or phone visit (the patient is contacted)'),
  note: z.string().min(1).max(2000).optional(),
});
export const triageQueueQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** The queue entry: ids, time and which rules asked for review. The patient's words are read through the intake (recorded). */
const entry = (row: AppointmentRow) => ({
  appointmentId: row.appointmentId,
  providerId: row.providerId,
  patientId: row.patientId,
  start: row.start,
  end: row.end,
  modality: row.modality,
  status: row.status,
  rules: row.triage?.rules ?? [],
  rulesVersion: row.triage?.rulesVersion ?? null,
  intake: `/v1/appointments/${row.appointmentId}/intake?purpose=treatment`,
});

/**
 * Needs-review intakes: booked, but a nurse or provider reviews what the patient wrote before the
 * visit. Providers see and review their own appointments; ops see every queue entry (to route it)
 * but do not review.
 */
@Controller('v1')
export class TriageReviewController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('triage-reviews')
  @Roles('provider', 'ops')
  async queue(@Query() query: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const { limit } = parseBody(triageQueueQuery, query, 'query');
    const rows = await this.readModels.appointments.awaitingReview({ ...(actor.role === 'provider' && { providerId: actor.providerId! }), limit });
    return { reviews: rows.map(entry) };
  }

  @Post('appointments/:appointmentId/triage-review')
  @HttpCode(200)
  @Roles('provider')
  async review(@Param('appointmentId', ParseUUIDPipe) appointmentId: string, @Body() body: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const b = parseBody(triageReviewBody, body);
    const row = await this.readModels.appointments.byId(appointmentId);
    if (row === undefined) throw new AppointmentNotFoundError(`Appointment ${appointmentId} not found`);
    assertMayActFor(actor, { providerId: row.providerId });
    const metadata = commandMetadata(actor, this.clock.now());
    const result = await handle(this.store, row.streamId, providerDayDecider, {
      type: 'ReviewTriage',
      data: { appointmentId, decision: b.decision, ...(b.note !== undefined && { note: b.note }) },
      metadata,
    });
    const events = [...result.newEvents];
    // A cancellation frees the other providers' time too (each release is idempotent).
    if (result.newEvents.some((e) => e.type === 'AppointmentCancelled')) {
      for (const participantId of row.additionalProviderIds) {
        const { streamId } = await termsAt(this.store, participantId, row.start);
        const released = await handle(this.store, streamId, providerDayDecider, { type: 'ReleaseParticipant', data: { appointmentId, reasonCode: `triage-review-${b.decision}` }, metadata });
        events.push(...released.newEvents);
      }
    }
    await this.readModels.include(events);
    const current = (await this.readModels.appointments.byId(appointmentId))!;
    return { appointmentId, status: current.status, triageReview: current.triageReview };
  }
}
