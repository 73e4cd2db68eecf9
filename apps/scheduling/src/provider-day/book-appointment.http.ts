import { Body, Controller, Headers, HttpStatus, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { type EventStore, deterministicEventId, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, RequestValidationError, Roles, parseBody } from '@carebridge/platform';
import { assertMayActFor, commandMetadata, requireIdempotencyKey } from '../http-support';
import type { ReadModels } from '../read-models';
import type { Clock } from '../clock';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../scheduling.tokens';
import { providerDayDecider } from './provider-day.decider';
import type { AppointmentBooked, ProviderDayEvent } from './provider-day.events';
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
    const commandId = requireIdempotencyKey(key);
    const { slotStart, providerId, patientId: requested, ...data } = parseBody(bookAppointmentBody, body);
    const patientId = requested ?? actor.patientId;
    if (patientId === undefined) throw new RequestValidationError([{ field: 'patientId', message: 'Required' }]);
    assertMayActFor(actor, { patientId, providerId });
    const { streamId, terms, slot } = await termsAt(this.store, providerId, slotStart);
    const result = await handle(this.store, streamId, providerDayDecider, {
      type: 'BookAppointment',
      data: {
        appointmentId: deterministicEventId(streamId, `appointment:${commandId}`, 0),
        patientId,
        slot,
        modality: data.modality,
        patientState: data.patientState,
        reason: data.reason,
        intake: data.intake,
        ...(data.holdId !== undefined && { holdId: data.holdId }),
        ...(data.override !== undefined && { override: data.override }),
        ...(data.groupSessionId !== undefined && { groupSessionId: data.groupSessionId }),
        terms,
      },
      metadata: commandMetadata(actor, this.clock.now(), { commandId }),
    });
    await this.readModels.include(result.newEvents);
    const last = result.newEvents.at(-1)!;
    const event = { type: last.type, data: last.data } as ProviderDayEvent;
    if (event.type === 'EmergencyRedirected') {
      // Nothing was booked: the request was understood and answered with guidance, and recorded.
      response.status(HttpStatus.OK);
      return { booked: false, triage: { outcome: 'emergency', redFlags: event.data.redFlags, guidance: event.data.guidance } };
    }
    const booked = event.data as AppointmentBooked['data'];
    response.status(HttpStatus.CREATED);
    return {
      booked: true,
      appointmentId: booked.appointmentId,
      providerId: booked.providerId,
      patientId: booked.patientId,
      start: booked.start,
      end: booked.end,
      modality: booked.modality,
      status: 'booked',
    };
  }
}
