import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { AppointmentBooked, AppointmentCancelled, AppointmentRescheduled, RpmPeriodClosed } from '@carebridge/contracts';
import { type EventStore, handle } from '@carebridge/event-store';
import { IntegrationEventContext, IntegrationEventHandler, type ReceivedEvent } from '@carebridge/messaging';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import { coverageOn } from '../coverage/coverage.decider';
import { readCoverage } from '../coverage/coverage.projection';
import { deterministicUuid } from '../eligibility/determination-id.rules';
import { eligibilityDecider } from '../eligibility/eligibility.decider';
import type { EligibilityRequest } from '../eligibility/eligibility.events';
import { latestRequestOf, readDeterminations } from '../eligibility/eligibility.projection';
import { eligibilityStreamId } from '../eligibility/eligibility.stream';
import { requestFromBooking, requestFromRpmPeriod, requestMovedTo } from './inbound-requests.mapping';
import { EligibilityInputError, determine } from '../rules/determine.rules';
import type { RuleCatalog } from '../rules/rule-set.rules';
import { RULE_CATALOG } from '../billing-eligibility.tokens';

function metadataOf(event: ReceivedEvent, from: string): CommandMetadata {
  return {
    now: new Date(),
    actor: { id: from, role: 'system' },
    correlationId: event.correlationid,
    causationId: event.id,
    commandId: event.id,
    ...(event.traceparent !== undefined && { traceparent: event.traceparent }),
    purpose: 'payment',
  };
}

/**
 * Answers the request with today's rules and the patient's coverage and records it (so the relay
 * publishes EligibilityDetermined). Input the rules cannot judge (a code they do not know, a date
 * outside the rule sets) is answered `unknown` naming the field: a booking is never dropped.
 */
async function answer(store: EventStore, catalog: RuleCatalog, request: EligibilityRequest, event: ReceivedEvent, from: string): Promise<void> {
  const metadata = metadataOf(event, from);
  const asOf = metadata.now.toISOString().slice(0, 10);
  const coverage = coverageOn(await readCoverage(store, request.patientId), request.dateOfService);
  let judged = request;
  let determination;
  try {
    determination = determine(judged, coverage, catalog, asOf);
  } catch (error) {
    if (!(error instanceof EligibilityInputError)) throw error;
    judged = { ...request, invalidFacts: [error.message] };
    determination = determine(judged, coverage, catalog, asOf);
  }
  await handle(store, eligibilityStreamId(request.patientId), eligibilityDecider, {
    type: 'RecordDetermination',
    // From the event id: a redelivered event finds its first answer.
    data: { determinationId: deterministicUuid(`event:${event.id}`), patientId: request.patientId, request: judged, determination },
    metadata,
  });
}

/**
 * scheduling's appointments and monitoring's RPM periods -> EligibilityDetermined. A booking
 * carries the billing facts (service codes, setting, licences); a reschedule answers the same
 * facts at the new date; a cancel withdraws the appointment from later re-checks.
 * Writes go through `ctx.store`, the inbox's transaction (see IntegrationEventContext).
 */
@Controller()
export class InboundEventsConsumer {
  constructor(@Inject(RULE_CATALOG) private readonly catalog: RuleCatalog) {}

  @IntegrationEventHandler(AppointmentBooked)
  async appointmentBooked(@Payload() event: ReceivedEvent<typeof AppointmentBooked.Data>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
    const request = requestFromBooking(event.data);
    if (request === undefined) return; // in person: not a telehealth service
    await answer(ctx.store, this.catalog, request, event, 'scheduling');
  }

  @IntegrationEventHandler(AppointmentRescheduled)
  async appointmentRescheduled(@Payload() event: ReceivedEvent<typeof AppointmentRescheduled.Data>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
    const previous = latestRequestOf(await readDeterminations(ctx.store, event.data.patientId), event.data.appointmentId);
    if (previous === undefined) return; // in person, or answered before this consumer existed
    await answer(ctx.store, this.catalog, requestMovedTo(previous, event.data), event, 'scheduling');
  }

  @IntegrationEventHandler(AppointmentCancelled)
  async appointmentCancelled(@Payload() event: ReceivedEvent<typeof AppointmentCancelled.Data>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
    const { patientId, appointmentId } = event.data;
    if (latestRequestOf(await readDeterminations(ctx.store, patientId), appointmentId) === undefined) return;
    await handle(ctx.store, eligibilityStreamId(patientId), eligibilityDecider, {
      type: 'WithdrawAppointment',
      data: { patientId, appointmentId },
      metadata: metadataOf(event, 'scheduling'),
    });
  }

  @IntegrationEventHandler(RpmPeriodClosed)
  async rpmPeriodClosed(@Payload() event: ReceivedEvent<typeof RpmPeriodClosed.Data>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
    const request = requestFromRpmPeriod(event.data, await readDeterminations(ctx.store, event.data.patientId));
    if (request.serviceCodes.length === 0) return; // monitoring found nothing to bill
    await answer(ctx.store, this.catalog, request, event, 'monitoring');
  }
}
