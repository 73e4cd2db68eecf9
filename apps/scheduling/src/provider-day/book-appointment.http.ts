import { Body, Controller, Headers, HttpStatus, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { type EventStore, deterministicEventId, handle, handleMany } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, RequestValidationError, Roles, parseBody } from '@carebridge/platform';
import { assertMayActFor, commandMetadata, requireIdempotencyKey } from '../http-support';
import type { ReadModels } from '../read-models';
import type { Clock } from '../clock';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../scheduling.tokens';
import { type DayStep, dayStep } from './provider-day.stream';
import { type BookAppointment, providerDayDecider } from './provider-day.decider';
import type { AppointmentBooked, ProviderDayEvent } from './provider-day.events';
import { bookedTriage, emergencyAnswer, inPersonAnswer, intakeLanguage, triageRedirects } from './booking-answer';
import { bookAppointmentBody } from './provider-day.schemas';
import { termsAt } from './provider-terms';

/** FHIR Appointment $book: books a free (or own held) slot after triage of the intake. */
@Controller('v1/appointments')
export class BookAppointmentController {
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
    const { slotStart, providerId, patientId: requested, ...data } = parseBody(bookAppointmentBody, body);
    const patientId = requested ?? actor.patientId;
    if (patientId === undefined) throw new RequestValidationError([{ field: 'patientId', message: 'Required' }]);
    assertMayActFor(actor, { patientId, providerId });
    const additional = data.additionalProviderIds ?? [];
    checkAdditionalProviders(providerId, additional, data.groupSessionId);
    const { streamId, terms, slot } = await termsAt(this.store, providerId, slotStart);
    const metadata = commandMetadata(actor, this.clock.now(), { commandId });
    const appointmentId = deterministicEventId(streamId, `appointment:${commandId}`, 0);
    const command: BookAppointment = {
      type: 'BookAppointment',
      data: {
        appointmentId,
        patientId,
        slot,
        modality: data.modality,
        patientState: data.patientState,
        reason: data.reason,
        intake: data.intake,
        ...(data.holdId !== undefined && { holdId: data.holdId }),
        ...(data.override !== undefined && { override: data.override }),
        ...(data.groupSessionId !== undefined && { groupSessionId: data.groupSessionId }),
        ...(additional.length > 0 && { additionalProviderIds: additional }),
        ...(data.serviceCodes !== undefined && { serviceCodes: data.serviceCodes }),
        ...(data.visitPurpose !== undefined && { visitPurpose: data.visitPurpose }),
        ...(data.patientSetting !== undefined && { patientSetting: data.patientSetting }),
        terms,
      },
      metadata,
    };
    // Triage that ends the booking answers whoever else was named: only the lead's day records it.
    const result =
      additional.length === 0 || triageRedirects(data.reason, data.intake, data.modality)
        ? await handle(this.store, streamId, providerDayDecider, command)
        : await handleMany(this.store, [
            dayStep({ streamId, command }),
            ...(await Promise.all(
              additional.map(async (participantId): Promise<DayStep> => {
                const participant = await termsAt(this.store, participantId, slot.start);
                return {
                  streamId: participant.streamId,
                  command: {
                    type: 'BookParticipant',
                    data: {
                      appointmentId,
                      leadProviderId: providerId,
                      patientId,
                      slot,
                      modality: data.modality,
                      patientState: data.patientState,
                      terms: participant.terms,
                    },
                    metadata,
                  },
                };
              }),
            )).map(dayStep),
          ]);
    await this.readModels.include(result.newEvents);
    const last = result.newEvents.filter((e) => e.streamId === streamId).at(-1)!;
    const event = { type: last.type, data: last.data } as ProviderDayEvent;
    // Nothing booked: the request was understood, answered with what to do instead, and recorded.
    if (event.type === 'EmergencyRedirected') {
      response.status(HttpStatus.OK);
      return emergencyAnswer(event.data);
    }
    if (event.type === 'InPersonRedirected') {
      response.status(HttpStatus.OK);
      return inPersonAnswer(this.store, this.readModels, event.data, data.patientState, this.clock.now());
    }
    const booked = event.data as AppointmentBooked['data'];
    const answeredTriage = bookedTriage(booked, intakeLanguage(data.reason, data.intake));
    response.status(HttpStatus.CREATED);
    return {
      booked: true,
      appointmentId: booked.appointmentId,
      providerId: booked.providerId,
      patientId: booked.patientId,
      start: booked.start,
      end: booked.end,
      modality: booked.modality,
      ...(booked.additionalProviderIds !== undefined && { additionalProviderIds: booked.additionalProviderIds }),
      status: 'booked',
      ...(answeredTriage !== undefined && { triage: answeredTriage }),
    };
  }
}

function checkAdditionalProviders(providerId: string, additional: readonly string[], groupSessionId: string | undefined): void {
  const errors: { field: string; message: string }[] = [];
  if (additional.includes(providerId)) errors.push({ field: 'additionalProviderIds', message: 'must not repeat providerId' });
  if (new Set(additional).size !== additional.length) errors.push({ field: 'additionalProviderIds', message: 'must not name a provider twice' });
  if (additional.length > 0 && groupSessionId !== undefined) {
    errors.push({ field: 'additionalProviderIds', message: 'a group session seat cannot name further providers' });
  }
  if (errors.length > 0) throw new RequestValidationError(errors);
}
