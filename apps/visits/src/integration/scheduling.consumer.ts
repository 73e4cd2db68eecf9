import { AppointmentBooked, AppointmentCancelled, AppointmentRescheduled, type DefinedIntegrationEvent } from '@carebridge/contracts';
import { handle } from '@carebridge/event-store';
import { type HandlerBinding, type ReceivedEvent, on } from '@carebridge/messaging';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import { visitDecider } from '../visit/visit.decider';
import { visitIdForAppointment, visitStreamId } from '../visit/visit.stream';

export interface SchedulingConsumerDeps {
  /** Tests read a topic of their own; production the contract's. */
  readonly topic?: string;
}

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
 */
export function schedulingHandlers(deps: SchedulingConsumerDeps = {}): HandlerBinding<any>[] {
  const onTopic = <D>(definition: DefinedIntegrationEvent<D>): DefinedIntegrationEvent<D> =>
    deps.topic === undefined ? definition : { ...definition, topic: deps.topic };
  return [
    on(onTopic(AppointmentBooked), async (event, { store }) => {
      const d = event.data;
      if (d.modality === 'in-person') return;
      const visitId = visitIdForAppointment(d.appointmentId);
      await handle(store!, visitStreamId(visitId), visitDecider, {
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
    }),
    on(onTopic(AppointmentRescheduled), async (event, { store }) => {
      const stream = visitStreamId(visitIdForAppointment(event.data.appointmentId));
      if ((await store!.readStream(stream)).length === 0) return;
      await handle(store!, stream, visitDecider, {
        type: 'RescheduleVisit',
        data: { scheduledStart: event.data.startsAt, scheduledEnd: event.data.endsAt },
        metadata: metadataOf(event),
      });
    }),
    on(onTopic(AppointmentCancelled), async (event, { store }) => {
      const stream = visitStreamId(visitIdForAppointment(event.data.appointmentId));
      if ((await store!.readStream(stream)).length === 0) return;
      await handle(store!, stream, visitDecider, {
        type: 'CancelVisit',
        data: { reasonCode: event.data.reasonCode },
        metadata: metadataOf(event),
      });
    }),
  ];
}
