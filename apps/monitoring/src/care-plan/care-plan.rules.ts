import type { Clause } from './care-plan.events';
import type { ReadingKind, ReadingRecorded } from '../readings/readings.events';

export type Condition = 'hypertension' | 'heart-failure' | 'diabetes' | 'chronic-kidney-disease' | 'post-surgery';
export const CONDITIONS: readonly Condition[] = ['hypertension', 'heart-failure', 'diabetes', 'chronic-kidney-disease', 'post-surgery'];

export type Severity = 'critical' | 'high' | 'moderate';
export type { Clause };

interface RuleBase {
  readonly ruleId: string;
  readonly severity: Severity;
  /** The clinical (or policy) source of the default, so a reviewer can check it. */
  readonly source: string;
}

export interface ThresholdRule extends RuleBase {
  readonly kind: 'threshold';
  readonly reading: ReadingKind;
  readonly when: readonly Clause[];
}

/** Weight gain over a window: the newest weight minus the lowest weight in the window before it. */
export interface TrendRule extends RuleBase {
  readonly kind: 'trend';
  readonly reading: 'body-weight';
  readonly gainKgAbove: number;
  readonly windowHours: number;
}

/** Missed doses (intake readings with taken = false) within a window. */
export interface AdherenceRule extends RuleBase {
  readonly kind: 'adherence';
  readonly reading: 'medication-intake';
  readonly missedDosesAtLeast: number;
  readonly windowDays: number;
}

export type CarePlanRule = ThresholdRule | TrendRule | AdherenceRule;

const LB = 0.45359237;

const BP_CRISIS: ThresholdRule = {
  ruleId: 'bp-hypertensive-crisis',
  kind: 'threshold',
  reading: 'blood-pressure',
  when: [
    { field: 'systolic', atOrAbove: 180 },
    { field: 'diastolic', atOrAbove: 120 },
  ],
  severity: 'critical',
  source: 'AHA/ACC 2017 hypertension guideline: hypertensive crisis, systolic >= 180 or diastolic >= 120 mmHg',
};
const SPO2_LOW: ThresholdRule = {
  ruleId: 'spo2-low',
  kind: 'threshold',
  reading: 'spo2',
  when: [{ field: 'value', below: 90 }],
  severity: 'high',
  source: 'NIH/FDA pulse oximetry guidance: SpO2 below 90 % is hypoxaemia needing prompt evaluation',
};
const WEIGHT_DAY: TrendRule = {
  ruleId: 'hf-weight-gain-day',
  kind: 'trend',
  reading: 'body-weight',
  gainKgAbove: 2 * LB,
  windowHours: 24,
  severity: 'high',
  source: 'HFSA/AHA heart-failure self-care: call for a gain of more than 2 lb in a day',
};
const WEIGHT_WEEK: TrendRule = {
  ruleId: 'hf-weight-gain-week',
  kind: 'trend',
  reading: 'body-weight',
  gainKgAbove: 5 * LB,
  windowHours: 24 * 7,
  severity: 'high',
  source: 'HFSA/AHA heart-failure self-care: call for a gain of more than 5 lb in a week',
};
const GLUCOSE_LOW: ThresholdRule = {
  ruleId: 'glucose-low',
  kind: 'threshold',
  reading: 'blood-glucose',
  when: [{ field: 'value', below: 70 }],
  severity: 'high',
  source: 'ADA Standards of Care 2025, section 6: level 1 hypoglycaemia, glucose < 70 mg/dL',
};
const GLUCOSE_HIGH: ThresholdRule = {
  ruleId: 'glucose-high',
  kind: 'threshold',
  reading: 'blood-glucose',
  when: [{ field: 'value', above: 300 }],
  severity: 'moderate',
  source: 'ADA sick-day guidance: glucose above 300 mg/dL warrants contacting the care team',
};
const FEVER: ThresholdRule = {
  ruleId: 'post-op-fever',
  kind: 'threshold',
  reading: 'body-temperature',
  when: [{ field: 'value', atOrAbove: 38 }],
  severity: 'high',
  source: 'CDC NHSN surgical site infection criteria: fever (> 38.0 °C)',
};
const TACHYCARDIA: ThresholdRule = {
  ruleId: 'post-op-tachycardia',
  kind: 'threshold',
  reading: 'heart-rate',
  when: [{ field: 'value', above: 120 }],
  severity: 'moderate',
  source: 'Early warning scores (NEWS2): heart rate above 120 /min scores highest',
};
const MISSED_DOSES: AdherenceRule = {
  ruleId: 'medication-missed-doses',
  kind: 'adherence',
  reading: 'medication-intake',
  missedDosesAtLeast: 2,
  windowDays: 7,
  severity: 'moderate',
  source: 'Carebridge default (care-team policy, adjustable per patient): 2 missed doses in 7 days',
};

/** Default rules of each condition; the provider adjusts them per patient. */
export const DEFAULT_RULES: Readonly<Record<Condition, readonly CarePlanRule[]>> = {
  hypertension: [BP_CRISIS, MISSED_DOSES],
  'heart-failure': [WEIGHT_DAY, WEIGHT_WEEK, SPO2_LOW, BP_CRISIS, MISSED_DOSES],
  diabetes: [GLUCOSE_LOW, GLUCOSE_HIGH, MISSED_DOSES],
  'chronic-kidney-disease': [BP_CRISIS, WEIGHT_WEEK, MISSED_DOSES],
  'post-surgery': [FEVER, TACHYCARDIA, SPO2_LOW],
};

/** A provider's change to one rule for one patient. */
export type RuleAdjustment =
  | { readonly ruleId: string; readonly enabled: false }
  | { readonly ruleId: string; readonly when: readonly Clause[] }
  | { readonly ruleId: string; readonly gainKgAbove: number; readonly windowHours?: number }
  | { readonly ruleId: string; readonly missedDosesAtLeast: number; readonly windowDays?: number };

