import { z } from 'zod';
import { CONDITIONS } from '../care-plan/care-plan.rules';

export const enrolBody = z.object({
  conditions: z.array(z.enum(CONDITIONS as unknown as [string, ...string[]])).min(1),
  /** Providers in escalation order. */
  careTeam: z.array(z.uuid()).min(1).max(10),
  billingPractitionerId: z.uuid(),
  /** The patient is established with the billing practitioner (an RPM requirement). */
  established: z.boolean(),
  /** How long an alert may stay unacknowledged before it goes to the next care-team member. */
  escalateAfterSeconds: z.int().min(1).max(7 * 86_400).default(900),
  /** RPM (physiologic data, default) or RTM for one system (therapeutic data): one programme per patient. */
  program: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('rpm') }),
      z.strictObject({ kind: z.literal('rtm'), system: z.enum(['respiratory', 'musculoskeletal', 'cognitive-behavioral']) }),
    ])
    .optional(),
});

const clause = z
  .object({
    field: z.enum(['value', 'systolic', 'diastolic']),
    atOrAbove: z.number().optional(),
    above: z.number().optional(),
    below: z.number().optional(),
  })
  .refine((c) => c.atOrAbove !== undefined || c.above !== undefined || c.below !== undefined, 'needs atOrAbove, above or below');

export const adjustRuleBody = z.union([
  z.object({ enabled: z.literal(false) }).strict(),
  z.object({ when: z.array(clause).min(1).max(5) }).strict(),
  z.object({ gainLbAbove: z.number().positive().max(50), windowHours: z.int().min(1).max(24 * 30).optional() }).strict(),
  z.object({ missedDosesAtLeast: z.int().min(1).max(100), windowDays: z.int().min(1).max(90).optional() }).strict(),
]);

export const minutesBody = z.object({
  minutes: z.int().min(1).max(600),
  activity: z.enum(['management', 'interpretation']),
  interactive: z.boolean(),
  performedAt: z.iso.datetime({ offset: true }).optional(),
});

export const registerDeviceBody = z.object({
  deviceId: z.uuid().optional(),
  serial: z.string().min(1).max(100),
  kind: z.enum(['blood-pressure-monitor', 'pulse-oximeter', 'glucometer', 'scale', 'thermometer', 'pill-box', 'multi']),
  manufacturer: z.string().min(1).max(100),
  model: z.string().min(1).max(100),
});

export const assignDeviceBody = z.object({
  patientId: z.uuid(),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }).optional(),
});

export const endAssignmentBody = z.object({ at: z.iso.datetime({ offset: true }).optional() });
