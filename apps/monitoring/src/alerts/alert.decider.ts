import { type Command, DomainError, type Decider, assertNever } from '@carebridge/shared-kernel';
import type { AlertEvent } from './alert.events';

export class AlertNotOpenError extends DomainError {
  readonly code = 'ALERT.NOT_OPEN';
  override readonly kind = 'conflict';
}
export class AlertNotFoundError extends DomainError {
  readonly code = 'ALERT.NOT_FOUND';
  override readonly kind = 'not-found';
}

type Raised = Extract<AlertEvent, { type: 'AlertRaised' }>['data'];

export type AlertCommand =
  | Command<'RaiseAlert', Raised>
  | Command<'AcknowledgeAlert', { readonly alertId: string }>
  | Command<'ResolveAlert', { readonly alertId: string }>
  /** From the escalation job: only acts if the alert is still open at `level` (not acknowledged, not escalated since). */
  | Command<'EscalateAlert', { readonly alertId: string; readonly level: number }>;

interface Current {
  readonly alertId: string;
  readonly patientId: string;
  readonly ruleId: string;
  readonly level: number;
  readonly careTeam: readonly string[];
  readonly escalateAfterSeconds: number;
  readonly readingIds: ReadonlySet<string>;
}

export type AlertState =
  | { readonly status: 'none' }
  | ({ readonly status: 'open' } & Current)
  | ({ readonly status: 'acknowledged' } & Current)
  | ({ readonly status: 'resolved' } & Current);

/** An open or acknowledged alert keeps this many reading ids in its state (older ones are in its events). */
const KEEP_READING_IDS = 200;

export const alertDecider: Decider<AlertCommand, AlertEvent, AlertState> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'RaiseAlert': {
        const d = command.data;
        if (state.status === 'open' || state.status === 'acknowledged') {
          const fresh = d.readingIds.filter((id) => !state.readingIds.has(id));
          if (fresh.length === 0) return [];
          return {
            type: 'AlertUpdated',
            data: { alertId: state.alertId, patientId: state.patientId, ruleId: state.ruleId, readingIds: fresh, measuredAt: d.measuredAt },
          };
        }
        return { type: 'AlertRaised', data: d };
      }
      case 'AcknowledgeAlert': {
        const current = currentAlert(state, command.data.alertId);
        if (current.status === 'acknowledged') return [];
        if (current.status !== 'open') throw new AlertNotOpenError(`The alert is ${current.status}`, { status: current.status });
        return { type: 'AlertAcknowledged', data: { alertId: current.alertId, patientId: current.patientId, ruleId: current.ruleId, by: command.metadata.actor.id } };
      }
      case 'ResolveAlert': {
        const current = currentAlert(state, command.data.alertId);
        if (current.status === 'resolved') throw new AlertNotOpenError('The alert is resolved', { status: current.status });
        return { type: 'AlertResolved', data: { alertId: current.alertId, patientId: current.patientId, ruleId: current.ruleId, by: command.metadata.actor.id } };
      }
      case 'EscalateAlert': {
        if (state.status !== 'open' || state.alertId !== command.data.alertId || state.level !== command.data.level) return [];
        const next = state.level + 1;
        const assigneeId = state.careTeam[next];
        // Nobody left in the care team: the alert stays with the last person it reached.
        if (assigneeId === undefined) return [];
        return {
          type: 'AlertEscalated',
          data: { alertId: state.alertId, patientId: state.patientId, ruleId: state.ruleId, level: next, assigneeId, escalateAfterSeconds: state.escalateAfterSeconds },
        };
      }
      default:
        return assertNever(command, 'command');
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'AlertRaised': {
        const d = event.data;
        return {
          status: 'open',
          alertId: d.alertId,
          patientId: d.patientId,
          ruleId: d.ruleId,
          level: 0,
          careTeam: d.careTeam,
          escalateAfterSeconds: d.escalateAfterSeconds,
          readingIds: new Set(d.readingIds),
        };
      }
      case 'AlertUpdated':
        if (state.status === 'none') return state;
        return { ...state, readingIds: new Set([...state.readingIds, ...event.data.readingIds].slice(-KEEP_READING_IDS)) };
      case 'AlertAcknowledged':
        return state.status === 'none' ? state : { ...state, status: 'acknowledged' };
      case 'AlertResolved':
        return state.status === 'none' ? state : { ...state, status: 'resolved' };
      case 'AlertEscalated':
        return state.status === 'none' ? state : { ...state, level: event.data.level };
      default:
        return assertNever(event, 'event');
    }
  },
};

function currentAlert(state: AlertState, alertId: string): Exclude<AlertState, { status: 'none' }> {
  if (state.status === 'none' || state.alertId !== alertId) {
    // An earlier alert of this stream that was resolved and superseded by a newer one.
    if (state.status !== 'none') throw new AlertNotOpenError('The alert is resolved', { status: 'resolved' });
    throw new AlertNotFoundError('No such alert');
  }
  return state;
}
