import { type Command, type Decider, DomainError, assertNever } from '@carebridge/shared-kernel';
import type { PatientQueued, UrgentCareQueueEvent } from './urgent-care-queue.events';

export type JoinQueue = Command<'JoinQueue', { visitId: string; patientId: string }>;
export type TakeNextPatient = Command<'TakeNextPatient', { providerId: string }>;
export type LeaveQueue = Command<'LeaveQueue', { visitId: string }>;
export type UrgentCareQueueCommand = JoinQueue | TakeNextPatient | LeaveQueue;

export interface UrgentCareQueueState {
  /** In order of joining: the head is next. */
  readonly waiting: readonly PatientQueued['data'][];
  /** visitId -> providerId of patients taken. */
  readonly taken: Readonly<Record<string, string>>;
}

export class NoPatientWaitingError extends DomainError {
  readonly code = 'URGENT_CARE.NO_PATIENT_WAITING';
  override readonly kind = 'not-found';
}

/** 1-based place in the queue, or undefined when the visit is not waiting in it. */
export function positionOf(state: UrgentCareQueueState, visitId: string): number | undefined {
  const index = state.waiting.findIndex((entry) => entry.visitId === visitId);
  return index < 0 ? undefined : index + 1;
}

export const urgentCareQueueDecider: Decider<UrgentCareQueueCommand, UrgentCareQueueEvent, UrgentCareQueueState> = {
  initialState: () => ({ waiting: [], taken: {} }),
  decide(command, state) {
    switch (command.type) {
      case 'JoinQueue': {
        const { visitId } = command.data;
        if (positionOf(state, visitId) !== undefined || state.taken[visitId] !== undefined) return [];
        return [{ type: 'PatientQueued', data: { ...command.data, joinedAt: command.metadata.now.toISOString() } }];
      }
      case 'TakeNextPatient': {
        const next = state.waiting[0];
        if (next === undefined) throw new NoPatientWaitingError('No patient is waiting in this queue');
        const waitedSeconds = Math.max(0, Math.round((command.metadata.now.getTime() - Date.parse(next.joinedAt)) / 1000));
        return [{ type: 'PatientTaken', data: { visitId: next.visitId, patientId: next.patientId, providerId: command.data.providerId, waitedSeconds } }];
      }
      case 'LeaveQueue':
        return positionOf(state, command.data.visitId) === undefined ? [] : [{ type: 'PatientLeftQueue', data: command.data }];
      default: {
        const exhaustive: never = command;
        return assertNever(exhaustive, 'urgent-care queue command');
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'PatientQueued':
        return { ...state, waiting: [...state.waiting, event.data] };
      case 'PatientTaken':
        return {
          waiting: state.waiting.filter((e) => e.visitId !== event.data.visitId),
          taken: { ...state.taken, [event.data.visitId]: event.data.providerId },
        };
      case 'PatientLeftQueue':
        return { ...state, waiting: state.waiting.filter((e) => e.visitId !== event.data.visitId) };
      default: {
        const exhaustive: never = event;
        return assertNever(exhaustive, 'urgent-care queue event');
      }
    }
  },
};
