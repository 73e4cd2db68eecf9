import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { AppointmentBooked, AppointmentCancelled, AppointmentRescheduled } from '@carebridge/contracts';
import { handle } from '@carebridge/event-store';
import { IntegrationEventContext, IntegrationEventHandler, type ReceivedEvent } from '@carebridge/messaging';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import { visitDecider } from '../visit/visit.decider';
import { visitIdForAppointment, visitStreamId } from '../visit/visit.stream';

function metadataOf(event: ReceivedEvent): CommandMetadata {
  return {
    now: new Date(event.time),
    actor: { id: 'scheduling', role: 'system' },
    correlationId: event.correlationid,
    causationId: event.id,
    commandId: event.id,
    ...(event.traceparent !== undefined && { traceparent: event.traceparent }),
    purpose: 'treatment',
  };
}

/**
 * scheduling's appointment events -> the visit session of the appointment. The visit id follows
 * from the appointment id, so a booking delivered twice opens one visit. In-person appointments
 * have no virtual visit; a change to an appointment we never opened (in person) is ignored.
 * Writes go through `ctx.store`, the inbox's transaction (see IntegrationEventContext).
 */
@Controller()
export class SchedulingEventsConsumer {
  @IntegrationEventHandler(AppointmentBooked)
  async appointmentBooked(@Payload() event: ReceivedEvent<typeof AppointmentBooked.Data>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
    const d = event.data;
    if (d.modality === 'in-person') return;
    const visitId = visitIdForAppointment(d.appointmentId);
    await handle(ctx.store, visitStreamId(visitId), visitDecider, {
      type: 'OpenVisit',
      data: {
        visitId,
        kind: 'scheduled',
        patientId: d.patientId,
        providerId: d.providerId,
        appointmentId: d.appointmentId,
        modality: d.modality,
        patientState: d.patientState,
        scheduledStart: d.startsAt,
        scheduledEnd: d.endsAt,
      },
      metadata: metadataOf(event),
    });
  }

  @IntegrationEventHandler(AppointmentRescheduled)
  async appointmentRescheduled(@Payload() event: ReceivedEvent<typeof AppointmentRescheduled.Data>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
    const stream = visitStreamId(visitIdForAppointment(event.data.appointmentId));
    if ((await ctx.store.readStream(stream)).length === 0) return;
    await handle(ctx.store, stream, visitDecider, {
      type: 'RescheduleVisit',
      data: { scheduledStart: event.data.startsAt, scheduledEnd: event.data.endsAt },
      metadata: metadataOf(event),
    });
  }

  @IntegrationEventHandler(AppointmentCancelled)
  async appointmentCancelled(@Payload() event: ReceivedEvent<typeof AppointmentCancelled.Data>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
    const stream = visitStreamId(visitIdForAppointment(event.data.appointmentId));
    if ((await ctx.store.readStream(stream)).length === 0) return;
    await handle(ctx.store, stream, visitDecider, {
      type: 'CancelVisit',
      data: { reasonCode: event.data.reasonCode },
      metadata: metadataOf(event),
    });
  }
}
