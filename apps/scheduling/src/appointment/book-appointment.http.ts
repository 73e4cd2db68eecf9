import { Body, Controller, Headers, HttpStatus, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { type EventStore, deterministicEventId, handleMany } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, RequestValidationError, Roles, parseBody } from '@carebridge/platform';
import { assertMayActFor, commandMetadata, requireIdempotencyKey } from '../scheduling.http-support';
import type { ReadModels } from '../read-models.projection';
import type { Clock } from '../clock.port';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../scheduling.tokens';
import { type DayStep, dayStep, sessionTime } from '../provider-day/provider-day.stream';
import { appointmentStep, appointmentStreamId } from './appointment.stream';
import type { BookAppointment } from './appointment.commands';
import type { AppointmentBooked, AppointmentEvent } from './appointment.events';
import { bookedTriage, emergencyAnswer, inPersonAnswer, intakeLanguage, triageRedirects } from './booking-answer.views';
import { bookAppointmentBody } from './appointment.schemas';
import { termsAt } from '../provider-day/provider-terms.handler';

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
    const day = await termsAt(this.store, providerId, slotStart);
    const metadata = commandMetadata(actor, this.clock.now(), { commandId });
    const appointmentId = deterministicEventId(day.streamId, `appointment:${commandId}`, 0);
    // A seat takes its session's time, which need not be one of the provider's grid slots.
    const slot = (data.groupSessionId !== undefined && (await sessionTime(this.store, day.streamId, data.groupSessionId, slotStart))) || day.slot;
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
        ...(data.groupSessionId !== undefined && { groupSessionId: data.groupSessionId }),
        ...(additional.length > 0 && { additionalProviderIds: additional }),
        ...(data.serviceCodes !== undefined && { serviceCodes: data.serviceCodes }),
        ...(data.visitPurpose !== undefined && { visitPurpose: data.visitPurpose }),
        ...(data.patientSetting !== undefined && { patientSetting: data.patientSetting }),
        terms: day.terms,
      },
      metadata,
    };
    const reserve: DayStep = {
      streamId: day.streamId,
      command: {
        type: 'ReserveTime',
        data: {
          appointmentId,
          patientId,
          slot,
          ...(data.holdId !== undefined && { holdId: data.holdId }),
          ...(data.override !== undefined && { override: data.override }),
          ...(data.groupSessionId !== undefined && { groupSessionId: data.groupSessionId }),
          terms: day.terms,
        },
        metadata,
      },
    };
    // Triage that ends the booking takes nobody's time: only the appointment records the answer.
    const steps = triageRedirects(data.reason, data.intake, data.modality)
      ? [appointmentStep(command)]
      : [
          appointmentStep(command),
          dayStep(reserve),
          ...(await Promise.all(
            additional.map(async (participantId): Promise<DayStep> => {
              const participant = await termsAt(this.store, participantId, slot.start);
              return {
                streamId: participant.streamId,
                command: {
                  type: 'BookParticipant',
                  data: { appointmentId, leadProviderId: providerId, patientId, slot, modality: data.modality, patientState: data.patientState, terms: participant.terms },
                  metadata,
                },
              };
            }),
          )).map(dayStep),
        ];
    const result = await handleMany(this.store, steps);
    await this.readModels.include(result.newEvents);
    const last = result.newEvents.filter((e) => e.streamId === appointmentStreamId(appointmentId)).at(-1)!;
    const event = { type: last.type, data: last.data } as AppointmentEvent;
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
