import { defineIntegrationEvent } from '../integration-event';
import { z } from 'zod';

const outcome = z.enum(['covered', 'not-covered', 'covered-with-conditions', 'unknown']);

/**
 * An eligibility answer (first or changed) for a patient's visit or RPM period. Ids and codes
 * only: no free text, no visit purpose; the reason codes say which rules decided.
 */
export const EligibilityDetermined = defineIntegrationEvent({
  context: 'billing-eligibility',
  name: 'EligibilityDetermined',
  version: 1,
  topic: 'carebridge.billing-eligibility.eligibility.v1',
  schema: z.object({
    determinationId: z.uuid(),
    patientId: z.uuid(),
    appointmentId: z.uuid().optional(),
    coverageId: z.string().min(1).optional(),
    payerKind: z.enum(['medicare-part-b', 'medicare-advantage', 'medicaid', 'chip', 'commercial', 'self-pay']).optional(),
    outcome,
    changedFrom: outcome.optional(),
    /** Empty only when the booking named no codes (the answer is then `unknown`, reason INPUT.MISSING_FACT). */
    serviceCodes: z.array(z.string().regex(/^[0-9A-Z]{5}$/)),
    /** Set when the answer is for monitoring's RPM period (RpmPeriodClosed). */
    rpmPeriodId: z.uuid().optional(),
    dateOfService: z.iso.date(),
    placeOfService: z.string().regex(/^\d{2}$/).optional(),
    modifiers: z.array(z.string().length(2)),
    billableCodes: z.array(z.object({ code: z.string().regex(/^[0-9A-Z]{5}$/), units: z.int().positive() })).optional(),
    reasonCodes: z.array(z.string().regex(/^[A-Z_]+\.[A-Z_]+$/)),
    ruleSets: z.array(z.object({ ruleSetId: z.string(), version: z.string() })).min(1),
    asOf: z.iso.date(),
  }),
  // One patient's answers stay in order, like the eligibility-<patientId> stream they come from.
  partitionKey: (d) => d.patientId,
  subject: (d) => d.appointmentId ?? d.rpmPeriodId ?? d.determinationId,
  description: 'Billing-eligibility answered (or re-answered) whether a visit or RPM period is covered, with the rule-set versions used.',
});
