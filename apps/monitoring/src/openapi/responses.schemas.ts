import { z } from 'zod';
import { READING_KINDS } from '../readings/readings.events';

/**
 * What the monitoring handlers answer (their return values and the read models they return), as
 * zod schemas for the OpenAPI document. Objects are open (`looseObject`): a field added to an
 * answer is not a breaking change. The access policy matrix test validates every 2xx answer it
 * gets against these (apps/monitoring/test/access-policy.int.spec.ts).
 */
const uuid = z.uuid();
const instant = z.string();

export const reading = z.looseObject({
  readingId: uuid,
  patientId: uuid,
  deviceId: uuid,
  kind: z.enum(READING_KINDS),
  loinc: z.string(),
  measuredAt: instant,
  value: z.number().optional(),
  systolic: z.number().optional(),
  diastolic: z.number().optional(),
  unit: z.string().optional(),
  taken: z.boolean().optional(),
  rxnormCode: z.string().optional(),
});
export const readings = z.looseObject({ readings: z.array(reading) });

export const batchResult = z.looseObject({
  accepted: z.int(),
  duplicates: z.int(),
  rejected: z.int(),
  results: z.array(z.looseObject({ index: z.int(), status: z.enum(['accepted', 'duplicate', 'rejected']), readingId: uuid.optional(), reason: z.string().optional() })),
});

const program = z.looseObject({ kind: z.enum(['rpm', 'rtm']), system: z.string().optional() });
const rule = z.looseObject({ ruleId: z.string() });
export const enrolled = z.looseObject({ patientId: uuid, conditions: z.array(z.string()), careTeam: z.array(uuid) });
export const consented = z.looseObject({ patientId: uuid, consented: z.literal(true) });
export const carePlan = z.looseObject({
  patientId: uuid,
  conditions: z.array(z.string()),
  careTeam: z.array(uuid),
  consented: z.boolean(),
  escalateAfterSeconds: z.int(),
  program,
  rules: z.array(rule),
});
export const adjustedRule = z.looseObject({ rule: rule.nullable() });
export const minutesLogged = z.looseObject({ entryId: uuid });

export const deviceRegistered = z.looseObject({ deviceId: uuid });
const assignmentPeriod = z.looseObject({ assignmentId: uuid, patientId: uuid, from: instant, to: instant.optional() });
export const device = z.looseObject({ deviceId: uuid, serial: z.string(), kind: z.string(), manufacturer: z.string(), model: z.string(), assignments: z.array(assignmentPeriod) });
const apiKey = z.string().optional().describe('Returned once, on the first answer (not on a retry)');
export const assignment = z.looseObject({ assignmentId: uuid, deviceId: uuid, patientId: uuid, from: instant, to: instant.optional(), apiKey });
export const keyRenewed = z.looseObject({ assignmentId: uuid, deviceId: uuid, apiKey });
export const assignmentEnded = z.looseObject({ assignmentId: uuid, ended: z.literal(true) });

export const alert = z.looseObject({
  alertId: uuid,
  patientId: uuid,
  ruleId: z.string(),
  kind: z.string(),
  severity: z.string(),
  status: z.string(),
  level: z.int(),
  assigneeId: uuid.nullable(),
  readingIds: z.array(z.string()),
  raisedAt: instant,
  measuredAt: instant,
});
export const alerts = z.looseObject({ alerts: z.array(alert) });
export const adherence = z.looseObject({
  activeFills: z.array(z.looseObject({ prescriptionId: z.string(), rxnormCode: z.string() })),
  dosesTaken: z.int(),
  dosesMissed: z.int(),
});

const codes = z.array(z.looseObject({ code: z.string(), units: z.int() }));
export const closedPeriods = z.looseObject({ closed: z.array(z.looseObject({ patientId: uuid, periodStart: z.string(), codes })) });
export const rpmPeriods = z.looseObject({
  periods: z.array(z.looseObject({ periodId: z.string(), periodStart: z.string(), periodEnd: z.string(), daysWithReadings: z.int(), codes, reasonCodes: z.array(z.string()) })),
});
