import { Body, Controller, Get, Headers, Inject, Optional, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { type EventStore, type RecordedEvent, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody, usJurisdictionCode } from '@carebridge/platform';
import { DomainError } from '@carebridge/shared-kernel';
import { AccessDeniedError, assertMayReachPatient, commandMetadata, payerIdOf, requireIdempotencyKey } from '../patient.access';
import { readCoverage } from '../coverage/coverage.projection';
import { PAYER_CHECK, type PayerCheckOptions, withPayerCheck } from '../payer/payer-check.handler';
import { coverageOn } from '../coverage/coverage.decider';
import { determine } from '../rules/determine.rules';
import { DISCIPLINES, type RuleCatalog, VISIT_PURPOSES } from '../rules/rule-set.rules';
import { AFTER_APPEND, type AfterAppend, EVENT_STORE, RULE_CATALOG } from '../billing-eligibility.tokens';
import { eligibilityDecider } from './eligibility.decider';
import type { EligibilityDetermined, EligibilityRequest } from './eligibility.events';
import { eligibilityStreamId } from './eligibility.stream';
import { deterministicUuid } from './determination-id.rules';

const isoDate = z.iso.date();
// A code that is no US state, DC or territory is a 400 here; a territory the rule sets do not
// cover (they have the 50 states and DC) is answered by the rules (422 naming the field).
const stateCode = usJurisdictionCode;

export const eligibilityCheckBody = z.strictObject({
  patientId: z.uuid(),
  appointmentId: z.uuid().optional(),
  coverageId: z.string().min(1).optional(),
  serviceCodes: z.array(z.string().regex(/^[0-9A-Z]{5}$/, 'must be a 5-character CPT or HCPCS code')).min(1).max(20),
  modality: z.enum(['video', 'audio-only', 'store-and-forward', 'rpm', 'rtm']),
  /** Absent: the purpose the service codes imply (90834 mental health, 90966 ESRD home dialysis), else other. */
  purpose: z.enum(VISIT_PURPOSES as unknown as [string, ...string[]]).optional(),
  establishedPatient: z.boolean().optional(),
  licensureException: z.enum(['physician-to-physician-consultation', 'follow-up-existing-patient']).optional(),
  patientLocation: z.strictObject({ state: stateCode, setting: z.enum(['home', 'facility']), ruralArea: z.boolean().optional() }),
  provider: z.strictObject({
    providerId: z.uuid(),
    licences: z.array(z.strictObject({ state: stateCode, expiresOn: isoDate })).max(60),
    billing: z.enum(['professional', 'fqhc-rhc', 'cah-method-ii']).default('professional'),
    /** Medicare modifier 95: a hospital-based clinician with the patient at home. */
    hospitalBased: z.boolean().optional(),
    discipline: z.enum(DISCIPLINES as unknown as [string, ...string[]]).optional(),
    /** Compacts whose practice authority the clinician holds, e.g. PSYPACT (APIT). */
    compactAuthorities: z.array(z.string().regex(/^[A-Z][A-Z-]*$/)).max(20).optional(),
    locatedIn: stateCode.optional(),
    telehealthRegistrations: z.array(z.strictObject({ state: stateCode, expiresOn: isoDate.optional() })).max(60).optional(),
  }),
  dateOfService: isoDate,
  visitStartsAt: z.iso.datetime({ offset: true }).optional(),
  inPersonVisitWithinSixMonths: z.boolean().optional(),
  rpm: z
    .strictObject({
      daysWithReadings: z.int().min(0).max(31),
      managementMinutes: z.int().min(0).max(1440),
      interactiveCommunication: z.boolean(),
      interpretationMinutes: z.int().min(0).max(1440).optional(),
      establishedPatient: z.boolean(),
      consent: z.boolean(),
    })
    .optional(),
  /** Reproduce an earlier answer: use the rule sets known on this date (default: today). */
  asOf: isoDate.optional(),
});

export class CoverageNotInForceError extends DomainError {
  readonly code = 'COVERAGE.NOT_FOUND';
  override readonly kind = 'not-found' as const;
}

/** `/v1/...`; the unversioned paths are deprecated aliases kept for existing callers. */
@Controller(['v1', '/'])
export class EligibilityCheckController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RULE_CATALOG) private readonly catalog: RuleCatalog,
    @Inject(AFTER_APPEND) private readonly afterAppend: AfterAppend,
    @Optional() @Inject(PAYER_CHECK) private readonly payer?: PayerCheckOptions,
  ) {}

  /** "Is this visit covered, and why": answered from the rules (and the payer's 271 when configured), stored as EligibilityDetermined. */
  @Post('eligibility-checks')
  @Roles('patient', 'provider', 'payer', 'ops')
  async check(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const key = requireIdempotencyKey(idempotencyKey);
    const input = parseBody(eligibilityCheckBody, body);
    const answer = await checkEligibility(this.store, this.catalog, actor, input, key, this.payer);
    this.afterAppend();
    return viewFor(actor, answer);
  }

  @Get('patients/:patientId/eligibility-determinations')
  @Roles('patient', 'provider', 'payer', 'ops')
  async list(@Param('patientId') rawPatientId: string, @CurrentActor() actor: AuthenticatedActor) {
    const patientId = parseBody(z.uuid(), rawPatientId, 'patientId');
    assertMayReachPatient(actor, patientId);
    const events = await this.store.readStream(eligibilityStreamId(patientId));
    const payer = payerIdOf(actor);
    const determinations = events
      .filter((e) => e.type === 'EligibilityDetermined')
      .map((e) => ({ ...(e.data as EligibilityDetermined['data']), recordedAt: e.metadata.occurredAt }))
      .filter((d) => payer === undefined || d.determination.coverage?.payerId === payer);
    return { patientId, determinations: determinations.map((d) => viewFor(actor, d)) };
  }
}

