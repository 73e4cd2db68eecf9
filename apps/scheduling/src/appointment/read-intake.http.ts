import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { z } from 'zod';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { assertMayActFor, commandMetadata } from '../scheduling.http-support';
import { appointmentDecider } from './appointment.decider';
import { booked } from './appointment.rules';
import type { Appointment } from './appointment.state';
import { appointmentStreamId, loadAppointment } from './appointment.stream';
import { CLOCK, EVENT_STORE } from '../scheduling.tokens';

// HIPAA purposes of use a reader may state (45 CFR 164.506: treatment, payment, health care operations).
export const intakeQuery = z.strictObject({ purpose: z.enum(['treatment', 'payment', 'operations', 'patient-access']) });

/** The intake (symptoms, description, questions) of one appointment; every read is recorded with actor and purpose. */
@Controller('v1/appointments/:appointmentId/intake')
export class ReadIntakeController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
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
    const appointment = await readIntake(this.store, appointmentId, actor, purpose, this.clock.now());
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

/**
 * The appointment as one who may read its intake sees it, the read recorded first (`IntakeRead`:
 * actor and purpose, HIPAA access accounting): the intake and its attachments are read alike.
 */
export async function readIntake(store: EventStore, appointmentId: string, actor: AuthenticatedActor, purpose: string, now: Date): Promise<Appointment> {
  const { booking } = booked((await loadAppointment(store, appointmentId)).state, appointmentId);
  assertMayActFor(actor, booking);
  const result = await handle(store, appointmentStreamId(appointmentId), appointmentDecider, {
    type: 'RecordIntakeRead',
    data: { appointmentId, purpose },
    metadata: commandMetadata(actor, now, { purpose }),
  });
  return booked(result.state, appointmentId);
}
