import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { z } from 'zod';
import type { EventStore } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { Clock } from '../clock';
import { auditedRead } from '../visit/read-visit.http';
import { CLOCK, EVENT_STORE } from '../visits.tokens';
import { fhirEncounter, fhirObservations, searchset } from './fhir.mapping';

/** `Encounter/<visit id>` or the id alone (also the OpenAPI document's pattern). */
export const ENCOUNTER_REFERENCE = '^(Encounter/)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const purpose = z.enum(['treatment', 'payment', 'operations', 'patient-access']);
export const encounterQuery = z.object({ purpose });
export const observationQuery = z.object({
  encounter: z.string().regex(new RegExp(ENCOUNTER_REFERENCE, 'i'), 'must be Encounter/<visit id>'),
  category: z.literal('vital-signs').optional(),
  purpose,
});

/** FHIR R4 read views of a visit; like every read of the record, each is recorded with actor and purpose. */
@Controller('fhir/R4')
export class FhirViewsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('Encounter/:id')
  @Roles('patient', 'provider')
  async encounter(@Param('id', ParseUUIDPipe) id: string, @Query() query: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const q = parseBody(encounterQuery, query, 'query');
    return fhirEncounter(await auditedRead(this.store, this.clock, id, actor, 'fhir-encounter', q.purpose));
  }

  /** Vital signs of one encounter: `Observation?encounter=Encounter/<visitId>&purpose=treatment`. */
  @Get('Observation')
  @Roles('patient', 'provider')
  async observations(@Query() query: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const q = parseBody(observationQuery, query, 'query');
    const visitId = q.encounter.replace(/^Encounter\//, '').toLowerCase();
    return searchset(fhirObservations(await auditedRead(this.store, this.clock, visitId, actor, 'fhir-observation', q.purpose)));
  }
}
