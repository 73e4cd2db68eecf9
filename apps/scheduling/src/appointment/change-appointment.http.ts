import { Body, Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { type EventStore, type StreamStep, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import { assertMayActFor, commandMetadata, optionalIdempotencyKey } from '../scheduling.http-support';
import type { ReadModels } from '../read-models.projection';
import type { SchedulingPolicy } from '../scheduling.policy';
import type { Clock } from '../clock.port';
import { CLOCK, EVENT_STORE, READ_MODELS, SCHEDULING_POLICY } from '../scheduling.tokens';
import type { Interval } from '../provider-day/provider-day.events';
import { type DayStep, dayStep } from '../provider-day/provider-day.stream';
import { type DayTerms, providerTerms, termsAt } from '../provider-day/provider-terms.handler';
import type { AppointmentCommand } from './appointment.commands';
import { appointmentDecider } from './appointment.decider';
import type { AppointmentBooked } from './appointment.events';
import { booked } from './appointment.rules';
import { appointmentStep, appointmentStreamId, changeAppointment, loadAppointment } from './appointment.stream';
import { cancelBody, rescheduleBody } from './appointment.schemas';

/** Cancel, reschedule, check in, no-show: the appointment's stream, with the days whose time it frees or takes. */
@Controller('v1/appointments/:appointmentId')
export class ChangeAppointmentController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(SCHEDULING_POLICY) private readonly policy: SchedulingPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('cancel')
  @HttpCode(200)
  @Roles('patient', 'provider', 'ops')
  async cancel(
    @Param('appointmentId', ParseUUIDPipe) appointmentId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const { reasonCode } = parseBody(cancelBody, body);
    const metadata = this.metadata(actor, key);
    const result = await changeAppointment(this.store, appointmentId, async ({ booking }, version) => {
      assertMayActFor(actor, booking);
      // The lead's and every participant's time is freed in the same write.
      return [
        appointmentStep({ type: 'CancelAppointment', data: { appointmentId, reasonCode }, metadata }, version),
        ...(await releaseSteps(this.store, booking, reasonCode, metadata)),
      ];
    });
    await this.readModels.include(result.newEvents);
    return this.current(appointmentId);
  }

  @Post('reschedule')
  @HttpCode(200)
  @Roles('patient', 'provider', 'ops')
  async reschedule(
    @Param('appointmentId', ParseUUIDPipe) appointmentId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const { slotStart, reasonCode } = parseBody(rescheduleBody, body);
    const metadata = this.metadata(actor, key);
    const result = await changeAppointment(this.store, appointmentId, async ({ booking }, version) => {
      assertMayActFor(actor, booking);
      const leadAt = await providerTerms(this.store, booking.providerId);
      const target = leadAt(slotStart);
      return [
        appointmentStep({ type: 'RescheduleAppointment', data: { appointmentId, to: target.slot, reasonCode }, metadata }, version),
        ...leadMove(booking, leadAt(booking.start), target, metadata),
        ...(await this.participantMoves(booking, target.slot, metadata)),
      ];
    });
    await this.readModels.include(result.newEvents);
    return this.current(appointmentId);
  }

  @Post('check-in')
  @HttpCode(200)
  @Roles('patient', 'ops')
  async checkIn(
    @Param('appointmentId', ParseUUIDPipe) appointmentId: string,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    return this.record(appointmentId, actor, { type: 'CheckIn', data: { appointmentId, policy: this.policy.attendance }, metadata: this.metadata(actor, key) });
  }

  @Post('no-show')
  @HttpCode(200)
  @Roles('provider', 'ops')
  async noShow(
    @Param('appointmentId', ParseUUIDPipe) appointmentId: string,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    return this.record(appointmentId, actor, { type: 'MarkNoShow', data: { appointmentId, policy: this.policy.attendance }, metadata: this.metadata(actor, key) });
  }

  /** A change of the appointment alone (the time it takes stays). */
  private async record(appointmentId: string, actor: AuthenticatedActor, command: AppointmentCommand) {
    const { booking } = booked((await loadAppointment(this.store, appointmentId)).state, appointmentId);
    assertMayActFor(actor, booking);
    const result = await handle(this.store, appointmentStreamId(appointmentId), appointmentDecider, command);
    await this.readModels.include(result.newEvents);
    return this.current(appointmentId);
  }

  /** Each participant's time moves with the lead's: within their day, or released there and taken on the new day. */
  private async participantMoves(booking: AppointmentBooked['data'], to: Interval, metadata: CommandMetadata): Promise<StreamStep[]> {
    const moves = await Promise.all(
      (booking.additionalProviderIds ?? []).map(async (participantId): Promise<DayStep[]> => {
        const at = await providerTerms(this.store, participantId);
        const [from, target] = [at(booking.start), at(to.start)];
        const { appointmentId } = booking;
        if (from.streamId === target.streamId) {
          return [{ streamId: target.streamId, command: { type: 'MoveParticipant', data: { appointmentId, to, terms: target.terms }, metadata } }];
        }
        return [
          { streamId: from.streamId, command: { type: 'ReleaseParticipant', data: { appointmentId, reasonCode: 'rescheduled' }, metadata } },
          {
            streamId: target.streamId,
            command: {
              type: 'BookParticipant',
              data: { appointmentId, leadProviderId: booking.providerId, patientId: booking.patientId, slot: to, modality: booking.modality, patientState: booking.patientState, terms: target.terms },
              metadata,
            },
          },
        ];
      }),
    );
    return moves.flat().map(dayStep);
  }

  private metadata(actor: AuthenticatedActor, key: string | undefined): CommandMetadata {
    const commandId = optionalIdempotencyKey(key, actor);
    return commandMetadata(actor, this.clock.now(), commandId === undefined ? {} : { commandId });
  }

  private async current(appointmentId: string) {
    return (await this.readModels.appointments.byId(appointmentId))!;
  }
}

/** The lead's time: moved within the day, or taken on the new day and freed on the old one, in the one write. */
function leadMove(booking: AppointmentBooked['data'], from: DayTerms, target: DayTerms, metadata: CommandMetadata): StreamStep[] {
  const { appointmentId, patientId } = booking;
  if (from.streamId === target.streamId) {
    return [dayStep({ streamId: target.streamId, command: { type: 'MoveReservation', data: { appointmentId, to: target.slot, terms: target.terms }, metadata } })];
  }
  return [
    dayStep({ streamId: target.streamId, command: { type: 'ReserveTime', data: { appointmentId, patientId, slot: target.slot, terms: target.terms }, metadata } }),
    dayStep({ streamId: from.streamId, command: { type: 'ReleaseReservation', data: { appointmentId, reasonCode: 'rescheduled' }, metadata } }),
  ];
}

/** Frees the lead's and every participant's time of a cancelled appointment (each release is idempotent). */
export async function releaseSteps(store: EventStore, booking: AppointmentBooked['data'], reasonCode: string, metadata: CommandMetadata): Promise<StreamStep[]> {
  const { appointmentId } = booking;
  const lead = await termsAt(store, booking.providerId, booking.start);
  const participants = await Promise.all(
    (booking.additionalProviderIds ?? []).map(async (participantId): Promise<DayStep> => ({
      streamId: (await termsAt(store, participantId, booking.start)).streamId,
      command: { type: 'ReleaseParticipant', data: { appointmentId, reasonCode }, metadata },
    })),
  );
  const release: DayStep = { streamId: lead.streamId, command: { type: 'ReleaseReservation', data: { appointmentId, reasonCode }, metadata } };
  return [release, ...participants].map(dayStep);
}
