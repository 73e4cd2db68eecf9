import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EligibilityDetermined } from '@carebridge/contracts';
import { handle } from '@carebridge/event-store';
import { IntegrationEventContext, IntegrationEventHandler, type ReceivedEvent } from '@carebridge/messaging';
import { appointmentDecider } from '../appointment/appointment.decider';
import { AppointmentNotFoundError } from '../appointment/appointment.errors';
import { appointmentStreamId } from '../appointment/appointment.stream';

/**
 * billing-eligibility's answer for an appointment -> RecordCoverage on the appointment's stream.
 * Writes and reads go through `ctx`, the inbox's transaction (see IntegrationEventContext).
 */
@Controller()
export class EligibilityEventsConsumer {
  private readonly logger = new Logger('EligibilityConsumer');

  @IntegrationEventHandler(EligibilityDetermined)
  async eligibilityDetermined(@Payload() event: ReceivedEvent<typeof EligibilityDetermined.Data>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
    const d = event.data;
    if (d.appointmentId === undefined) return; // an RPM period, not an appointment
    try {
      await this.record(event, ctx);
    } catch (error) {
      // Never booked here (the appointment's stream is written before anyone hears of it): nothing to show it on.
      if (!(error instanceof AppointmentNotFoundError)) throw error;
      this.logger.warn(`eligibility answer ${event.id} names appointment ${d.appointmentId}, unknown here: ignored`);
    }
  }

  private async record(event: ReceivedEvent<typeof EligibilityDetermined.Data>, ctx: IntegrationEventContext): Promise<void> {
    const d = event.data as typeof event.data & { appointmentId: string };
    await handle(ctx.store, appointmentStreamId(d.appointmentId), appointmentDecider, {
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
