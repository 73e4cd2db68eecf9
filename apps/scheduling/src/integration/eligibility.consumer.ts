import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EligibilityDetermined } from '@carebridge/contracts';
import { handle } from '@carebridge/event-store';
import { IntegrationEventContext, IntegrationEventHandler, type ReceivedEvent } from '@carebridge/messaging';
import { AppointmentStreams } from '../appointments/appointment-streams';
import { AppointmentNotFoundError, providerDayDecider } from '../provider-day/provider-day.decider';

/**
 * billing-eligibility's answer for an appointment -> RecordCoverage on the appointment's day.
 * Writes and reads go through `ctx`, the inbox's transaction (see IntegrationEventContext).
 */
@Controller()
export class EligibilityEventsConsumer {
  private readonly logger = new Logger('EligibilityConsumer');

  constructor(private readonly appointments: AppointmentStreams) {}

  @IntegrationEventHandler(EligibilityDetermined)
  async eligibilityDetermined(@Payload() event: ReceivedEvent<typeof EligibilityDetermined.Data>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
    const d = event.data;
    if (d.appointmentId === undefined) return; // an RPM period, not an appointment
    const streamId = await this.appointments.streamOf(d.appointmentId, ctx.client);
    // Not (yet) in our read model: not-found is retried, since topics arrive in any order.
    if (streamId === undefined) throw new AppointmentNotFoundError(`Appointment ${d.appointmentId} not found`);
    // Never booked here: nothing to show it on (retrying would only hold up the partition).
    if (streamId === null) return void this.logger.warn(`eligibility answer ${event.id} names appointment ${d.appointmentId}, unknown here: ignored`);
    await handle(ctx.store, streamId, providerDayDecider, {
      type: 'RecordCoverage',
      data: { appointmentId: d.appointmentId, determinationId: d.determinationId, outcome: d.outcome, reasonCodes: d.reasonCodes },
      metadata: {
        now: new Date(event.time),
        actor: { id: 'billing-eligibility', role: 'system' },
        correlationId: event.correlationid,
        causationId: event.id,
        commandId: event.id,
        ...(event.traceparent !== undefined && { traceparent: event.traceparent }),
        purpose: 'payment',
      },
    });
  }
}
