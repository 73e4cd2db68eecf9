import { Body, Controller, Get, Headers, HttpCode, Inject, Optional, Post } from '@nestjs/common';
import { FhirBase, FhirEndpoints, type FhirSearch, Search, capabilityStatement, resourceSpec, searchsetBundle } from '@carebridge/fhir-http';
import { z } from 'zod';
import type { EventStore } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Public, RequestValidationError, Roles, parseBody } from '@carebridge/platform';
import { assertMayReachPatient, payerIdOf } from '../patient.access';
import { readCoverage } from '../coverage/coverage.projection';
import { checkEligibility, eligibilityCheckBody } from '../eligibility/eligibility-check.http';
import { PAYER_CHECK, type PayerCheckOptions } from '../payer/payer-check.handler';
import type { RuleCatalog } from '../rules/rule-set.rules';
import { AFTER_APPEND, type AfterAppend, EVENT_STORE, RULE_CATALOG } from '../billing-eligibility.tokens';
import { BILLING_FHIR } from './billing-eligibility.fhir-server';
import { TELEHEALTH_EXTENSION, idFromReference, toCoverageEligibilityResponse, toFhirCoverage } from './fhir.mapping';
import { fhirIdempotencyKey, payerResponse } from './fhir-idempotency.http-support';

const reference = z.object({ reference: z.string() });
export const coverageEligibilityRequest = z.object({
  resourceType: z.literal('CoverageEligibilityRequest'),
  status: z.literal('active'),
  purpose: z.array(z.enum(['auth-requirements', 'benefits', 'discovery', 'validation'])).min(1),
  patient: reference,
  servicedDate: z.iso.date(),
  provider: reference,
  insurance: z.array(z.object({ focal: z.boolean().optional(), coverage: reference })).max(2).optional(),
  item: z
    .array(z.object({ productOrService: z.object({ coding: z.array(z.object({ system: z.string().optional(), code: z.string() })).min(1) }) }))
    .min(1),
  extension: z.array(z.object({ url: z.string(), valueString: z.string().optional() }).loose()).optional(),
});

/** FHIR R4 views (BILLING_FHIR): CoverageEligibilityRequest in, CoverageEligibilityResponse out; Coverage search. At `/fhir` and `/fhir/R4`. */
@Controller(['fhir', 'fhir/R4'])
@FhirEndpoints()
export class FhirController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RULE_CATALOG) private readonly catalog: RuleCatalog,
    @Inject(AFTER_APPEND) private readonly afterAppend: AfterAppend,
    @Optional() @Inject(PAYER_CHECK) private readonly payer?: PayerCheckOptions,
  ) {}

  @Get('metadata')
  @Public()
  metadata(@FhirBase() base: string) {
    return capabilityStatement(BILLING_FHIR, base);
  }

  @Post('CoverageEligibilityRequest')
  @HttpCode(200)
  @Roles('patient', 'provider', 'payer', 'ops')
  async coverageEligibility(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const resource = parseBody(coverageEligibilityRequest, body);
    const key = fhirIdempotencyKey(idempotencyKey, actor.id, body, new Date());
    // The telehealth facts (modality, patient location, licences) travel as one JSON extension.
    const telehealth = resource.extension?.find((e) => e.url === TELEHEALTH_EXTENSION)?.valueString;
    let facts: unknown;
    try {
      facts = telehealth === undefined ? undefined : JSON.parse(telehealth);
    } catch {
      facts = undefined;
    }
    if (facts === undefined || typeof facts !== 'object') {
      throw new RequestValidationError([{ field: `extension[${TELEHEALTH_EXTENSION}]`, message: 'must hold the telehealth visit as a JSON string' }]);
    }
    const coverageId = idFromReference(resource.insurance?.find((i) => i.focal !== false)?.coverage, 'Coverage');
    const input = parseBody(eligibilityCheckBody, {
      ...(facts as object),
      patientId: idFromReference(resource.patient, 'Patient'),
      dateOfService: resource.servicedDate,
      serviceCodes: resource.item.map((i) => i.productOrService.coding[0]!.code),
      provider: { ...((facts as { provider?: object }).provider ?? {}), providerId: idFromReference(resource.provider, 'Practitioner') },
      ...(coverageId !== undefined && { coverageId }),
    });
    const answer = await checkEligibility(this.store, this.catalog, actor, input, key, this.payer);
    this.afterAppend();
    const response = toCoverageEligibilityResponse(answer, new Date().toISOString());
    return actor.role === 'payer' ? payerResponse(response, answer.determination.outcome) : response;
  }

  @Get('Coverage')
  @Roles('patient', 'provider', 'payer', 'ops')
  async coverage(@Search(resourceSpec(BILLING_FHIR, 'Coverage')) search: FhirSearch, @FhirBase() base: string, @CurrentActor() actor: AuthenticatedActor) {
    const patientId = search.reference('patient')!;
    assertMayReachPatient(actor, patientId);
    const state = await readCoverage(this.store, patientId);
    const payer = payerIdOf(actor);
    const coverages = (state.status === 'recorded' ? state.coverages : []).filter((c) => payer === undefined || c.payerId === payer);
    const today = new Date().toISOString().slice(0, 10);
    return searchsetBundle(base, search, coverages.map((c) => toFhirCoverage(c, patientId, today)));
  }
}
