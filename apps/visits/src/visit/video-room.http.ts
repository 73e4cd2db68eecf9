import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { z } from 'zod';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, ProblemException, Roles, parseBody } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { commandMetadata } from '../visits.http-support';
import type { RoomProvider } from '../room/room-provider.port';
import type { VisitsPolicy } from '../visits.policy';
import { CLOCK, EVENT_STORE, ROOM_PROVIDER, VISITS_POLICY } from '../visits.tokens';
import { participantVisit } from './visit.access';
import { visitDecider } from './visit.decider';
import { visitStreamId } from './visit.stream';

export const connectionBody = z.strictObject({ status: z.enum(['disconnected', 'reconnected']) });
export const modalityBody = z.strictObject({ to: z.enum(['video', 'phone']), reason: z.enum(['no-video', 'requested']) });

/** The participant id in the room: the patient's or provider's id, never a name. */
const participantIdOf = (actor: AuthenticatedActor): string => (actor.role === 'patient' ? actor.patientId! : actor.providerId!);

/** Joining the video room, connection trouble, and the switch to phone. */
@Controller('v1/visits/:visitId')
export class VideoRoomController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(VISITS_POLICY) private readonly policy: VisitsPolicy,
    @Inject(ROOM_PROVIDER) private readonly rooms: RoomProvider | null,
  ) {}

  /** A short-lived join token for this participant and this visit's room; refused unless the visit is in progress on video. */
  @Post('room-token')
  @HttpCode(201)
  @Roles('patient', 'provider')
  async roomToken(@Param('visitId', ParseUUIDPipe) visitId: string, @CurrentActor() actor: AuthenticatedActor) {
    if (this.rooms === null) throw new ProblemException(503, 'ROOM.NOT_CONFIGURED', 'No media server is configured for video rooms');
    await participantVisit(this.store, visitId, actor);
    const now = this.clock.now();
    const participantId = participantIdOf(actor);
    // Recorded (and refused if the visit is not in progress) before any token exists.
    await handle(this.store, visitStreamId(visitId), visitDecider, {
      type: 'IssueRoomToken',
      data: { participantId, expiresAt: new Date(now.getTime() + this.policy.roomTokenTtlSeconds * 1000).toISOString() },
      metadata: commandMetadata(actor, now),
    });
    return this.rooms.issueJoinToken({ room: visitId, identity: participantId, name: actor.role, ttlSeconds: this.policy.roomTokenTtlSeconds, now });
  }

  /** The client reports its media connection dropping or coming back. */
  @Post('connection')
  @HttpCode(200)
  @Roles('patient', 'provider')
  async connection(@Param('visitId', ParseUUIDPipe) visitId: string, @Body() body: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const b = parseBody(connectionBody, body);
    await participantVisit(this.store, visitId, actor);
    const result = await handle(this.store, visitStreamId(visitId), visitDecider, {
      type: 'RecordConnection',
      data: { participantId: participantIdOf(actor), role: actor.role === 'patient' ? 'patient' : 'provider', status: b.status },
      metadata: commandMetadata(actor, this.clock.now()),
    });
    const record = result.state.status === 'none' ? undefined : result.state.record;
    return { visitId, disconnected: Object.keys(record?.disconnected ?? {}) };
  }

  /** Video to phone (after the configured time without video, or on request) and back; the record stays the same. */
  @Post('modality')
  @HttpCode(200)
  @Roles('patient', 'provider')
  async modality(@Param('visitId', ParseUUIDPipe) visitId: string, @Body() body: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const b = parseBody(modalityBody, body);
    await participantVisit(this.store, visitId, actor);
    const result = await handle(this.store, visitStreamId(visitId), visitDecider, {
      type: 'SwitchModality',
      data: { to: b.to, reason: b.reason, policy: { noVideoSwitchAfterSeconds: this.policy.noVideoSwitchAfterSeconds } },
      metadata: commandMetadata(actor, this.clock.now()),
    });
    return { visitId, status: result.state.status, modality: result.state.status === 'none' ? undefined : result.state.record.modality };
  }
}
