import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { z } from 'zod';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { Clock } from '../clock';
import { assertMayActFor, commandMetadata } from '../http-support';
import { AppointmentNotFoundError, providerDayDecider } from '../provider-day/provider-day.decider';
import type { ReadModels } from '../read-models';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../scheduling.tokens';

// HIPAA purposes of use a reader may state (45 CFR 164.506: treatment, payment, health care operations).
export const intakeQuery = z.strictObject({ purpose: z.enum(['treatment', 'payment', 'operations', 'patient-access']) });

/** The intake (symptoms, description, questions) of one appointment; every read is recorded with actor and purpose. */
@Controller('v1/appointments/:appointmentId/intake')
export class ReadIntakeController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('patient', 'provider')
  async read(
    @Param('appointmentId', ParseUUIDPipe) appointmentId: string,
    @Query() query: unknown,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const { purpose } = parseBody(intakeQuery, query, 'query');
    const row = await this.readModels.appointments.byId(appointmentId);
    if (row === undefined) throw new AppointmentNotFoundError(`Appointment ${appointmentId} not found`);
    assertMayActFor(actor, { patientId: row.patientId, providerId: row.providerId });
    const result = await handle(this.store, row.streamId, providerDayDecider, {
      type: 'RecordIntakeRead',
      data: { appointmentId, purpose },
      metadata: commandMetadata(actor, this.clock.now(), { purpose }),
    });
    const appointment = result.state.status === 'open' ? result.state.appointments[appointmentId] : undefined;
    if (appointment === undefined) throw new AppointmentNotFoundError(`Appointment ${appointmentId} not found`);
    const { triage } = appointment.booking;
    return {
      appointmentId,
      reason: appointment.booking.reason,
      intake: appointment.booking.intake,
      attachments: appointment.attachments,
      // Which of these words triggered which rule (or were read as negated or past), and any review.
      ...(triage !== undefined && { triage }),
      ...(appointment.triageReview !== undefined && { triageReview: appointment.triageReview }),
    };
  }
}
