import { Controller, Get, Headers, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { BREAK_GLASS_REASON_HEADER, PURPOSE_OF_USE_HEADER, type PurposeOfUse, parsePurposeOfUse } from '@carebridge/access-audit';
import type { EventStore } from '@carebridge/event-store';
import { FhirBase, FhirEndpoints, type FhirSearch, Search, capabilityStatement, resourceSpec, searchsetBundle } from '@carebridge/fhir-http';
import { type AuthenticatedActor, CurrentActor, ProblemException, Public, Roles } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { providerDecider } from '../provider/provider.decider';
import type { ProviderEvent } from '../provider/provider.events';
import { providerStreamId } from '../provider/provider.stream';
import type { ReadModels } from '../visits.projection';
import { auditedRead } from '../visit/read-visit.http';
import { CLOCK, EVENT_STORE, READ_MODELS } from '../visits.tokens';
import { fhirPatient, fhirPractitioner } from './fhir-people.mapping';
import { VISITS_FHIR } from './visits.fhir-server';
import { fhirEncounter, fhirObservations } from './fhir.mapping';

/** The header's purpose of use (HL7 v3 PurposeOfUse) as the visit record writes it (45 CFR 164.506). */
const RECORD_PURPOSE: Record<PurposeOfUse, string> = {
  TREAT: 'treatment',
  EMERGENCY: 'treatment',
  PAYMENT: 'payment',
  OPERATIONS: 'operations',
  'PATIENT-REQUEST': 'patient-access',
};

const notFound = (what: string) => new ProblemException(404, 'FHIR.NOT_FOUND', `${what} not found`);

/**
 * FHIR R4 read views of a visit (VISITS_FHIR); like every read of the record, each is recorded with
 * actor and purpose: the `X-Purpose-Of-Use` header (default TREAT, PATIENT-REQUEST for a patient),
 * not a query parameter, so standard FHIR clients can read.
 */
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
    return capabilityStatement(VISITS_FHIR, base);
  }

  @Get('Encounter/:id')
  @Roles('patient', 'provider')
  async encounter(
    @Param('id', ParseUUIDPipe) id: string,
    @Headers(PURPOSE_OF_USE_HEADER) purpose: string | undefined,
    @Headers(BREAK_GLASS_REASON_HEADER) reason: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const stated = RECORD_PURPOSE[parsePurposeOfUse(purpose, reason, actor.role).purpose];
    return fhirEncounter(await auditedRead(this.store, this.clock, id.toLowerCase(), actor, 'fhir-encounter', stated));
  }

  /** Vital signs of one encounter: `Observation?encounter=Encounter/<visitId>`. */
  @Get('Observation')
  @Roles('patient', 'provider')
  async observations(
    @Search(resourceSpec(VISITS_FHIR, 'Observation')) search: FhirSearch,
    @FhirBase() base: string,
    @Headers(PURPOSE_OF_USE_HEADER) purpose: string | undefined,
    @Headers(BREAK_GLASS_REASON_HEADER) reason: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const visitId = search.reference('encounter')!;
    const stated = RECORD_PURPOSE[parsePurposeOfUse(purpose, reason, actor.role).purpose];
    return searchsetBundle(base, search, fhirObservations(await auditedRead(this.store, this.clock, visitId, actor, 'fhir-observation', stated)));
  }

  /** A patient with visits here (the access policy admits the patient and their providers, audited). */
  @Get('Patient/:id')
  @Roles('patient', 'provider')
  async patient(@Param('id', ParseUUIDPipe) id: string) {
    if (!(await this.readModels.knowsPatient(id))) throw notFound(`Patient ${id}`);
    return fhirPatient(id.toLowerCase());
  }

  @Get('Practitioner/:id')
  @Roles('patient', 'provider', 'ops')
  async practitioner(@Param('id', ParseUUIDPipe) id: string) {
    const events = await this.store.readStream(providerStreamId(id.toLowerCase()));
    const state = events.reduce((s, e) => providerDecider.evolve(s, e as unknown as ProviderEvent), providerDecider.initialState());
    if (state.status !== 'known') throw notFound(`Practitioner ${id}`);
    return fhirPractitioner(state.providerId, state.licences);
  }
}
