import { Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { type DefinedIntegrationEvent, FollowUpRequested, PatientCheckedIn } from '@carebridge/contracts';
import { handle } from '@carebridge/event-store';
import { type HandlerBinding, on } from '@carebridge/messaging';
import { type AttendancePolicy, DEFAULT_ATTENDANCE_POLICY } from '../provider-day/attendance.rules';
import {
  AppointmentNotChangeableError,
  AppointmentNotFoundError,
  CheckInClosedError,
  providerDayDecider,
} from '../provider-day/provider-day.decider';
import { waitlistDecider } from '../waitlist/waitlist.decider';
import { waitlistStreamId } from '../waitlist/waitlist.stream';

export interface VisitsConsumerDeps {
  /** Tests read a topic of their own; production the contract's. */
  readonly topic?: string;
  /**
   * The provider-day stream that holds the appointment (appointments read model), read through
   * the handler's transaction (`db`), as the eligibility consumer does.
   */
  readonly streamOf: (appointmentId: string, db: PoolClient) => Promise<string | null | undefined>;
  /** The clinic's attendance policy (grace period); the default unless configured. */
  readonly attendance?: AttendancePolicy;
}

const logger = new Logger('VisitsConsumer');

type VisitsBinding = HandlerBinding<typeof FollowUpRequested.Data> | HandlerBinding<typeof PatientCheckedIn.Data>;

const onTopic = <Data>(definition: DefinedIntegrationEvent<Data>, topic: string | undefined): DefinedIntegrationEvent<Data> =>
  topic === undefined ? definition : { ...definition, topic };

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
 * retrying it would never succeed. An appointment missing from our read model is retried (then
 * dead-lettered), as for eligibility answers.
 */
export function visitsHandlers(deps: VisitsConsumerDeps): VisitsBinding[] {
  const attendance = deps.attendance ?? DEFAULT_ATTENDANCE_POLICY;
  return [
    on(onTopic(FollowUpRequested, deps.topic), async (event, { store }) => {
      const d = event.data;
      await handle(store!, waitlistStreamId(d.followUpId), waitlistDecider, {
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
    }),
    on(onTopic(PatientCheckedIn, deps.topic), async (event, { store, client }) => {
      const d = event.data;
      if (d.appointmentId === undefined) return; // an on-demand visit: no appointment of ours
      const streamId = await deps.streamOf(d.appointmentId, client);
      // Not (yet) in our read model: not-found is retried, since topics arrive in any order.
      if (streamId === undefined) throw new AppointmentNotFoundError(`Appointment ${d.appointmentId} not found`);
      // Never booked here: nothing to check in (retrying would only hold up the partition).
      if (streamId === null) return void logger.warn(`visits' check-in ${event.id} names appointment ${d.appointmentId}, unknown here: ignored`);
      try {
        await handle(store!, streamId, providerDayDecider, {
          type: 'CheckIn',
          data: { appointmentId: d.appointmentId, policy: attendance, reportedBy: 'visits' },
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
        if (error instanceof AppointmentNotChangeableError || error instanceof CheckInClosedError) {
          logger.warn(`visits' check-in of appointment ${d.appointmentId} not recorded (event ${event.id}): ${error.code} ${error.message}`);
          return;
        }
        throw error;
      }
    }),
  ];
}
