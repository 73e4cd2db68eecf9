import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import type { EventStore } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { AppointmentRow } from './appointments.projection';
import type { Clock } from '../clock.port';
import { assertMayActFor, commandMetadata } from '../scheduling.http-support';
import type { ReadModels } from '../read-models.projection';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../scheduling.tokens';
import type { ReviewTriage } from './appointment.commands';
import { TRIAGE_REVIEW_DECISIONS } from './appointment.events';
import { triageReviewCancels } from './appointment.rules';
import { appointmentStep, changeAppointment } from './appointment.stream';
import { releaseSteps } from './change-appointment.http';

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
    const metadata = commandMetadata(actor, this.clock.now());
    const review: ReviewTriage = { type: 'ReviewTriage', data: { appointmentId, decision: b.decision, ...(b.note !== undefined && { note: b.note }) }, metadata };
    const result = await changeAppointment(this.store, appointmentId, async (appointment, version) => {
      assertMayActFor(actor, { providerId: appointment.booking.providerId });
      // A review that cancels frees the lead's and the other providers' time in the same write.
      const releases = triageReviewCancels(appointment, b.decision, metadata.now)
        ? await releaseSteps(this.store, appointment.booking, `triage-review-${b.decision}`, metadata)
        : [];
      return [appointmentStep(review, version), ...releases];
    });
    await this.readModels.include(result.newEvents);
    const current = (await this.readModels.appointments.byId(appointmentId))!;
    return { appointmentId, status: current.status, triageReview: current.triageReview };
  }
}
