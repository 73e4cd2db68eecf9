import { Body, Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { type EventStore, handle, handleMany } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import type { AppointmentRow } from '../appointments/appointments.projection';
import { assertMayActFor, commandMetadata, optionalIdempotencyKey } from '../http-support';
import type { ReadModels } from '../read-models';
import type { SchedulingPolicy } from '../scheduling.policy';
import type { Clock } from '../clock';
import { CLOCK, EVENT_STORE, READ_MODELS, SCHEDULING_POLICY } from '../scheduling.tokens';
import { AppointmentNotFoundError, providerDayDecider } from './provider-day.decider';
import { cancelBody, rescheduleBody } from './provider-day.schemas';
import type { Interval } from './provider-day.events';
import { type DayStep, dayStep, loadProviderDay } from './provider-day.stream';
import { termsAt } from './provider-terms';

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
    const row = await this.owned(appointmentId, actor);
    const metadata = this.metadata(actor, key);
    // Every participant's time is freed in the same write as the lead's.
    const participants = await Promise.all(
      row.additionalProviderIds.map(async (participantId): Promise<DayStep> => ({
        streamId: (await termsAt(this.store, participantId, row.start)).streamId,
        command: { type: 'ReleaseParticipant', data: { appointmentId, reasonCode }, metadata },
      })),
    );
    const lead: DayStep = { streamId: row.streamId, command: { type: 'CancelAppointment', data: { appointmentId, reasonCode }, metadata } };
    const result = await handleMany(this.store, [lead, ...participants].map(dayStep));
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
    const row = await this.owned(appointmentId, actor);
    const target = await termsAt(this.store, row.providerId, slotStart);
    const metadata = this.metadata(actor, key);
    const steps = [...(await this.leadMove(row, target, reasonCode, metadata)), ...(await this.participantMoves(row, target.slot, metadata))];
    const result = await handleMany(this.store, steps.map(dayStep));
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
    const row = await this.owned(appointmentId, actor);
    const result = await handle(this.store, row.streamId, providerDayDecider, {
      type: 'CheckIn',
      data: { appointmentId, policy: this.policy.attendance },
      metadata: this.metadata(actor, key),
    });
    await this.readModels.include(result.newEvents);
    return this.current(appointmentId);
  }

  @Post('no-show')
  @HttpCode(200)
  @Roles('provider', 'ops')
  async noShow(
    @Param('appointmentId', ParseUUIDPipe) appointmentId: string,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const row = await this.owned(appointmentId, actor);
    const result = await handle(this.store, row.streamId, providerDayDecider, {
      type: 'MarkNoShow',
      data: { appointmentId, policy: this.policy.attendance },
      metadata: this.metadata(actor, key),
    });
    await this.readModels.include(result.newEvents);
    return this.current(appointmentId);
  }

  /**
   * The lead's part: within the day, one event; to another day, the new day accepts and the old
   * day releases, both in the one atomic write (no compensation, no window with both days held).
   */
  private async leadMove(
    row: AppointmentRow,
    target: Awaited<ReturnType<typeof termsAt>>,
    reasonCode: string,
    metadata: CommandMetadata,
  ): Promise<DayStep[]> {
    const { appointmentId } = row;
    if (target.streamId === row.streamId) {
      return [{ streamId: row.streamId, command: { type: 'RescheduleAppointment', data: { appointmentId, to: target.slot, reasonCode, terms: target.terms }, metadata } }];
    }
    const source = await loadProviderDay(this.store, row.streamId);
    const appointment = source.status === 'open' ? source.appointments[appointmentId] : undefined;
    if (appointment === undefined) throw new AppointmentNotFoundError(`Appointment ${appointmentId} not found`);
    return [
      {
        streamId: target.streamId,
        command: { type: 'AcceptMovedAppointment', data: { appointment: appointment.booking, to: target.slot, reasonCode, terms: target.terms }, metadata },
      },
      { streamId: row.streamId, command: { type: 'ReleaseMovedAppointment', data: { appointmentId, to: target.slot }, metadata } },
    ];
  }

  /** Each participant's time moves with the lead's: within their day, or released there and taken on the new day. */
  private async participantMoves(row: AppointmentRow, to: Interval, metadata: CommandMetadata): Promise<DayStep[]> {
    if (row.additionalProviderIds.length === 0) return [];
    const lead = await loadProviderDay(this.store, row.streamId);
    const booking = lead.status === 'open' ? lead.appointments[row.appointmentId]?.booking : undefined;
    if (booking === undefined) throw new AppointmentNotFoundError(`Appointment ${row.appointmentId} not found`);
    const moves = await Promise.all(
      row.additionalProviderIds.map(async (participantId): Promise<DayStep[]> => {
        const from = await termsAt(this.store, participantId, row.start);
        const target = await termsAt(this.store, participantId, to.start);
        const { appointmentId } = row;
        if (from.streamId === target.streamId) {
          return [{ streamId: target.streamId, command: { type: 'MoveParticipant', data: { appointmentId, to, terms: target.terms }, metadata } }];
        }
        return [
          { streamId: from.streamId, command: { type: 'ReleaseParticipant', data: { appointmentId, reasonCode: 'rescheduled' }, metadata } },
          {
            streamId: target.streamId,
            command: {
              type: 'BookParticipant',
              data: {
                appointmentId,
                leadProviderId: row.providerId,
                patientId: row.patientId,
                slot: to,
                modality: booking.modality,
                patientState: booking.patientState,
                terms: target.terms,
              },
              metadata,
            },
          },
        ];
      }),
    );
    return moves.flat();
  }

  private metadata(actor: AuthenticatedActor, key: string | undefined): CommandMetadata {
    const commandId = optionalIdempotencyKey(key, actor);
    return commandMetadata(actor, this.clock.now(), commandId === undefined ? {} : { commandId });
  }

  private async owned(appointmentId: string, actor: AuthenticatedActor): Promise<AppointmentRow> {
    const row = await this.readModels.appointments.byId(appointmentId);
    if (row === undefined) throw new AppointmentNotFoundError(`Appointment ${appointmentId} not found`);
    assertMayActFor(actor, { patientId: row.patientId, providerId: row.providerId });
    return row;
  }

  private async current(appointmentId: string) {
    const { streamId: _stream, ...row } = (await this.readModels.appointments.byId(appointmentId))!;
    return row;
  }
}
