import { Body, Controller, Headers, HttpStatus, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { type EventStore, deterministicEventId, handle, handleMany } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, RequestValidationError, Roles, parseBody } from '@carebridge/platform';
import { DomainError, type DomainErrorKind, isDomainError } from '@carebridge/shared-kernel';
import type { Clock } from '../clock.port';
import { assertMayActFor, commandMetadata, requireIdempotencyKey } from '../scheduling.http-support';
import { ProviderNotFoundError } from '../provider/provider.decider';
import { loadProvider } from '../provider/provider.stream';
import type { ReadModels } from '../read-models.projection';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../scheduling.tokens';
import { type DayStep, dayStep } from '../provider-day/provider-day.stream';
import type { BookAppointment } from './appointment.commands';
import { appointmentDecider } from './appointment.decider';
import { appointmentStep, appointmentStreamId } from './appointment.stream';
import { bookedTriage, emergencyAnswer, inPersonAnswer, intakeLanguage, triageRedirects } from './booking-answer.views';
import type { AppointmentBooked, AppointmentEvent } from './appointment.events';
import { bookingFields } from './appointment.schemas';
import { providerTerms } from '../provider-day/provider-terms.handler';

export const seriesBody = z.strictObject({
  ...bookingFields,
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
 * own day stream, changeable on its own. All or nothing: every occurrence's day is written in one
 * transaction (`handleMany`); a refused occurrence is named and nothing is booked.
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
    const commandId = requireIdempotencyKey(key, actor);
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
    const occurrences: { book: BookAppointment; reserve: DayStep }[] = [];
    const termsOn = await providerTerms(this.store, providerId);
    for (const [k, start] of starts.entries()) {
      const { streamId, terms, slot } = termsOn(start);
      const appointmentId = deterministicEventId(streamId, `appointment:${commandId}:${k}`, 0);
      const occurrenceMetadata = { ...metadata, commandId: `${commandId}:${k}` };
      const book: BookAppointment = {
        type: 'BookAppointment',
        data: {
          appointmentId,
          patientId,
          slot,
          modality: data.modality,
          patientState: data.patientState,
          reason: data.reason,
          intake: data.intake,
          series: { seriesId, occurrence: k + 1, of: repeat.count },
          ...(data.serviceCodes !== undefined && { serviceCodes: data.serviceCodes }),
          ...(data.visitPurpose !== undefined && { visitPurpose: data.visitPurpose }),
          ...(data.patientSetting !== undefined && { patientSetting: data.patientSetting }),
          terms,
        },
        metadata: occurrenceMetadata,
      };
      occurrences.push({ book, reserve: { streamId, command: { type: 'ReserveTime', data: { appointmentId, patientId, slot, terms }, metadata: occurrenceMetadata } } });
    }
    if (triageRedirects(data.reason, data.intake, data.modality)) {
      // Triage does not depend on the date: the first occurrence answers for the series.
      const result = await handle(this.store, appointmentStreamId(occurrences[0]!.book.data.appointmentId), appointmentDecider, occurrences[0]!.book);
      await this.readModels.include(result.newEvents);
      response.status(HttpStatus.OK);
      const event = { type: result.newEvents.at(-1)!.type, data: result.newEvents.at(-1)!.data } as AppointmentEvent;
      if (event.type === 'EmergencyRedirected') return emergencyAnswer(event.data);
      if (event.type === 'InPersonRedirected') return inPersonAnswer(this.store, this.readModels, event.data, data.patientState, this.clock.now());
      throw new Error(`triage redirected the series but the appointment recorded ${event.type}`);
    }
    // All or nothing in one write (each occurrence: its appointment and its day): a refused occurrence is named and nothing is booked.
    const result = await handleMany(
      this.store,
      occurrences.flatMap(({ book, reserve }) => [appointmentStep(book), dayStep(reserve)]),
      {
        refused: (step, error) => {
          const k = Math.floor(step / 2);
          return isDomainError(error)
            ? new SeriesOccurrenceRefusedError(error.kind, `Occurrence ${k + 1} (${starts[k]}): ${error.message}`, { occurrence: k + 1, start: starts[k], cause: error.code })
            : error;
        },
      },
    );
    await this.readModels.include(result.newEvents);
    const booked = result.newEvents.filter((e) => e.type === 'AppointmentBooked').map((e) => e.data as AppointmentBooked['data']);
    response.status(HttpStatus.CREATED);
    // One intake for every occurrence: the first one's triage speaks for the series (each is flagged alike).
    const seriesTriage = booked[0] === undefined ? undefined : bookedTriage(booked[0], intakeLanguage(data.reason, data.intake));
    return {
      seriesId,
      ...(seriesTriage !== undefined && { triage: seriesTriage }),
      appointments: booked
        .map((d) => ({ appointmentId: d.appointmentId, start: d.start, end: d.end, occurrence: d.series!.occurrence }))
        .sort((a, b) => a.occurrence - b.occurrence),
    };
  }
}
