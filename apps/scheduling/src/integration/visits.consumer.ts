import { type DefinedIntegrationEvent, FollowUpRequested } from '@carebridge/contracts';
import { handle } from '@carebridge/event-store';
import { type HandlerBinding, on } from '@carebridge/messaging';
import { waitlistDecider } from '../waitlist/waitlist.decider';
import { waitlistStreamId } from '../waitlist/waitlist.stream';

export interface VisitsConsumerDeps {
  /** Tests read a topic of their own; production the contract's. */
  readonly topic?: string;
}

/**
 * visits' in-person follow-up request -> a waitlist entry for an in-person appointment with the
 * same provider, from now until the follow-up is due. The entry id is the follow-up id, so the
 * patient (and visits' after-visit summary) can find it at `/v1/waitlist/<followUpId>`.
 */
export function visitsHandlers(deps: VisitsConsumerDeps = {}): HandlerBinding<typeof FollowUpRequested.Data>[] {
  const definition: DefinedIntegrationEvent<typeof FollowUpRequested.Data> =
    deps.topic === undefined ? FollowUpRequested : { ...FollowUpRequested, topic: deps.topic };
  return [
    on(definition, async (event, { store }) => {
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
  ];
}
