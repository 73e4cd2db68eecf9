import { Controller, Get, Header, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { z } from 'zod';
import type { EventStore } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, RequestValidationError, Roles, parseBody } from '@carebridge/platform';
import type { Clock } from '../clock';
import { assertMayActFor } from '../http-support';
import { AppointmentNotFoundError } from '../provider-day/provider-day.decider';
import { ProviderNotFoundError } from '../provider/provider.decider';
import { loadProvider } from '../provider/provider.stream';
import type { ReadModels } from '../read-models';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../scheduling.tokens';
import { dateRange, fhirAppointment, fhirSchedule, fhirSlot, searchset } from './fhir.mapping';

const FHIR_JSON = 'application/fhir+json';
const DAY = 86_400_000;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** The FHIR search parameters, for the OpenAPI document (the request gate checks them before the handler). */
export const FHIR_SEARCH_PARAMETERS = {
  appointment: { patient: `^(Patient/)?${UUID}$`, practitioner: `^(Practitioner/)?${UUID}$` },
  slot: { schedule: `^(Schedule/)?${UUID}$` },
};
const dates = z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
const reference = (type: string) =>
  z
    .string()
    .regex(new RegExp(`^(${type}/)?${UUID}$`, 'i'), `must be a ${type} id (a UUID) or ${type}/<id>`)
    .transform((v) => v.replace(`${type}/`, ''))
    .optional();

// FHIR search: parameters a server does not support are ignored (FHIR R4 3.1.1.5.7, lenient
// handling); the ones it knows are checked (the request gate refuses repeated and malformed ones).
const appointmentSearch = z.object({ patient: reference('Patient'), practitioner: reference('Practitioner'), date: dates });
const slotSearch = z.object({ schedule: reference('Schedule'), start: dates });

function range(values: readonly string[], field: string, defaultDays: number, now: Date): { from: Date; to: Date } {
  const parsed = dateRange(values);
  if (parsed === undefined) throw new RequestValidationError([{ field, message: 'must be a FHIR date search value, e.g. ge2026-03-01' }]);
  const from = parsed.from ?? now;
  const to = parsed.to ?? new Date(from.getTime() + defaultDays * DAY);
  if (to.getTime() - from.getTime() > 62 * DAY) throw new RequestValidationError([{ field, message: 'the range may span at most 62 days' }]);
  return { from, to };
}

/** Read-only FHIR R4 views of Schedule, Slot and Appointment for FHIR-speaking portals. */
@Controller('fhir/R4')
@Roles('patient', 'provider', 'ops')
export class FhirViewsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('Appointment')
  @Header('content-type', FHIR_JSON)
  async appointments(@Query() query: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const q = parseBody(appointmentSearch, query, 'query');
    const patientId = q.patient ?? (actor.role === 'patient' ? actor.patientId : undefined);
    const providerId = q.practitioner ?? (actor.role === 'provider' ? actor.providerId : undefined);
    if (actor.role === 'patient') assertMayActFor(actor, { patientId: patientId ?? '' });
    if (actor.role === 'provider') assertMayActFor(actor, { providerId: providerId ?? '' });
    const { from, to } = range(q.date, 'date', 60, new Date(this.clock.now().getTime() - DAY));
    const rows = await this.readModels.appointments.list({
      ...(patientId !== undefined && { patientId }),
      ...(providerId !== undefined && { providerId }),
      from: from.toISOString(),
      to: to.toISOString(),
      limit: 200,
    });
    return searchset(rows.map(fhirAppointment));
  }

  @Get('Appointment/:id')
  @Header('content-type', FHIR_JSON)
  async appointment(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: AuthenticatedActor) {
    const row = await this.readModels.appointments.byId(id);
    if (row === undefined) throw new AppointmentNotFoundError(`Appointment ${id} not found`);
    assertMayActFor(actor, { patientId: row.patientId, providerId: row.providerId, participantIds: row.additionalProviderIds });
    return fhirAppointment(row);
  }

  @Get('Schedule/:id')
  @Header('content-type', FHIR_JSON)
  async schedule(@Param('id', ParseUUIDPipe) id: string) {
    const provider = await loadProvider(this.store, id);
    if (provider.status !== 'active') throw new ProviderNotFoundError(`Schedule ${id} not found`);
    return fhirSchedule(provider.profile);
  }

  @Get('Slot')
  @Header('content-type', FHIR_JSON)
  async slots(@Query() query: unknown) {
    const q = parseBody(slotSearch, query, 'query');
    if (q.schedule === undefined) throw new RequestValidationError([{ field: 'schedule', message: 'Required' }]);
    const now = this.clock.now();
    const { from, to } = range(q.start, 'start', 7, now);
    const slots = await this.readModels.slots.forProvider(q.schedule, from, to, now);
    return searchset(slots.map(fhirSlot));
  }
}