export type EligibilityCheckInput = z.output<typeof eligibilityCheckBody>;

/** Access, coverage look-up, determine(), and the EligibilityDetermined append: shared by the JSON and FHIR routes. */
export async function checkEligibility(
  store: EventStore,
  catalog: RuleCatalog,
  actor: AuthenticatedActor,
  input: EligibilityCheckInput,
  idempotencyKey: string,
  payerCheck?: PayerCheckOptions,
): Promise<EligibilityDetermined['data']> {
  assertMayReachPatient(actor, input.patientId);
  const coverageState = await readCoverage(store, input.patientId);
  let coverage = coverageOn(coverageState, input.dateOfService);
  if (input.coverageId !== undefined) {
    coverage = coverageState.status === 'recorded' ? coverageState.coverages.find((c) => c.coverageId === input.coverageId) : undefined;
    if (coverage === undefined) throw new CoverageNotInForceError(`coverageId: coverage ${input.coverageId} is not recorded for this patient`);
    // A named coverage outside its dates pays nothing on that day: answered as no coverage in force.
    if (coverage.effectiveFrom > input.dateOfService || (coverage.terminatesOn !== undefined && coverage.terminatesOn < input.dateOfService)) {
      coverage = undefined;
    }
  }
  const payer = payerIdOf(actor);
  if (payer !== undefined && coverage?.payerId !== payer) {
    throw new AccessDeniedError('A payer may only check eligibility of its own members');
  }
  const { asOf, coverageId: _coverageId, ...rest } = input;
  const request = rest as EligibilityRequest;
  const metadata = commandMetadata(actor, idempotencyKey, 'payment');
  // The id follows from the idempotency key, so a retried request finds its first answer.
  const determinationId = deterministicUuid(`${input.patientId}:${actor.role}:${actor.id}:${idempotencyKey}`);
  const byRules = determine(request, coverage, catalog, asOf ?? metadata.now.toISOString().slice(0, 10));
  // A past answer (asOf given) is reproduced from the rules: the payer answers only for today.
  const determination = asOf === undefined ? await withPayerCheck(payerCheck, byRules, request, coverage, determinationId, metadata.now) : byRules;
  const result = await handle(store, eligibilityStreamId(input.patientId), eligibilityDecider, {
    type: 'RecordDetermination',
    data: { determinationId, patientId: input.patientId, request, determination },
    metadata,
  });
  const stored = (result.newEvents[0] as RecordedEvent<EligibilityDetermined['data']> | undefined)?.data;
  return stored ?? { determinationId, patientId: input.patientId, request, determination };
}

/**
 * A payer sees eligibility only: the outcome, the codes to bill and the rules used, not the
 * visit's purpose or the reasons, which can reveal mental-health or SUD care (42 CFR Part 2).
 */
export function viewFor(actor: AuthenticatedActor, d: EligibilityDetermined['data'] & { recordedAt?: string }) {
  if (actor.role !== 'payer') return d;
  const { determination } = d;
  return {
    determinationId: d.determinationId,
    patientId: d.patientId,
    serviceCodes: d.request.serviceCodes,
    dateOfService: determination.dateOfService,
    outcome: determination.outcome,
    ...(determination.placeOfService !== undefined && { placeOfService: determination.placeOfService }),
    modifiers: determination.modifiers,
    coverage: determination.coverage,
    ruleSets: determination.ruleSets,
    asOf: determination.asOf,
    ...(d.recordedAt !== undefined && { recordedAt: d.recordedAt }),
  };
}
