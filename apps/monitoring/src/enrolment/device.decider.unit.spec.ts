import { DeciderSpecification } from '@carebridge/event-store';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import { AssignmentEndedError, AssignmentNotFoundError, AssignmentOverlapsError, DeviceNotRegisteredError, deviceDecider } from './device.decider';
import type { DeviceEvent } from './device.events';

const spec = DeciderSpecification.for(deviceDecider);
const meta: CommandMetadata = { now: new Date('2026-03-01T12:00:00Z'), actor: { id: 'ops', role: 'ops' }, correlationId: 'c' };
const registered: DeviceEvent = { type: 'DeviceRegistered', data: { deviceId: 'd1', serial: 'SN1', kind: 'scale', manufacturer: 'Acme', model: 'S1' } };
const assign = (assignmentId: string, patientId: string, from: string, to?: string) => ({
  deviceId: 'd1', assignmentId, patientId, from, ...(to !== undefined && { to }), keyHash: 'h',
});
const assigned: DeviceEvent = { type: 'DeviceAssigned', data: assign('a1', 'p1', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z') };

describe('device', () => {
  it('must be registered before it is assigned', () =>
    spec.given([]).when({ type: 'AssignDevice', data: assign('a1', 'p1', '2026-01-01T00:00:00.000Z'), metadata: meta }).thenThrows(DeviceNotRegisteredError));
  it('is assigned to a patient for a period', () =>
    spec.given([registered]).when({ type: 'AssignDevice', data: assigned.data as never, metadata: meta }).then([assigned]));
  it('is not assigned to two patients at once', () =>
    spec.given([registered, assigned]).when({ type: 'AssignDevice', data: assign('a2', 'p2', '2026-01-15T00:00:00.000Z'), metadata: meta }).thenThrows(AssignmentOverlapsError));
  it('may go to another patient after the period', () =>
    spec.given([registered, assigned]).when({ type: 'AssignDevice', data: assign('a2', 'p2', '2026-02-01T00:00:00.000Z'), metadata: meta }).then([
      { type: 'DeviceAssigned', data: assign('a2', 'p2', '2026-02-01T00:00:00.000Z') },
    ]));
  it('gets a new key for a current assignment; an ended or unknown one has none to renew', () => {
    const rotate = (assignmentId: string, at: string) => ({ type: 'RotateDeviceKey' as const, data: { deviceId: 'd1', assignmentId, keyHash: 'h2', at }, metadata: meta });
    spec.given([registered, assigned]).when(rotate('a1', '2026-01-20T00:00:00.000Z')).then([
      { type: 'DeviceKeyRotated', data: { deviceId: 'd1', assignmentId: 'a1', patientId: 'p1', keyHash: 'h2' } },
    ]);
    spec.given([registered, assigned]).when(rotate('a1', '2026-02-01T00:00:00.000Z')).thenThrows(AssignmentEndedError);
    spec.given([registered, assigned]).when(rotate('a9', '2026-01-20T00:00:00.000Z')).thenThrows(AssignmentNotFoundError);
  });
});
