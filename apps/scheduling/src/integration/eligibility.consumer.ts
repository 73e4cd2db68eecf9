import { Logger } from '@nestjs/common';
import { EligibilityDetermined } from '@carebridge/contracts';
import { handle } from '@carebridge/event-store';
import { type HandlerBinding, on } from '@carebridge/messaging';
import type { PoolClient } from 'pg';
import { AppointmentNotFoundError, providerDayDecider } from '../provider-day/provider-day.decider';

export interface EligibilityConsumerDeps {
  /**
   * The provider-day stream that holds the appointment (appointments read model), read through
   * the handler's transaction (`db`): on the embedded profile's single-session PGlite another pool
   * connection would wait for this transaction to end.
   */
  readonly streamOf: (appointmentId: string, db: PoolClient) => Promise<string | null | undefined>;
  /** Tests read a topic of their own; production the contract's. */
  readonly topic?: string;
}

const logger = new Logger('EligibilityConsumer');

/** billing-eligibility's answer for an appointment -> RecordCoverage on the appointment's day. */
export function eligibilityHandlers(deps: EligibilityConsumerDeps): HandlerBinding<typeof EligibilityDetermined.Data>[] {
  const definition = deps.topic === undefined ? EligibilityDetermined : { ...EligibilityDetermined, topic: deps.topic };
  return [
    on(definition, async (event, { store, client }) => {
      const d = event.data;
      if (d.appointmentId === undefined) return; // an RPM period, not an appointment
      const streamId = await deps.streamOf(d.appointmentId, client);
      // Not (yet) in our read model: not-found is retried, since topics arrive in any order.
      if (streamId === undefined) throw new AppointmentNotFoundError(`Appointment ${d.appointmentId} not found`);
      // Never booked here: nothing to show it on (retrying would only hold up the partition).
      if (streamId === null) return void logger.warn(`eligibility answer ${event.id} names appointment ${d.appointmentId}, unknown here: ignored`);
      await handle(store!, streamId, providerDayDecider, {
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
    }),
  ];
}
