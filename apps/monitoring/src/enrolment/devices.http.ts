import { randomBytes } from 'node:crypto';
import { Body, Controller, Get, Headers, Inject, Param, Post } from '@nestjs/common';
import { type EventStore, deterministicEventId, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { NotOwnerError, PatientNotFoundError, assertCareTeam, commandMetadata, requireIdempotencyKey, uuidParam } from '../monitoring.http-support';
import { MonitoringProjections } from '../read-models.projection';
import { CLOCK, EVENT_STORE } from '../monitoring.tokens';
import { DeviceAssignments } from './device-assignments.projection';
import { MonitoredPatients } from './monitored-patients.projection';
import { hashDeviceKey } from '../readings/readings.http';
import { DeviceNotRegisteredError, deviceDecider } from './device.decider';
import type { DeviceEvent } from './device.events';
import { deviceStreamId } from './device.stream';
import { assignDeviceBody, endAssignmentBody, registerDeviceBody } from './enrolment.schemas';

@Controller('v1/devices')
export class DevicesController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MonitoringProjections) private readonly projections: MonitoringProjections,
    @Inject(MonitoredPatients) private readonly patients: MonitoredPatients,
    @Inject(DeviceAssignments) private readonly devices: DeviceAssignments,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('provider', 'ops')
  async register(@Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentActor() actor: AuthenticatedActor) {
    const commandId = requireIdempotencyKey(key, actor);
    const data = parseBody(registerDeviceBody, body);
    const deviceId = data.deviceId ?? deterministicEventId('devices', commandId, 0);
    const result = await handle(this.store, deviceStreamId(deviceId), deviceDecider, {
      type: 'RegisterDevice',
      data: { ...data, deviceId },
      metadata: commandMetadata(actor, this.clock.now(), { commandId }),
    });
    await this.projections.include(result.newEvents);
    return { deviceId };
  }

  /**
   * Assigns the device to a patient for a period and returns the device's API key for this
   * assignment, once (only its SHA-256 is stored). A retried request returns the assignment
   * without the key.
   */
  @Post(':deviceId/assignments')
  @Roles('provider', 'ops')
  async assign(@Param('deviceId') id: string, @Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentActor() actor: AuthenticatedActor) {
    const deviceId = uuidParam('deviceId', id);
    const commandId = requireIdempotencyKey(key, actor);
    const data = parseBody(assignDeviceBody, body);
    const patient = await this.patients.patient(data.patientId.toLowerCase());
    if (!patient) throw new PatientNotFoundError('The patient is not enrolled in monitoring');
    assertCareTeam(actor, patient);
    const streamId = deviceStreamId(deviceId);
    const apiKey = `cbdev_${randomBytes(24).toString('base64url')}`;
    const result = await handle(this.store, streamId, deviceDecider, {
      type: 'AssignDevice',
      data: {
        deviceId,
        assignmentId: deterministicEventId(streamId, `assignment:${commandId}`, 0),
        patientId: patient.patientId,
        from: new Date(data.from).toISOString(),
        ...(data.to !== undefined && { to: new Date(data.to).toISOString() }),
        keyHash: hashDeviceKey(apiKey),
      },
      metadata: commandMetadata(actor, this.clock.now(), { commandId }),
    });
    await this.projections.include(result.newEvents);
    const assigned = result.newEvents[0]!.data as Extract<DeviceEvent, { type: 'DeviceAssigned' }>['data'];
    return { assignmentId: assigned.assignmentId, deviceId, patientId: assigned.patientId, from: assigned.from, to: assigned.to, ...(!result.replayed && { apiKey }) };
  }

  /**
   * A new API key for the assignment, returned once; the previous key stops working at once (a
   * lost, leaked or re-flashed device). Care team or ops; a retried request (same Idempotency-Key)
   * returns no key: rotate again with a new key.
   */
  @Post(':deviceId/assignments/:assignmentId/key')
  @Roles('provider', 'ops')
  async rotateKey(
    @Param('deviceId') id: string,
    @Param('assignmentId') assignmentIdParam: string,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const deviceId = uuidParam('deviceId', id);
    const assignmentId = uuidParam('assignmentId', assignmentIdParam);
    const commandId = requireIdempotencyKey(key, actor);
    const device = await this.devices.device(deviceId);
    if (!device) throw new DeviceNotRegisteredError('The device is not registered');
    const assignment = device.assignments.find((a) => a.assignmentId === assignmentId);
    if (assignment) assertCareTeam(actor, await this.patients.patient(assignment.patientId));
    else if (actor.role !== 'ops') throw new NotOwnerError('Only ops or the care team may renew a device key');
    const apiKey = `cbdev_${randomBytes(24).toString('base64url')}`;
    const now = this.clock.now();
    const result = await handle(this.store, deviceStreamId(deviceId), deviceDecider, {
      type: 'RotateDeviceKey',
      data: { deviceId, assignmentId, keyHash: hashDeviceKey(apiKey), at: now.toISOString() },
      metadata: commandMetadata(actor, now, { commandId }),
    });
    await this.projections.include(result.newEvents);
    return { assignmentId, deviceId, ...(!result.replayed && { apiKey }) };
  }

  @Post(':deviceId/assignments/:assignmentId/end')
  @Roles('provider', 'ops')
  async end(@Param('deviceId') id: string, @Param('assignmentId') assignmentId: string, @Body() body: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const deviceId = uuidParam('deviceId', id);
    const data = parseBody(endAssignmentBody, body ?? {});
    const device = await this.devices.device(deviceId);
    if (!device) throw new DeviceNotRegisteredError('The device is not registered');
    const assignment = device.assignments.find((a) => a.assignmentId === assignmentId);
    if (assignment) assertCareTeam(actor, await this.patients.patient(assignment.patientId));
    else if (actor.role !== 'ops') throw new NotOwnerError('Only ops or the care team may end an assignment');
    const now = this.clock.now();
    const result = await handle(this.store, deviceStreamId(deviceId), deviceDecider, {
      type: 'EndAssignment',
      data: { deviceId, assignmentId, at: data.at !== undefined ? new Date(data.at).toISOString() : now.toISOString() },
      metadata: commandMetadata(actor, now),
    });
    await this.projections.include(result.newEvents);
    return { assignmentId, ended: true };
  }

  /**
   * The device and its assignments. A provider passed the access policy (care team of the patient
   * the device is assigned to, or break-the-glass); the assignments of other patients (earlier
   * ones) are left out unless the provider is on their care team too.
   */
  @Get(':deviceId')
  @Roles('provider', 'ops')
  async get(@Param('deviceId') id: string, @CurrentActor() actor: AuthenticatedActor) {
    const device = await this.devices.device(uuidParam('deviceId', id));
    if (!device) throw new DeviceNotRegisteredError('The device is not registered');
    if (actor.role !== 'provider') return device;
    const latest = device.assignments.at(-1)?.patientId;
    const visible = [];
    for (const assignment of device.assignments) {
      const patient = await this.patients.patient(assignment.patientId);
      const onCareTeam = actor.providerId !== undefined && patient !== undefined && patient.careTeam.includes(actor.providerId);
      if (onCareTeam || assignment.patientId === latest) visible.push(assignment);
    }
    return { ...device, assignments: visible };
  }
}
