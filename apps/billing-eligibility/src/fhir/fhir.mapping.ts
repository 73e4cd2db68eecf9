import type { Coverage } from '../coverage/coverage.events';
import type { EligibilityDetermined } from '../eligibility/eligibility.events';
import { benefitGroups } from './fhir-benefits.mapping';

/** Telehealth facts FHIR R4's CoverageEligibilityRequest has no element for travel in one extension. */
export const TELEHEALTH_EXTENSION = 'https://carebridge.dev/fhir/StructureDefinition/telehealth-visit';
const CPT = 'http://www.ama-assn.org/go/cpt';
const HCPCS = 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';

export interface FhirReference {
  readonly reference?: string;
}

/** `Patient/123` -> `123` when the type matches. */
export function idFromReference(reference: FhirReference | undefined, type: string): string | undefined {
  const match = reference?.reference?.match(new RegExp(`^(?:.*/)?${type}/([^/]+)$`));
  return match?.[1];
}

/** Our coverage as a FHIR R4 Coverage resource (read view). */
export function toFhirCoverage(coverage: Coverage, patientId: string, today: string) {
  const ended = coverage.terminatesOn !== undefined && coverage.terminatesOn < today;
  return {
    resourceType: 'Coverage' as const,
    id: coverage.coverageId,
    status: ended ? 'cancelled' : 'active',
    type: { text: coverage.payerKind },
    ...(coverage.memberId !== undefined && { subscriberId: coverage.memberId }),
    beneficiary: { reference: `Patient/${patientId}` },
    period: { start: coverage.effectiveFrom, ...(coverage.terminatesOn !== undefined && { end: coverage.terminatesOn }) },
    payor: [
      coverage.payerKind === 'self-pay'
        ? { reference: `Patient/${patientId}` }
        : { identifier: { value: coverage.payerId }, ...(coverage.planName !== undefined && { display: coverage.planName }) },
    ],
    ...(coverage.groupNumber !== undefined && {
      class: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'group' }] }, value: coverage.groupNumber }],
    }),
    order: coverage.order === 'primary' ? 1 : 2,
    ...(coverage.state !== undefined && { extension: [{ url: 'https://carebridge.dev/fhir/StructureDefinition/coverage-state', valueString: coverage.state }] }),
  };
}

/** A determination as a FHIR R4 CoverageEligibilityResponse: one insurance entry, one item per service code. */
export function toCoverageEligibilityResponse(answer: EligibilityDetermined['data'], created: string) {
  const { determination, request } = answer;
  const disposition = determination.reasons.filter((r) => r.effect !== 'info').map((r) => r.message).join('; ');
  return {
    resourceType: 'CoverageEligibilityResponse' as const,
    id: answer.determinationId,
    status: 'active',
    purpose: ['validation', 'benefits'],
    patient: { reference: `Patient/${answer.patientId}` },
    servicedDate: request.dateOfService,
    created,
    request: { identifier: { value: answer.determinationId } },
    // `partial`: the rules could not decide (unknown) — not a processing error.
    outcome: determination.outcome === 'unknown' ? 'partial' : 'complete',
    disposition: `${determination.outcome}${disposition ? `: ${disposition}` : ''}`,
    insurer: { display: determination.coverage?.payerId ?? 'none' },
    insurance: determination.coverage
      ? [
          {
            coverage: { reference: `Coverage/${determination.coverage.coverageId}` },
            inforce: true,
            // One item per service code and benefit group (network, unit): the 271's cost share (insurance.item.benefit).
            item: request.serviceCodes.flatMap((code) => {
              const excludedBy = determination.reasons.filter((r) => r.effect === 'excludes' && (r.serviceCode === undefined || r.serviceCode === code));
              return benefitGroups(determination.costShare).map((group) => ({
                productOrService: { coding: [{ system: /^\d/.test(code) ? CPT : HCPCS, code }] },
                modifier: determination.modifiers.map((m) => ({ coding: [{ code: m }] })),
                excluded: excludedBy.length > 0,
                description: excludedBy.map((r) => r.message).join('; ') || determination.outcome,
                ...group,
              }));
            }),
          },
        ]
      : [],
    extension: [
      { url: 'https://carebridge.dev/fhir/StructureDefinition/eligibility-outcome', valueCode: determination.outcome },
      ...(determination.placeOfService !== undefined
        ? [{ url: 'https://carebridge.dev/fhir/StructureDefinition/place-of-service', valueCode: determination.placeOfService }]
        : []),
      ...determination.ruleSets.map((s) => ({ url: 'https://carebridge.dev/fhir/StructureDefinition/rule-set', valueString: `${s.ruleSetId}@${s.version}` })),
    ],
  };
}