export function knownRule(ruleId: string): CarePlanRule | undefined {
  for (const rules of Object.values(DEFAULT_RULES)) {
    const rule = rules.find((r) => r.ruleId === ruleId);
    if (rule) return rule;
  }
  return undefined;
}

/** The patient's rules: defaults of their conditions (each rule once), then the provider's adjustments. */
export function effectiveRules(conditions: readonly Condition[], adjustments: readonly RuleAdjustment[]): CarePlanRule[] {
  const byId = new Map<string, CarePlanRule>();
  for (const condition of conditions) for (const rule of DEFAULT_RULES[condition]) byId.set(rule.ruleId, rule);
  for (const adjustment of adjustments) {
    const rule = byId.get(adjustment.ruleId) ?? knownRule(adjustment.ruleId);
    if (!rule) continue;
    if ('enabled' in adjustment) {
      byId.delete(adjustment.ruleId);
    } else if ('when' in adjustment && rule.kind === 'threshold') {
      byId.set(rule.ruleId, { ...rule, when: adjustment.when, source: `${rule.source}; adjusted by the provider` });
    } else if ('gainKgAbove' in adjustment && rule.kind === 'trend') {
      byId.set(rule.ruleId, {
        ...rule,
        gainKgAbove: adjustment.gainKgAbove,
        windowHours: adjustment.windowHours ?? rule.windowHours,
        source: `${rule.source}; adjusted by the provider`,
      });
    } else if ('missedDosesAtLeast' in adjustment && rule.kind === 'adherence') {
      byId.set(rule.ruleId, {
        ...rule,
        missedDosesAtLeast: adjustment.missedDosesAtLeast,
        windowDays: adjustment.windowDays ?? rule.windowDays,
        source: `${rule.source}; adjusted by the provider`,
      });
    }
  }
  return [...byId.values()];
}

/** Does an adjustment fit the rule it names? (A trend adjustment on a threshold rule is refused.) */
export function adjustmentFits(adjustment: RuleAdjustment): boolean {
  const rule = knownRule(adjustment.ruleId);
  if (!rule) return false;
  if ('enabled' in adjustment) return true;
  if ('when' in adjustment) return rule.kind === 'threshold';
  if ('gainKgAbove' in adjustment) return rule.kind === 'trend';
  return rule.kind === 'adherence';
}

type Reading = ReadingRecorded['data'];

export function clauseHolds(clause: Clause, reading: Reading): boolean {
  const value = reading[clause.field];
  if (value === undefined) return false;
  return (
    (clause.atOrAbove !== undefined && value >= clause.atOrAbove) ||
    (clause.above !== undefined && value > clause.above) ||
    (clause.below !== undefined && value < clause.below)
  );
}

export interface Breach {
  readonly ruleId: string;
  readonly kind: CarePlanRule['kind'];
  readonly severity: Severity;
  /** The readings that caused it: the reading itself, and for trends and adherence the ones it was compared with. */
  readonly readingIds: readonly string[];
}

/**
 * Which of the patient's rules a reading breaks. `history` holds the patient's earlier readings
 * of the same kind (any order; late readings are placed by measurement time).
 */
export function evaluateReading(reading: Reading, rules: readonly CarePlanRule[], history: readonly Reading[]): Breach[] {
  const breaches: Breach[] = [];
  const at = Date.parse(reading.measuredAt);
  for (const rule of rules) {
    if (rule.reading !== reading.kind) continue;
    switch (rule.kind) {
      case 'threshold':
        if (rule.when.some((clause) => clauseHolds(clause, reading))) {
          breaches.push({ ruleId: rule.ruleId, kind: rule.kind, severity: rule.severity, readingIds: [reading.readingId] });
        }
        break;
      case 'trend': {
        const since = at - rule.windowHours * 3_600_000;
        const earlier = history.filter((h) => {
          const t = Date.parse(h.measuredAt);
          return h.readingId !== reading.readingId && h.value !== undefined && t >= since && t < at;
        });
        if (earlier.length === 0 || reading.value === undefined) break;
        const lowest = earlier.reduce((min, h) => (h.value! < min.value! ? h : min));
        // Compared in grams: weights are stored to the gram, and 2 lb is not "more than 2 lb".
        if (Math.round((reading.value - lowest.value!) * 1_000) > Math.round(rule.gainKgAbove * 1_000)) {
          breaches.push({ ruleId: rule.ruleId, kind: rule.kind, severity: rule.severity, readingIds: [reading.readingId, lowest.readingId] });
        }
        break;
      }
      case 'adherence': {
        if (reading.taken !== false) break;
        const since = at - rule.windowDays * 86_400_000;
        const missed = [reading, ...history.filter((h) => h.readingId !== reading.readingId)].filter((h) => {
          const t = Date.parse(h.measuredAt);
          return h.taken === false && t > since && t <= at;
        });
        if (missed.length >= rule.missedDosesAtLeast) {
          breaches.push({ ruleId: rule.ruleId, kind: rule.kind, severity: rule.severity, readingIds: missed.map((m) => m.readingId) });
        }
        break;
      }
      default: {
        const _exhaustive: never = rule;
        throw new Error(`unknown rule ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
  return breaches;
}

/** How far back a rule set needs history for a kind of reading (0: thresholds only). */
export function historyHoursNeeded(rules: readonly CarePlanRule[], kind: ReadingKind): number {
  return rules.reduce((max, rule) => {
    if (rule.reading !== kind) return max;
    if (rule.kind === 'trend') return Math.max(max, rule.windowHours);
    if (rule.kind === 'adherence') return Math.max(max, rule.windowDays * 24);
    return max;
  }, 0);
}
