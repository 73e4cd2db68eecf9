import { Body, Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { type EventStore, handle } from '@carebridge/event-store';
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
import { loadProviderDay } from './provider-day.stream';
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
    const result = await handle(this.store, row.streamId, providerDayDecider, {
      type: 'CancelAppointment',
      data: { appointmentId, reasonCode },
      metadata: this.metadata(actor, key),
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
    const row = await this.owned(appointmentId, actor);
    const target = await termsAt(this.store, row.providerId, slotStart);
    const metadata = this.metadata(actor, key);
    if (target.streamId === row.streamId) {
      const result = await handle(this.store, row.streamId, providerDayDecider, {
        type: 'RescheduleAppointment',
        data: { appointmentId, to: target.slot, reasonCode, terms: target.terms },
        metadata,
      });
      await this.readModels.include(result.newEvents);
      return this.current(appointmentId);
    }
    await this.moveAcrossDays(row, target, reasonCode, metadata);
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
   * Two streams, so two appends: the new day accepts first (its slot is the contended part), then
   * the old day releases. If the release is refused (the appointment changed meanwhile), the new
   * day's copy is cancelled again, so the provider is never left holding both.
   */
  private async moveAcrossDays(
    row: AppointmentRow,
    target: Awaited<ReturnType<typeof termsAt>>,
    reasonCode: string,
    metadata: CommandMetadata,
  ): Promise<void> {
    const source = await loadProviderDay(this.store, row.streamId);
    const appointment = source.status === 'open' ? source.appointments[row.appointmentId] : undefined;
    if (appointment === undefined) throw new AppointmentNotFoundError(`Appointment ${row.appointmentId} not found`);
    // The same checks the release will make, before the new day is touched.
    providerDayDecider.decide({ type: 'ReleaseMovedAppointment', data: { appointmentId: row.appointmentId, to: target.slot }, metadata }, source);
    const accepted = await handle(this.store, target.streamId, providerDayDecider, {
      type: 'AcceptMovedAppointment',
      data: { appointment: appointment.booking, to: target.slot, reasonCode, terms: target.terms },
      metadata,
    });
    try {
      const released = await handle(this.store, row.streamId, providerDayDecider, {
        type: 'ReleaseMovedAppointment',
        data: { appointmentId: row.appointmentId, to: target.slot },
        metadata,
      });
      await this.readModels.include([...accepted.newEvents, ...released.newEvents].sort((a, b) => a.globalPosition - b.globalPosition));
    } catch (error) {
      await handle(this.store, target.streamId, providerDayDecider, {
        type: 'CancelAppointment',
        data: { appointmentId: row.appointmentId, reasonCode: 'reschedule-aborted' },
        metadata: { ...metadata, commandId: `${metadata.commandId ?? metadata.correlationId}:abort` },
      });
      throw error;
    }
  }

  private metadata(actor: AuthenticatedActor, key: string | undefined): CommandMetadata {
    const commandId = optionalIdempotencyKey(key);
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
