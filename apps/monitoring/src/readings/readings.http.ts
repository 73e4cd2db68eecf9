import { createHash } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type AuthenticatedActor, CurrentActor, Public, Roles, isIsoDate, isIsoDateTime, parseBody, RequestValidationError } from '@carebridge/platform';
import { DomainError } from '@carebridge/shared-kernel';
import type { Clock } from '../clock.port';
import { assertMaySee, commandMetadata, uuidParam } from '../monitoring.http-support';
import { metadataOf } from '@carebridge/event-store';
import type { LiveReadings } from '../live/live-readings.reactor';
import { DeviceAssignments } from '../enrolment/device-assignments.projection';
import { MonitoredPatients } from '../enrolment/monitored-patients.projection';
import { CLOCK, LIVE_READINGS, READING_INTAKE } from '../monitoring.tokens';
import { type Reading, Readings } from './readings.projection';
import type { ReadingOutcome } from './reading-intake.rules';
import type { IntakeSummary, ReadingIntake } from './reading-intake.handler';
import type { RawReading } from './reading.rules';
import { batchBody, deviceBatchBody, fieldPath, readingBody } from './readings.schemas';
import { READING_KINDS } from './readings.events';

export class InvalidDeviceKeyError extends DomainError {
  readonly code = 'DEVICE.INVALID_KEY';
  override readonly kind = 'forbidden';
}

/** Each reading checked on its own: a malformed one is rejected with the field, the rest go in. */
export function splitReadings(items: readonly Record<string, unknown>[], defaultDeviceId?: string) {
  const valid: { index: number; raw: RawReading }[] = [];
  const invalid: ReadingOutcome[] = [];
  items.forEach((item, index) => {
    const parsed = readingBody.safeParse(defaultDeviceId !== undefined && item.deviceId === undefined ? { ...item, deviceId: defaultDeviceId } : item);
    if (parsed.success) valid.push({ index, raw: parsed.data as RawReading });
    else {
      const issue = parsed.error.issues[0]!;
      invalid.push({ index, status: 'rejected', reason: `INVALID_READING: ${fieldPath(issue.path)}: ${issue.message}` });
    }
  });
  return { valid, invalid };
}

export function mergeResults(valid: readonly { index: number }[], summary: IntakeSummary, invalid: readonly ReadingOutcome[]) {
  const results = [...summary.results.map((r) => ({ ...r, index: valid[r.index]!.index })), ...invalid].sort((a, b) => a.index - b.index);
  return {
    accepted: summary.accepted,
    duplicates: summary.duplicates,
    rejected: summary.rejected + invalid.length,
    results,
  };
}

