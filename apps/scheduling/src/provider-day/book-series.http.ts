import { Body, Controller, Headers, HttpStatus, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { type EventStore, type HandleResult, deterministicEventId, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, RequestValidationError, Roles, parseBody } from '@carebridge/platform';
import { DomainError, type DomainErrorKind, isDomainError } from '@carebridge/shared-kernel';
import type { Clock } from '../clock';
import { assertMayActFor, commandMetadata, requireIdempotencyKey } from '../http-support';
import { ProviderNotFoundError } from '../provider/provider.decider';
import { loadProvider } from '../provider/provider.stream';
import type { ReadModels } from '../read-models';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../scheduling.tokens';
import { type ProviderDayState, providerDayDecider } from './provider-day.decider';
import type { AppointmentBooked, EmergencyRedirected } from './provider-day.events';
import { bookAppointmentBody } from './provider-day.schemas';
import { termsAt } from './provider-terms';

export const seriesBody = bookAppointmentBody.safeExtend({
  repeat: z.strictObject({ every: z.enum(['week', 'month']), count: z.number().int().min(2).max(12) }),
});

export class SeriesOccurrenceRefusedError extends DomainError {
  readonly code = 'APPOINTMENT_SERIES.OCCURRENCE_REFUSED';
  constructor(
    override readonly kind: DomainErrorKind,
    message: string,
    details: Record<string, unknown>,
  ) {
    super(message, details);
  }
}

/**
 * A recurring series (weekly therapy, monthly check-ups): every occurrence at the same wall-clock
 * time in the provider's zone (so across a DST change too), each an ordinary appointment on its
 * own day stream, changeable on its own. All or nothing: if one occurrence is refused, the ones
 * already booked are cancelled again and the answer names the occurrence.
 */
@Controller('v1/appointment-series')
export class BookSeriesController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('patient', 'provider', 'ops')
  async book(
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
    @Res({ passthrough: true }) response: Response,
  ) {
    const commandId = requireIdempotencyKey(key);
    const { slotStart, providerId, patientId: requested, repeat, ...data } = parseBody(seriesBody, body);
    const patientId = requested ?? actor.patientId;
    if (patientId === undefined) throw new RequestValidationError([{ field: 'patientId', message: 'Required' }]);
    assertMayActFor(actor, { patientId, providerId });
    const provider = await loadProvider(this.store, providerId);
    if (provider.status !== 'active') throw new ProviderNotFoundError(`Provider ${providerId} not found`);
    const first = DateTime.fromISO(slotStart, { zone: 'utc' }).setZone(provider.profile.timeZone);
    const starts = Array.from({ length: repeat.count }, (_, k) => first.plus(repeat.every === 'week' ? { weeks: k } : { months: k }).toUTC().toISO()!);
    const seriesId = deterministicEventId(`series:${patientId}`, commandId, 0);
    const metadata = commandMetadata(actor, this.clock.now(), { commandId });
    const booked: { streamId: string; result: HandleResult<ProviderDayState> }[] = [];
    for (const [k, start] of starts.entries()) {
      const { streamId, terms, slot } = await termsAt(this.store, providerId, start);
      try {
        const result = await handle(this.store, streamId, providerDayDecider, {
          type: 'BookAppointment',
          data: {
            appointmentId: deterministicEventId(streamId, `appointment:${commandId}:${k}`, 0),
            patientId,
            slot,
            modality: data.modality,
            patientState: data.patientState,
            reason: data.reason,
            intake: data.intake,
            series: { seriesId, occurrence: k + 1, of: repeat.count },
            terms,
          },
          metadata: { ...metadata, commandId: `${commandId}:${k}` },
        });
        const event = result.newEvents.at(-1)!;
        if (event.type === 'EmergencyRedirected') {
          // Triage does not depend on the date: the first occurrence answers for the series.
          await this.readModels.include(result.newEvents);
          response.status(HttpStatus.OK);
          const d = event.data as EmergencyRedirected['data'];
          return { booked: false, triage: { outcome: 'emergency', redFlags: d.redFlags, guidance: d.guidance } };
        }
        booked.push({ streamId, result });
      } catch (error) {
        await this.undo(booked, metadata, commandId);
        if (!isDomainError(error)) throw error;
        throw new SeriesOccurrenceRefusedError(error.kind, `Occurrence ${k + 1} (${start}): ${error.message}`, {
          occurrence: k + 1,
          start,
          cause: error.code,
        });
      }
    }
    await this.readModels.include(booked.flatMap((b) => b.result.newEvents).sort((a, b) => a.globalPosition - b.globalPosition));
    response.status(HttpStatus.CREATED);
    return {
      seriesId,
      appointments: booked.map(({ result }) => {
        const d = result.newEvents.at(-1)!.data as AppointmentBooked['data'];
        return { appointmentId: d.appointmentId, start: d.start, end: d.end, occurrence: d.series!.occurrence };
      }),
    };
  }

  private async undo(
    booked: readonly { streamId: string; result: HandleResult<ProviderDayState> }[],
    metadata: ReturnType<typeof commandMetadata>,
    commandId: string,
  ): Promise<void> {
    for (const [i, { streamId, result }] of booked.entries()) {
      const d = result.newEvents.at(-1)!.data as AppointmentBooked['data'];
      await handle(this.store, streamId, providerDayDecider, {
        type: 'CancelAppointment',
        data: { appointmentId: d.appointmentId, reasonCode: 'series-aborted' },
        metadata: { ...metadata, commandId: `${commandId}:abort:${i}` },
      });
    }
  }
}
