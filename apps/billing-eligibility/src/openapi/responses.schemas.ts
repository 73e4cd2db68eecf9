import { z } from 'zod';
import { fhirResource } from '@carebridge/platform';

/**
 * What the billing-eligibility handlers answer, as zod schemas for the OpenAPI document. Objects
 * are open (`looseObject`): a field added to an answer is not a breaking change. The access policy
 * matrix test validates every 2xx answer it gets against these
 * (apps/billing-eligibility/test/access-policy.int.spec.ts).
 */
const uuid = z.uuid();

const coverage = z.looseObject({ coverageId: uuid, payerId: z.string(), memberId: z.string() });
export const coverageChanged = z.looseObject({ coverage: coverage.optional(), version: z.number().describe('The stream version after the change') });
export const coverages = z.looseObject({ patientId: uuid, coverages: z.array(coverage) });

const determination = z.looseObject({ outcome: z.string(), modifiers: z.array(z.string()) });
/** The full answer (patient, provider, ops). */
const fullDetermination = z.looseObject({ determinationId: uuid, patientId: uuid, request: z.looseObject({}), determination, recordedAt: z.string().optional() });
/** A payer's view: eligibility only, not the visit purpose or the reasons (42 CFR Part 2). */
const payerDetermination = z.looseObject({
  determinationId: uuid,
  patientId: uuid,
  serviceCodes: z.array(z.string()),
  dateOfService: z.string(),
  outcome: z.string(),
  placeOfService: z.string().optional(),
  modifiers: z.array(z.string()),
  asOf: z.string(),
  recordedAt: z.string().optional(),
});
export const eligibilityAnswer = z.union([fullDetermination, payerDetermination]);
export const determinations = z.looseObject({ patientId: uuid, determinations: z.array(eligibilityAnswer) });

export const ruleSetActivated = z.looseObject({ ruleSetId: z.string(), version: z.string(), publishedAt: z.string(), coversFrom: z.string(), coversTo: z.string().nullable().optional(), activated: z.boolean() });
export const ruleSets = z.looseObject({
  ruleSets: z.array(z.looseObject({ ruleSetId: z.string(), version: z.string(), publishedAt: z.string(), coversFrom: z.string(), status: z.string(), origin: z.string().optional() })),
});
export const horizon = z.looseObject({ today: z.string(), windowDays: z.int(), endingWithoutSuccessor: z.array(z.unknown()) });

/** FHIR create answer; a payer gets the same resource without the rule messages (fhir/fhir-idempotency.http-support.ts payerResponse). */
export const coverageEligibilityResponse = fhirResource('CoverageEligibilityResponse');
