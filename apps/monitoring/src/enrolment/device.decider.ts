import { type Command, DomainError, type Decider, assertNever } from '@carebridge/shared-kernel';
import type { DeviceEvent } from './device.events';

export class DeviceNotRegisteredError extends DomainError {
  readonly code = 'DEVICE.NOT_REGISTERED';
  override readonly kind = 'not-found';
}
export class DeviceAlreadyRegisteredError extends DomainError {
  readonly code = 'DEVICE.ALREADY_REGISTERED';
  override readonly kind = 'conflict';
}
export class AssignmentOverlapsError extends DomainError {
  readonly code = 'DEVICE.ASSIGNMENT_OVERLAPS';
  override readonly kind = 'conflict';
}
export class AssignmentNotFoundError extends DomainError {
  readonly code = 'DEVICE.ASSIGNMENT_NOT_FOUND';
  override readonly kind = 'not-found';
}
export class AssignmentEndedError extends DomainError {
  readonly code = 'DEVICE.ASSIGNMENT_ENDED';
  override readonly kind = 'conflict';
}
export class InvalidPeriodError extends DomainError {
  readonly code = 'DEVICE.INVALID_PERIOD';
}

export type DeviceCommand =
  | Command<'RegisterDevice', Extract<DeviceEvent, { type: 'DeviceRegistered' }>['data']>
  | Command<'AssignDevice', Extract<DeviceEvent, { type: 'DeviceAssigned' }>['data']>
  | Command<'EndAssignment', { readonly deviceId: string; readonly assignmentId: string; readonly at: string }>
  | Command<'RotateDeviceKey', { readonly deviceId: string; readonly assignmentId: string; readonly keyHash: string; readonly at: string }>;

interface AssignmentState {
  readonly assignmentId: string;
  readonly patientId: string;
  readonly from: string;
  readonly to?: string;
}

export type DeviceState =
  | { readonly status: 'unknown' }
  | { readonly status: 'registered'; readonly deviceId: string; readonly assignments: readonly AssignmentState[] };

const overlaps = (a: { from: string; to?: string }, b: { from: string; to?: string }) =>
  (a.to === undefined || b.from < a.to) && (b.to === undefined || a.from < b.to);

export const deviceDecider: Decider<DeviceCommand, DeviceEvent, DeviceState> = {
  initialState: () => ({ status: 'unknown' }),

  decide(command, state) {
    if (command.type === 'RegisterDevice') {
      if (state.status === 'registered') throw new DeviceAlreadyRegisteredError('The device is already registered', { status: state.status });
      return { type: 'DeviceRegistered', data: command.data };
    }
    if (state.status === 'unknown') throw new DeviceNotRegisteredError('The device is not registered');
    switch (command.type) {
      case 'AssignDevice': {
        const d = command.data;
        if (d.to !== undefined && d.to <= d.from) throw new InvalidPeriodError('An assignment must end after it starts');
        const clash = state.assignments.find((a) => overlaps(a, d));
        if (clash) {
          throw new AssignmentOverlapsError('The device is assigned to a patient for part of this period', {
            assignmentId: clash.assignmentId,
            from: clash.from,
            ...(clash.to !== undefined && { to: clash.to }),
          });
        }
        return { type: 'DeviceAssigned', data: d };
      }
      case 'EndAssignment': {
        const a = state.assignments.find((x) => x.assignmentId === command.data.assignmentId);
        if (!a) throw new AssignmentNotFoundError('No such assignment of this device');
        if (a.to !== undefined && a.to <= command.data.at) return [];
        const endedAt = command.data.at < a.from ? a.from : command.data.at;
        return { type: 'DeviceAssignmentEnded', data: { deviceId: state.deviceId, assignmentId: a.assignmentId, patientId: a.patientId, endedAt } };
      }
      case 'RotateDeviceKey': {
        const a = state.assignments.find((x) => x.assignmentId === command.data.assignmentId);
        if (!a) throw new AssignmentNotFoundError('No such assignment of this device');
        if (a.to !== undefined && a.to <= command.data.at) throw new AssignmentEndedError('The assignment has ended: its key no longer works and cannot be renewed');
        return { type: 'DeviceKeyRotated', data: { deviceId: state.deviceId, assignmentId: a.assignmentId, patientId: a.patientId, keyHash: command.data.keyHash } };
      }
      default:
        return assertNever(command, 'command');
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'DeviceRegistered':
        return { status: 'registered', deviceId: event.data.deviceId, assignments: [] };
      case 'DeviceAssigned':
        if (state.status !== 'registered') return state;
        return {
          ...state,
          assignments: [
            ...state.assignments,
            { assignmentId: event.data.assignmentId, patientId: event.data.patientId, from: event.data.from, ...(event.data.to !== undefined && { to: event.data.to }) },
          ],
        };
      case 'DeviceKeyRotated':
        return state;
      case 'DeviceAssignmentEnded':
        if (state.status !== 'registered') return state;
        return {
          ...state,
          assignments: state.assignments.map((a) => (a.assignmentId === event.data.assignmentId ? { ...a, to: event.data.endedAt } : a)),
        };
      default:
        return assertNever(event, 'event');
    }
  },
};