@Controller()
export class ReadingsController {
  constructor(
    @Inject(READING_INTAKE) private readonly intake: ReadingIntake,
    @Inject(MonitoredPatients) private readonly patients: MonitoredPatients,
    @Inject(Readings) private readonly readings: Readings,
    @Inject(DeviceAssignments) private readonly devices: DeviceAssignments,
    @Inject(LIVE_READINGS) private readonly live: LiveReadings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Device gateways (ops service accounts) and patients posting for their own devices; up to 1,000 readings. */
  @Post('v1/readings/batch')
  @HttpCode(200)
  @Roles('patient', 'ops')
  async batch(@Body() body: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const { readings } = parseBody(batchBody, body);
    const { valid, invalid } = splitReadings(readings);
    const now = this.clock.now();
    const summary = await this.intake.ingest({
      readings: valid.map((v) => v.raw),
      now,
      metadata: metadataOf({ type: 'RecordReadings', data: null, metadata: commandMetadata(actor, now) }),
      ...(actor.role === 'patient' && { onlyPatient: actor.patientId ?? '' }),
    });
    return mergeResults(valid, summary, invalid);
  }

  /**
   * A device posting with the API key of its assignment (`X-Device-Key`, shown once at
   * assignment, stored hashed): only its own readings, only for its own assignment.
   */
  @Public()
  @Post('v1/devices/:deviceId/readings')
  @HttpCode(200)
  async device(@Param('deviceId') deviceIdParam: string, @Headers('x-device-key') key: string | undefined, @Body() body: unknown) {
    const deviceId = uuidParam('deviceId', deviceIdParam);
    if (key === undefined || key.length < 16) throw new InvalidDeviceKeyError('A valid X-Device-Key header is required');
    const assignment = await this.devices.assignmentByKeyHash(hashDeviceKey(key));
    if (!assignment || assignment.deviceId !== deviceId) throw new InvalidDeviceKeyError('The key does not belong to this device');
    const { readings } = parseBody(deviceBatchBody, body);
    const { valid, invalid } = splitReadings(readings, deviceId);
    const now = this.clock.now();
    const summary = await this.intake.ingest({
      readings: valid.map((v) => v.raw),
      now,
      metadata: metadataOf({
        type: 'RecordReadings',
        data: null,
        metadata: commandMetadata({ id: `device-${deviceId}`, role: 'system' }, now, { purpose: 'treatment' }),
      }),
      onlyDevice: deviceId,
      onlyPatient: assignment.patientId,
    });
    return mergeResults(valid, summary, invalid);
  }

  @Get('v1/patients/:patientId/readings')
  @Roles('patient', 'provider', 'ops')
  async list(
    @Param('patientId') patientIdParam: string,
    @Query('kind') kind: string | undefined,
    @Query('from') from: string | undefined,
    @Query('to') to: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const patientId = uuidParam('patientId', patientIdParam);
    assertMaySee(actor, await this.patients.patient(patientId), patientId);
    if (kind !== undefined && !READING_KINDS.includes(kind as never)) throw new RequestValidationError([{ field: 'kind', message: `one of ${READING_KINDS.join(', ')}` }]);
    // Also checked by the request gate from the OpenAPI document; here for callers without it (tests).
    for (const [field, value] of [['from', from], ['to', to]] as const) {
      if (value !== undefined && (typeof value !== 'string' || !(isIsoDate(value) || isIsoDateTime(value)))) {
        throw new RequestValidationError([{ field, message: 'A date (2026-03-01) or an ISO 8601 date-time with an offset' }]);
      }
    }
    const readings = await this.readings.readings(patientId, {
      ...(kind !== undefined && { kinds: [kind] }),
      ...(from !== undefined && { from }),
      ...(to !== undefined && { to }),
    });
    return { readings };
  }

  /**
   * Server-Sent Events: each reading of the patient as it is stored (care team, the patient, ops).
   * Each event's id is its log position: a viewer reconnecting with `Last-Event-ID` (EventSource does
   * it by itself) first gets what it missed, up to 1,000 readings; beyond that a `reset` event tells
   * it to reload with the readings query. An id that is not a position (an older stream's reading
   * id) is ignored: live readings from now on.
   */
  @Get('v1/patients/:patientId/readings/live')
  @Roles('patient', 'provider', 'ops')
  async liveView(@Param('patientId') patientIdParam: string, @CurrentActor() actor: AuthenticatedActor, @Req() req: Request, @Res() res: Response) {
    const patientId = uuidParam('patientId', patientIdParam);
    assertMaySee(actor, await this.patients.patient(patientId), patientId);
    res.status(200);
    res.setHeader('content-type', 'text/event-stream');
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('connection', 'keep-alive');
    res.flushHeaders();
    const send = (reading: Reading, position: number) => res.write(`id: ${position}\nevent: reading\ndata: ${JSON.stringify(reading)}\n\n`);
    const lastEventId = req.header('last-event-id')?.trim();
    const after = lastEventId !== undefined && /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : undefined;
    const { ready, unsubscribe } =
      after === undefined
        ? this.live.subscribe(patientId, send)
        : this.live.resume(patientId, after, send, {
            limit: LIVE_REPLAY_LIMIT,
            onTooFarBehind: () =>
              res.write(`event: reset\ndata: ${JSON.stringify({ reason: `more than ${LIVE_REPLAY_LIMIT} readings since Last-Event-ID ${after}: reload with GET /v1/patients/${patientId}/readings` })}\n\n`),
          });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    // Both idempotent: the request's close and a failed replay may each call it.
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    req.on('close', close);
    try {
      await ready;
    } catch {
      // The headers are sent: end the stream, and the viewer reconnects (EventSource does) and resumes.
      close();
      res.end();
      return;
    }
    res.write(': connected\n\n');
  }
}

/** Readings a reconnecting live viewer is sent at most before it is told to reload instead. */
const LIVE_REPLAY_LIMIT = 1_000;

export const hashDeviceKey = (key: string): string => createHash('sha256').update(key).digest('hex');
