import { Body, Controller, Headers, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { z } from 'zod';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { commandMetadata, requireIdempotencyKey, usState } from '../visits.http-support';
import type { ReadModels } from '../visits.projection';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../visits.tokens';
import { participantVisit, patientIdOf } from './visit.access';
import { triage } from '@carebridge/clinical-reference';
import type { RecordedEvent } from '@carebridge/event-store';
import { visitDecider } from './visit.decider';
import type { EmergencyEscalated, SecureMessagePosted } from './visit.events';
import { derivedUuid, visitStreamId } from './visit.stream';

export const messageBody = z.strictObject({
  text: z.string().min(1).max(20_000),
  /** SHA-256 of files already shared in the visit. */
  attachments: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(10).default([]),
});
export const asyncVisitBody = z.strictObject({ providerId: z.uuid(), patientState: usState, text: z.string().min(1).max(20_000) });

/**
 * What the patient is told about their own message in an asynchronous visit: the triage
 * disposition with its guidance (911, 988, in person, or a nurse's review) and the matched words;
 * an emergency also ends the visit with the emergency instruction.
 */
function messageTriage(events: readonly RecordedEvent[]) {
  const posted = events.find((e) => e.type === 'SecureMessagePosted')?.data as SecureMessagePosted['data'] | undefined;
  if (posted?.triage === undefined) return {};
  const escalated = events.find((e) => e.type === 'EmergencyEscalated')?.data as EmergencyEscalated['data'] | undefined;
  const { guidance, crisis } = triage({ texts: [{ field: 'message', text: posted.text }] });
  return {
    triage: { disposition: posted.triage.disposition, crisis, rules: posted.triage.rules, guidance, matches: posted.triage.matches, rulesVersion: posted.triage.rulesVersion },
    ...(escalated !== undefined && { emergency: { instruction: escalated.instruction, redFlags: escalated.redFlags } }),
  };
}

const authorOf = (actor: AuthenticatedActor) =>
  actor.role === 'patient' ? { id: actor.patientId!, role: 'patient' as const } : { id: actor.providerId!, role: 'provider' as const };

/** The asynchronous modality ("email your provider"): secure messages with attachments, on the same visit record. */
@Controller('v1')
export class SecureMessagesController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A patient writes to a provider: an asynchronous visit opens, waiting for the provider to take it up (admit). */
  @Post('asynchronous-visits')
  @Roles('patient')
  async open(@Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentActor() actor: AuthenticatedActor) {
    const commandId = requireIdempotencyKey(key, actor);
    const b = parseBody(asyncVisitBody, body);
    const patientId = patientIdOf(actor);
    const visitId = derivedUuid(`async-visit:${patientId}`, commandId);
    const stream = visitStreamId(visitId);
    const now = this.clock.now();
    await handle(this.store, stream, visitDecider, {
      type: 'OpenVisit',
      data: { visitId, kind: 'asynchronous', patientId, providerId: b.providerId, modality: 'asynchronous', patientState: b.patientState },
      metadata: commandMetadata(actor, now, { commandId: `${commandId}:open` }),
    });
    await handle(this.store, stream, visitDecider, {
      type: 'CheckIn',
      data: { locationState: b.patientState, policy: { checkInOpensMinutesBefore: 0 } },
      metadata: commandMetadata(actor, now, { commandId: `${commandId}:check-in` }),
    });
    const result = await handle(this.store, stream, visitDecider, {
      type: 'PostSecureMessage',
      data: { messageId: derivedUuid(`message:${visitId}`, commandId), author: { id: patientId, role: 'patient' }, text: b.text, attachments: [] },
      metadata: commandMetadata(actor, now, { commandId: `${commandId}:message` }),
    });
    await this.readModels.include(result.newEvents);
    return { visitId, status: result.state.status, ...messageTriage(result.newEvents) };
  }

  @Post('visits/:visitId/messages')
  @Roles('patient', 'provider')
  async post(
    @Param('visitId', ParseUUIDPipe) visitId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const commandId = requireIdempotencyKey(key, actor);
    const b = parseBody(messageBody, body);
    await participantVisit(this.store, visitId, actor);
    const messageId = derivedUuid(`message:${visitId}`, commandId);
    const result = await handle(this.store, visitStreamId(visitId), visitDecider, {
      type: 'PostSecureMessage',
      data: { messageId, author: authorOf(actor), text: b.text, attachments: b.attachments },
      metadata: commandMetadata(actor, this.clock.now(), { commandId }),
    });
    await this.readModels.include(result.newEvents);
    return { visitId, messageId, status: result.state.status, ...messageTriage(result.newEvents) };
  }
}
