import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { commandMetadata, readPurpose } from '../visits.http-support';
import { CLOCK, EVENT_STORE } from '../visits.tokens';
import { type OpenedVisit, participantVisit } from './visit.access';
import { type VisitState, visitDecider } from './visit.decider';
import type { RecordView } from './visit.events';
import { visitStreamId } from './visit.stream';
import { afterVisitSummary, recordView } from './visit.views';

/**
 * Reads the record for a participant and appends the access to the visit's own stream (actor in
 * the metadata, purpose in both): the audit of reads is the event store, like every write.
 */
export async function auditedRead(
  store: EventStore,
  clock: Clock,
  visitId: string,
  actor: AuthenticatedActor,
  view: RecordView,
  purpose: string,
  options: { invitedMayRead?: boolean } = {},
): Promise<OpenedVisit> {
  await participantVisit(store, visitId, actor, options);
  const result = await handle(store, visitStreamId(visitId), visitDecider, {
    type: 'RecordRead',
    data: { view, readerId: actor.id, readerRole: actor.role, purpose },
    metadata: commandMetadata(actor, clock.now(), { purpose }),
  });
  return result.state as Exclude<VisitState, { status: 'none' }>;
}

@Controller('v1/visits/:visitId')
export class ReadVisitController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The whole record of the visit (every read recorded with actor and purpose). */
  @Get()
  @Roles('patient', 'provider')
  async read(@Param('visitId', ParseUUIDPipe) visitId: string, @Query() query: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const purpose = readPurpose(query);
    const visit = await auditedRead(this.store, this.clock, visitId, actor, 'record', purpose, { invitedMayRead: true });
    return recordView(visit, actor.role);
  }

  /** The after-visit summary for the patient. */
  @Get('summary')
  @Roles('patient', 'provider')
  async summary(@Param('visitId', ParseUUIDPipe) visitId: string, @Query() query: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const purpose = readPurpose(query);
    return afterVisitSummary(await auditedRead(this.store, this.clock, visitId, actor, 'summary', purpose));
  }

  /** Who read the record, when and why (participants see the access log of their own visit). */
  @Get('access-log')
  @Roles('patient', 'provider')
  async accessLog(@Param('visitId', ParseUUIDPipe) visitId: string, @CurrentActor() actor: AuthenticatedActor) {
    await participantVisit(this.store, visitId, actor);
    const events = await this.store.readStream(visitStreamId(visitId));
    return {
      visitId,
      reads: events
        .filter((e) => e.type === 'VisitRecordRead')
        .map((e) => ({ ...(e.data as object), at: e.metadata.occurredAt, actor: e.metadata.actor })),
    };
  }
}
