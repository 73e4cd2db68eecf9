import { type CommandMetadata, assertNever } from '@carebridge/shared-kernel';
import type { AlertEvent } from '../alerts/alert.events';
import type { ReadingKind, ReadingRecorded } from '../readings/readings.events';
import { type CarePlanRule, type Condition, type RuleAdjustment, effectiveRules, evaluateReading, historyHoursNeeded } from './care-plan.rules';

/**
 * The alerting rules, as a pure decider: from the readings an ingest request is recording (with
 * what the read models know: the patients' care plans, their earlier readings) and from alerts
 * raised or escalated, what to do: raise an alert (a RaiseAlert command for the patient's rule;
 * the alert decider attaches a reading it already holds to nothing: no alert storm, replays are
 * harmless), schedule an escalation, or ignore with a named reason. No I/O, no clock, no ids:
 * time comes in `now`; the runner names the alert stream and the alert's id.
 *
 * Readings are decided in one place, the ingest (readings/reading-intake.ts), which stores the
 * alerts in the transaction that stores the readings; alert events reach it from the escalation
 * follower (alerts/alert-escalation.reactor.ts), which evaluates no reading.
 */

type Reading = ReadingRecorded['data'];
type AlertRaisedData = Extract<AlertEvent, { type: 'AlertRaised' }>['data'];

/** What alerting needs of a monitored patient (the monitored-patients read model's row fits). */
export interface AlertingPatient {
  readonly patientId: string;
  readonly conditions: readonly Condition[];
  readonly adjustments: readonly RuleAdjustment[];
  /** Escalation order: the first is assigned when raised. */
  readonly careTeam: readonly string[];
  readonly escalateAfterSeconds: number;
}

export type AlertingInput =
  /**
   * Readings an ingest request is recording: every rule. The history holds the readings stored
   * before them (`historyWanted` says which); the batch's own readings count as history too.
   */
  | { readonly type: 'ReadingsRecorded'; readonly readings: readonly Reading[] }
  | {
      /** Raised (level 0) or escalated (level n): either way the next escalation is due after the care plan's time. */
      readonly type: 'AlertRaised' | 'AlertEscalated';
      readonly streamId: string;
      readonly alertId: string;
      readonly level: number;
      readonly escalateAfterSeconds: number;
      readonly recordedAt: Date;
    };

/** What the read models know when the input is decided. */
export interface AlertingState {
  readonly patients: ReadonlyMap<string, AlertingPatient>;
  /** Earlier readings per `historyKey(patientId, kind)`, as far back as `historyWanted` asked (any order). */
  readonly history: ReadonlyMap<string, readonly Reading[]>;
}

export type AlertingIgnoredReason =
  /** No care plan for the reading's patient (not enrolled, or the read model does not hold it yet). */
  | 'PATIENT_NOT_MONITORED'
  /** The reading breaks none of the patient's rules. */
  | 'WITHIN_CARE_PLAN';

/** Raise (or, when the rule's alert is open, add readings to) the alert of `alert.ruleId` for `alert.patientId`. */
export interface RaiseAlert {
  readonly kind: 'raise';
  /** The reading that names the alert (its id derives from it): the first of `alert.readingIds`. */
  readonly causeReadingId: string;
  readonly alert: Omit<AlertRaisedData, 'alertId'>;
  readonly metadata: CommandMetadata;
}

export type AlertingOutput =
  | RaiseAlert
  | { readonly kind: 'escalate'; readonly job: { readonly streamId: string; readonly alertId: string; readonly level: number }; readonly dueAt: Date }
  | { readonly kind: 'ignore'; readonly reason: AlertingIgnoredReason; readonly readingId: string };

export const ignore = (reason: AlertingIgnoredReason, readingId: string): AlertingOutput => ({ kind: 'ignore', reason, readingId });

export const historyKey = (patientId: string, kind: string): string => `${patientId}/${kind}`;

export function decideAlerting(input: AlertingInput, state: AlertingState, now: Date): AlertingOutput[] {
  switch (input.type) {
    case 'ReadingsRecorded':
      return evaluate(input.readings, { ...state, history: withBatch(input.readings, state) }, now);
    case 'AlertRaised':
    case 'AlertEscalated':
      return [
        {
          kind: 'escalate',
          job: { streamId: input.streamId, alertId: input.alertId, level: input.level },
          dueAt: new Date(input.recordedAt.getTime() + input.escalateAfterSeconds * 1_000),
        },
      ];
    default:
      return assertNever(input, 'alerting input');
  }
}

/** The history the rules of these readings' patients need: per patient and kind, from the earliest reading's window. */
export function historyWanted(readings: readonly Reading[], patients: ReadonlyMap<string, AlertingPatient>): { patientId: string; kind: ReadingKind; from: string }[] {
  const rulesOf = carePlans(patients);
  const earliest = new Map<string, { patientId: string; kind: ReadingKind; from: number }>();
  for (const r of readings) {
    const hours = historyHoursNeeded(rulesOf.get(r.patientId) ?? [], r.kind);
    if (hours === 0) continue;
    const key = historyKey(r.patientId, r.kind);
    const from = Date.parse(r.measuredAt) - hours * 3_600_000;
    const current = earliest.get(key);
    if (!current || from < current.from) earliest.set(key, { patientId: r.patientId, kind: r.kind, from });
  }
  return [...earliest.values()].map((k) => ({ ...k, from: new Date(k.from).toISOString() }));
}

