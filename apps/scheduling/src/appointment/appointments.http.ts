import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import { assertMayActFor } from '../scheduling.http-support';
import { AppointmentNotFoundError } from './appointment.errors';
import type { AppointmentRow } from './appointments.projection';
import type { ReadModels } from '../read-models.projection';
import { READ_MODELS } from '../scheduling.tokens';
import { instant } from '../provider-day/provider-day.schemas';

export const appointmentListQuery = z.strictObject({
  patientId: z.uuid().optional(),
  providerId: z.uuid().optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * An appointment as lists and reads show it: triage's disposition and rules, but not the patient's
 * matched words, which are intake (read through GET .../intake, where every read is recorded).
 */
function withoutPhrases({ triage, ...appointment }: AppointmentRow) {
  return { ...appointment, triage: triage === null ? null : { disposition: triage.disposition, rules: triage.rules, rulesVersion: triage.rulesVersion } };
}

@Controller('v1/appointments')
export class AppointmentsController {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  @Get(':appointmentId')
  @Roles('patient', 'provider', 'ops')
  async get(@Param('appointmentId', ParseUUIDPipe) appointmentId: string, @CurrentActor() actor: AuthenticatedActor) {
    const row = await this.readModels.appointments.byId(appointmentId);
    if (row === undefined) throw new AppointmentNotFoundError(`Appointment ${appointmentId} not found`);
    assertMayActFor(actor, { patientId: row.patientId, providerId: row.providerId, participantIds: row.additionalProviderIds });
    return withoutPhrases(row);
  }

  /** A patient lists their own appointments, a provider their own schedule; ops filter freely. */
  @Get()
  @Roles('patient', 'provider', 'ops')
  async list(@Query() query: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const q = parseBody(appointmentListQuery, query, 'query');
    const patientId = actor.role === 'patient' ? (q.patientId ?? actor.patientId) : q.patientId;
    const providerId = actor.role === 'provider' ? (q.providerId ?? actor.providerId) : q.providerId;
    if (actor.role === 'patient') assertMayActFor(actor, { patientId: patientId ?? '' });
    if (actor.role === 'provider') assertMayActFor(actor, { providerId: providerId ?? '' });
    const from = q.from ?? DateTime.utc().minus({ days: 1 }).toISO()!;
    const to = q.to ?? DateTime.fromISO(from).plus({ days: 90 }).toUTC().toISO()!;
    const rows = await this.readModels.appointments.list({
      ...(patientId !== undefined && { patientId }),
      ...(providerId !== undefined && { providerId }),
      from,
      to,
      limit: q.limit,
    });
    return { appointments: rows.map(withoutPhrases) };
  }
}
