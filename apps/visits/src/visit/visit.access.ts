import type { EventStore } from '@carebridge/event-store';
import type { AuthenticatedActor } from '@carebridge/platform';
import {
  NotParticipantError,
  VisitNotFoundError,
  type VisitRecord,
  type VisitState,
  isInvitedConsultant,
  isParticipant,
  visitDecider,
} from './visit.decider';
import type { VisitEvent } from './visit.events';
import { visitStreamId } from './visit.stream';

export type OpenedVisit = Exclude<VisitState, { status: 'none' }>;

export async function readVisit(store: EventStore, visitId: string): Promise<OpenedVisit> {
  const events = await store.readStream(visitStreamId(visitId));
  const state = events.reduce((s, e) => visitDecider.evolve(s, e as unknown as VisitEvent), visitDecider.initialState());
  if (state.status === 'none') throw new VisitNotFoundError(`Visit ${visitId} not found`);
  return state;
}

/**
 * Only the visit's participants reach it: its patient, its attending provider, the consultants
 * who joined (and, to decide whether to join, the providers invited to a consult). Ops and other
 * providers get 403 whatever their role.
 */
export function assertParticipant(record: VisitRecord, actor: AuthenticatedActor, options: { invitedMayRead?: boolean } = {}): void {
  const who = {
    ...(actor.role === 'patient' && actor.patientId !== undefined && { patientId: actor.patientId }),
    ...(actor.role === 'provider' && actor.providerId !== undefined && { providerId: actor.providerId }),
  };
  if (isParticipant(record, who)) return;
  if (options.invitedMayRead && actor.role === 'provider' && isInvitedConsultant(record, actor.providerId)) return;
  throw new NotParticipantError('Only the participants of the visit may see or change it');
}

export async function participantVisit(store: EventStore, visitId: string, actor: AuthenticatedActor, options: { invitedMayRead?: boolean } = {}) {
  const visit = await readVisit(store, visitId);
  assertParticipant(visit.record, actor, options);
  return visit;
}

/** The provider id of a provider actor (a token without one is refused like a stranger). */
export function providerIdOf(actor: AuthenticatedActor): string {
  if (actor.role !== 'provider' || actor.providerId === undefined) throw new NotParticipantError('A provider token is needed');
  return actor.providerId;
}

export function patientIdOf(actor: AuthenticatedActor): string {
  if (actor.role !== 'patient' || actor.patientId === undefined) throw new NotParticipantError('A patient token is needed');
  return actor.patientId;
}