function carePlans(patients: ReadonlyMap<string, AlertingPatient>): Map<string, CarePlanRule[]> {
  const rulesOf = new Map<string, CarePlanRule[]>();
  for (const p of patients.values()) rulesOf.set(p.patientId, effectiveRules(p.conditions, p.adjustments));
  return rulesOf;
}

interface Pending {
  readonly patient: AlertingPatient;
  readonly ruleId: string;
  readonly kind: CarePlanRule['kind'];
  readonly severity: CarePlanRule['severity'];
  readonly readingIds: Set<string>;
  measuredAt: string;
}

/** The history with the batch's own readings (each once), where a rule asks for it: a batch of two weights compares them. */
function withBatch(readings: readonly Reading[], state: AlertingState): Map<string, readonly Reading[]> {
  const rulesOf = carePlans(state.patients);
  const merged = new Map(state.history);
  for (const r of readings) {
    if (historyHoursNeeded(rulesOf.get(r.patientId) ?? [], r.kind) === 0) continue;
    const key = historyKey(r.patientId, r.kind);
    const list = merged.get(key) ?? [];
    if (!list.some((h) => h.readingId === r.readingId)) merged.set(key, [...list, r]);
  }
  return merged;
}

function evaluate(readings: readonly Reading[], state: AlertingState, now: Date): AlertingOutput[] {
  const rulesOf = carePlans(state.patients);
  const outputs: AlertingOutput[] = [];
  const byRule = new Map<string, Pending>();
  for (const { reading: r, historyRulesOnly } of withLaterReadings(readings, rulesOf, state.history)) {
    const patient = state.patients.get(r.patientId);
    const allRules = rulesOf.get(r.patientId);
    if (!patient || !allRules) {
      outputs.push(ignore('PATIENT_NOT_MONITORED', r.readingId));
      continue;
    }
    const rules = historyRulesOnly ? allRules.filter((rule) => rule.kind !== 'threshold') : allRules;
    const breaches = evaluateReading(r, rules, state.history.get(historyKey(r.patientId, r.kind)) ?? []);
    if (breaches.length === 0 && !historyRulesOnly) outputs.push(ignore('WITHIN_CARE_PLAN', r.readingId));
    // One command per patient and rule for the whole batch: the readings of one condition go to one alert.
    for (const breach of breaches) {
      const key = `${r.patientId}/${breach.ruleId}`;
      const group = byRule.get(key);
      if (group) {
        breach.readingIds.forEach((id) => group.readingIds.add(id));
        if (r.measuredAt > group.measuredAt) group.measuredAt = r.measuredAt;
      } else {
        byRule.set(key, { patient, ruleId: breach.ruleId, kind: breach.kind, severity: breach.severity, readingIds: new Set(breach.readingIds), measuredAt: r.measuredAt });
      }
    }
  }
  for (const pending of byRule.values()) outputs.push(raise(pending, now));
  return outputs;
}

/**
 * A late reading can change the trend or adherence picture of readings measured after it: those
 * (from the history, not in this batch, within the rule's window) are evaluated again, with
 * their history rules only, against the history that now holds the late one.
 */
function withLaterReadings(
  readings: readonly Reading[],
  rulesOf: ReadonlyMap<string, readonly CarePlanRule[]>,
  history: ReadonlyMap<string, readonly Reading[]>,
): { reading: Reading; historyRulesOnly: boolean }[] {
  const inBatch = new Set(readings.map((r) => r.readingId));
  const again = new Map<string, Reading>();
  for (const r of readings) {
    const hours = historyHoursNeeded(rulesOf.get(r.patientId) ?? [], r.kind);
    if (hours === 0) continue;
    const until = Date.parse(r.measuredAt) + hours * 3_600_000;
    for (const h of history.get(historyKey(r.patientId, r.kind)) ?? []) {
      if (!inBatch.has(h.readingId) && h.measuredAt > r.measuredAt && Date.parse(h.measuredAt) <= until) again.set(h.readingId, h);
    }
  }
  return [...readings.map((reading) => ({ reading, historyRulesOnly: false })), ...[...again.values()].map((reading) => ({ reading, historyRulesOnly: true }))];
}

function raise(pending: Pending, now: Date): RaiseAlert {
  const ids = [...pending.readingIds];
  const cause = ids[0]!;
  const { patient } = pending;
  return {
    kind: 'raise',
    causeReadingId: cause,
    alert: {
      patientId: patient.patientId,
      ruleId: pending.ruleId,
      kind: pending.kind,
      severity: pending.severity,
      readingIds: ids,
      measuredAt: pending.measuredAt,
      careTeam: patient.careTeam,
      ...(patient.careTeam[0] !== undefined && { assigneeId: patient.careTeam[0] }),
      escalateAfterSeconds: patient.escalateAfterSeconds,
    },
    metadata: {
      now,
      actor: { id: 'monitoring-alerting', role: 'system' },
      correlationId: cause,
      causationId: cause,
      commandId: `raise-${pending.ruleId}-${cause}`,
      purpose: 'treatment',
    },
  };
}
