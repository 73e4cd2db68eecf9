import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import type { EventStore } from '@carebridge/event-store';
import { FhirBase, FhirEndpoints, type FhirSearch, Search, capabilityStatement, resourceSpec, searchsetBundle } from '@carebridge/fhir-http';
import { type AuthenticatedActor, CurrentActor, ProblemException, Public, RequestValidationError, Roles } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { assertMayActFor } from '../scheduling.http-support';
import { AppointmentNotFoundError } from '../appointment/appointment.errors';
import { ProviderNotFoundError } from '../provider/provider.decider';
import { loadProvider } from '../provider/provider.stream';
import type { ReadModels } from '../read-models.projection';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../scheduling.tokens';
import { fhirPatient, fhirPractitioner } from './fhir-people.mapping';
import { SCHEDULING_FHIR } from './scheduling.fhir-server';
import { dateRange, fhirAppointment, fhirSchedule, fhirSlot } from './fhir.mapping';

const DAY = 86_400_000;
const notFound = (what: string) => new ProblemException(404, 'FHIR.NOT_FOUND', `${what} not found`);

function range(values: readonly string[], field: string, defaultDays: number, now: Date): { from: Date; to: Date } {
  const parsed = dateRange(values);
  if (parsed === undefined) throw new RequestValidationError([{ field, message: 'must be a FHIR date search value, e.g. ge2026-03-01' }]);
  const from = parsed.from ?? now;
  const to = parsed.to ?? new Date(from.getTime() + defaultDays * DAY);
  if (to.getTime() - from.getTime() > 62 * DAY) throw new RequestValidationError([{ field, message: 'the range may span at most 62 days' }]);
  return { from, to };
}

/** FHIR R4 views of Schedule, Slot, Appointment, Patient and Practitioner for FHIR-speaking portals (SCHEDULING_FHIR). */
@Controller('fhir/R4')
@FhirEndpoints()
export class FhirViewsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('metadata')
  @Public()
  metadata(@FhirBase() base: string) {
    return capabilityStatement(SCHEDULING_FHIR, base);
  }

  @Get('Appointment')
  @Roles('patient', 'provider', 'ops')
  async appointments(@Search(resourceSpec(SCHEDULING_FHIR, 'Appointment')) search: FhirSearch, @FhirBase() base: string, @CurrentActor() actor: AuthenticatedActor) {
    const patientId = search.reference('patient') ?? (actor.role === 'patient' ? actor.patientId : undefined);
    const providerId = search.reference('practitioner') ?? (actor.role === 'provider' ? actor.providerId : undefined);
    if (actor.role === 'patient') assertMayActFor(actor, { patientId: patientId ?? '' });
    if (actor.role === 'provider') assertMayActFor(actor, { providerId: providerId ?? '' });
    const { from, to } = range(search.all('date'), 'date', 60, new Date(this.clock.now().getTime() - DAY));
    const rows = await this.readModels.appointments.list({
      ...(patientId !== undefined && { patientId }),
      ...(providerId !== undefined && { providerId }),
      from: from.toISOString(),
      to: to.toISOString(),
      limit: 1_000,
    });
    return searchsetBundle(base, search, rows.map(fhirAppointment));
  }

  @Get('Appointment/:id')
  @Roles('patient', 'provider', 'ops')
  async appointment(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: AuthenticatedActor) {
    const row = await this.readModels.appointments.byId(id);
    if (row === undefined) throw new AppointmentNotFoundError(`Appointment ${id} not found`);
    assertMayActFor(actor, { patientId: row.patientId, providerId: row.providerId, participantIds: row.additionalProviderIds });
    return fhirAppointment(row);
  }

  @Get('Schedule/:id')
  @Roles('patient', 'provider', 'ops')
  async schedule(@Param('id', ParseUUIDPipe) id: string) {
    const provider = await loadProvider(this.store, id);
    if (provider.status !== 'active') throw new ProviderNotFoundError(`Schedule ${id} not found`);
    return fhirSchedule(provider.profile);
  }

  @Get('Slot')
  @Roles('patient', 'provider', 'ops')
  async slots(@Search(resourceSpec(SCHEDULING_FHIR, 'Slot')) search: FhirSearch, @FhirBase() base: string) {
    const scheduleId = search.reference('schedule')!;
    const now = this.clock.now();
    const { from, to } = range(search.all('start'), 'start', 7, now);
    const slots = await this.readModels.slots.forProvider(scheduleId, from, to, now);
    return searchsetBundle(base, search, slots.map(fhirSlot));
  }

  /** `Slot/<schedule id>.<start epoch ms>`: the slot computed for that start, free or busy. */
  @Get('Slot/:id')
  @Roles('patient', 'provider', 'ops')
  async slot(@Param('id') id: string) {
    const match = /^([0-9a-f-]{36})\.(\d{1,15})$/i.exec(id);
    if (!match) throw new RequestValidationError([{ field: 'id', message: 'must be <schedule id>.<start epoch ms>' }]);
    const start = new Date(Number(match[2]));
    const slots = await this.readModels.slots.forProvider(match[1]!.toLowerCase(), start, new Date(start.getTime() + DAY), this.clock.now());
    const slot = slots.find((s) => Date.parse(s.start) === start.getTime());
    if (!slot) throw notFound(`Slot ${id}`);
    return fhirSlot(slot);
  }

  /** A patient with appointments here (the access policy admits the patient and their providers, audited). */
  @Get('Patient/:id')
  @Roles('patient', 'provider', 'ops')
  async patient(@Param('id', ParseUUIDPipe) id: string) {
    const patientId = id.toLowerCase();
    const known = await this.readModels.appointments.list({ patientId, from: '1970-01-01T00:00:00Z', to: '9999-12-31T00:00:00Z', limit: 1 });
    if (known.length === 0) throw notFound(`Patient ${id}`);
    return fhirPatient(patientId);
  }

  @Get('Practitioner/:id')
  @Roles('patient', 'provider', 'ops')
  async practitioner(@Param('id', ParseUUIDPipe) id: string) {
    const provider = await loadProvider(this.store, id);
    if (provider.status !== 'active') throw notFound(`Practitioner ${id}`);
    return fhirPractitioner(provider.profile);
  }
}
