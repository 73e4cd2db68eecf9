import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { FollowUpRequested, PatientCheckedIn } from '@carebridge/contracts';
import { handle } from '@carebridge/event-store';
import { IntegrationEventContext, IntegrationEventHandler, type ReceivedEvent } from '@carebridge/messaging';
import { appointmentDecider } from '../appointment/appointment.decider';
import { appointmentStreamId } from '../appointment/appointment.stream';
import { AppointmentNotChangeableError, AppointmentNotFoundError, CheckInClosedError } from '../appointment/appointment.errors';
import type { SchedulingPolicy } from '../scheduling.policy';
import { SCHEDULING_POLICY } from '../scheduling.tokens';
import { waitlistDecider } from '../waitlist/waitlist.decider';
import { waitlistStreamId } from '../waitlist/waitlist.stream';

/**
 * visits' in-person follow-up request -> a waitlist entry for an in-person appointment with the
 * same provider, from now until the follow-up is due. The entry id is the follow-up id, so the
 * patient (and visits' after-visit summary) can find it at `/v1/waitlist/<followUpId>`.
 *
 * visits' check-in (the patient is in the waiting room) -> CheckIn on the appointment, so the
 * no-show job does not mark a patient who only checked in there. The check-in is recorded at
 * visits' time and before our window opens (visits opens earlier); one we already have is a
 * no-op. A check-in scheduling cannot take any more (appointment cancelled or already a no-show,
 * or later than our grace period) is logged and left: visits' event stays true for visits, and
 * retrying it would never succeed. An appointment we never booked is logged and left too (its
 * stream is written before visits can hear of it).
 * Writes and reads go through `ctx`, the inbox's transaction (see IntegrationEventContext).
 */
@Controller()
export class VisitsEventsConsumer {
  private readonly logger = new Logger('VisitsConsumer');

  constructor(@Inject(SCHEDULING_POLICY) private readonly policy: SchedulingPolicy) {}

  @IntegrationEventHandler(FollowUpRequested)
  async followUpRequested(@Payload() event: ReceivedEvent<typeof FollowUpRequested.Data>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
    const d = event.data;
    await handle(ctx.store, waitlistStreamId(d.followUpId), waitlistDecider, {
      type: 'JoinWaitlist',
      data: {
        entryId: d.followUpId,
        patientId: d.patientId,
        providerId: d.providerId,
        modality: d.modality,
        patientState: d.patientState,
        from: new Date(event.time).toISOString(),
        to: d.dueBy,
      },
      metadata: {
        now: new Date(event.time),
        actor: { id: 'visits', role: 'system' },
        correlationId: event.correlationid,
        causationId: event.id,
        commandId: event.id,
        ...(event.traceparent !== undefined && { traceparent: event.traceparent }),
        purpose: 'treatment',
      },
    });
  }

  @IntegrationEventHandler(PatientCheckedIn)
  async patientCheckedIn(@Payload() event: ReceivedEvent<typeof PatientCheckedIn.Data>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
    const d = event.data;
    if (d.appointmentId === undefined) return; // an on-demand visit: no appointment of ours
    try {
      await handle(ctx.store, appointmentStreamId(d.appointmentId), appointmentDecider, {
        type: 'CheckIn',
        data: { appointmentId: d.appointmentId, policy: this.policy.attendance, reportedBy: 'visits' },
        metadata: {
          now: new Date(d.checkedInAt),
          actor: { id: 'visits', role: 'system' },
          correlationId: event.correlationid,
          causationId: event.id,
          commandId: `visits-check-in:${event.id}`,
          ...(event.traceparent !== undefined && { traceparent: event.traceparent }),
          purpose: 'treatment',
        },
      });
    } catch (error) {
      // Never booked here (the appointment's stream is written before anyone hears of it): nothing to check in.
      if (error instanceof AppointmentNotFoundError) {
        this.logger.warn(`visits' check-in ${event.id} names appointment ${d.appointmentId}, unknown here: ignored`);
        return;
      }
      if (error instanceof AppointmentNotChangeableError || error instanceof CheckInClosedError) {
        this.logger.warn(`visits' check-in of appointment ${d.appointmentId} not recorded (event ${event.id}): ${error.code} ${error.message}`);
        return;
      }
      throw error;
    }
  }
}
