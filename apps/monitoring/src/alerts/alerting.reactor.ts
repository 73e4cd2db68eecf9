import { type PostgresEventStore, WakeableSleep, deterministicEventId, handle, quoteIdent } from '@carebridge/event-store';
import type { Pool } from 'pg';
import { type Breach, type CarePlanRule, effectiveRules, evaluateReading, historyHoursNeeded } from '../care-plan/care-plan.rules';
import type { Clock } from '../clock';
import { type MonitoredPatient, READ_MODELS_PROJECTION, type ReadModels, type Reading } from '../read-models';
import { alertDecider } from './alert.decider';
import type { AlertEvent } from './alert.events';
import { alertStreamId } from './alert.stream';


interface AlertEventRow {
  readonly stream_id: string;
  readonly event_type: string;
  readonly data: unknown;
  readonly recorded_at: Date;
}

export interface EscalationScheduler {
  schedule(job: { streamId: string; alertId: string; level: number }, delayMs: number): Promise<void>;
}

/**
 * Follows the event store after the read models: evaluates each new reading against the
 * patient's care plan and raises (or updates) alerts, schedules escalations for raised and
 * escalated alerts. Its checkpoint moves only after all of that, so a
 * crash re-evaluates (alert commands are idempotent: the decider attaches only new readings).
 */
export class AlertingReactor {
  private running = false;
  private loop?: Promise<void>;
  private readonly pause = new WakeableSleep();
  private position = 0;
  private readonly table: string;
  private readonly alertEventsSql: string;

  constructor(
    private readonly deps: {
      readonly store: PostgresEventStore;
      readonly pool: Pool;
      readonly readModels: ReadModels;
      readonly clock: Clock;
      readonly escalations?: EscalationScheduler;
      readonly onError?: (error: unknown) => void;
    },
  ) {
    const schema = quoteIdent(deps.store.schema);
    this.table = `${schema}.projection_checkpoints`;
    // Positions at or below the projection's checkpoint are settled (no event can appear there later).
    this.alertEventsSql = `SELECT stream_id, event_type, data, recorded_at FROM ${schema}.events
                            WHERE global_position > $1 AND global_position <= $2 AND event_type IN ('AlertRaised', 'AlertEscalated')
                            ORDER BY global_position`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.pause.wake();
    await this.loop;
  }

  nudge(): void {
    this.pause.wake();
  }

  private async run(): Promise<void> {
    let idle = 5;
    while (this.running) {
      try {
        await this.deps.pool.query(`INSERT INTO ${this.table} (projection_name, position) VALUES ('alerting', 0) ON CONFLICT DO NOTHING`);
        const { rows } = await this.deps.pool.query(`SELECT position FROM ${this.table} WHERE projection_name = 'alerting'`);
        this.position = Number(rows[0].position);
        while (this.running) {
          // Behind the read-model projection, by position: readings come from the readings read
          // model and alert events from the log filtered in SQL, so the database does not send
          // every event to this follower too (the projection and the relay already read them all).
          const projected = await this.projectedPosition();
          const last = Math.min(projected, this.position + 20_000);
          if (last <= this.position) {
            await this.pause.sleep(idle);
            idle = Math.min(idle * 2, 50);
            continue;
          }
          idle = 5;
          const [readings, alertEvents] = await Promise.all([
            this.deps.readModels.readingsBetween(this.position, last),
            this.deps.pool.query(this.alertEventsSql, [this.position, last]),
          ]);
          await this.react(readings, alertEvents.rows, last);
          await this.deps.pool.query(`UPDATE ${this.table} SET position = greatest(position, $1), updated_at = now() WHERE projection_name = 'alerting'`, [last]);
          this.position = last;
        }
      } catch (error) {
        this.deps.onError?.(error);
        if (this.running) await this.pause.sleep(1_000);
      }
    }
  }

  private async projectedPosition(): Promise<number> {
    const { rows } = await this.deps.pool.query(`SELECT position FROM ${this.table} WHERE projection_name = $1`, [READ_MODELS_PROJECTION]);
    return rows[0] ? Number(rows[0].position) : 0;
  }

  private async react(readings: readonly Reading[], alertEvents: readonly AlertEventRow[], last: number): Promise<void> {
    const escalations: Promise<void>[] = [];
    for (const row of alertEvents) {
      const event = { type: row.event_type, data: row.data } as AlertEvent;
      if (event.type === 'AlertRaised') {
        escalations.push(this.escalate(row.stream_id, event.data.alertId, 0, event.data.escalateAfterSeconds, row.recorded_at));
      } else if (event.type === 'AlertEscalated') {
        escalations.push(this.escalate(row.stream_id, event.data.alertId, event.data.level, event.data.escalateAfterSeconds, row.recorded_at));
      }
    }
    if (readings.length > 0) {
      await this.evaluate(readings, last);
    }
    await Promise.all(escalations);
  }

  private async escalate(streamId: string, alertId: string, level: number, afterSeconds: number, since: Date): Promise<void> {
    if (!this.deps.escalations) return;
    const due = since.getTime() + afterSeconds * 1_000;
    await this.deps.escalations.schedule({ streamId, alertId, level }, due - this.deps.clock.now().getTime());
  }

  /** Threshold rules only, for readings just stored (the request's fast path; see ReadingIntake). */
  async evaluateThresholds(readings: readonly Reading[]): Promise<void> {
    await this.evaluate(readings, undefined);
  }

  /** `last`: the batch's last position (undefined on the fast path: thresholds only, no waiting on the read model). */
  private async evaluate(readings: readonly Reading[], last: number | undefined): Promise<void> {
    // The care plans of these patients were projected long before their readings arrived, except
    // right after enrolment: then wait for the read model to hold this batch.
    let patients = await this.deps.readModels.patients([...new Set(readings.map((r) => r.patientId))]);
    if (last !== undefined && readings.some((r) => !patients.has(r.patientId))) {
      await this.deps.readModels.projection.waitFor(last, 30_000);
      patients = await this.deps.readModels.patients([...new Set(readings.map((r) => r.patientId))]);
    }
    const rulesOf = new Map<string, CarePlanRule[]>();
    for (const p of patients.values()) {
      const rules = effectiveRules(p.conditions, p.adjustments);
      rulesOf.set(p.patientId, last === undefined ? rules.filter((r) => r.kind === 'threshold') : rules);
    }

    // History for trend and adherence rules, one query for the whole batch.
    const earliest = new Map<string, { patientId: string; kind: string; from: number }>();
    for (const r of readings) {
      const hours = historyHoursNeeded(rulesOf.get(r.patientId) ?? [], r.kind);
      if (hours === 0) continue;
      const key = `${r.patientId}/${r.kind}`;
      const from = Date.parse(r.measuredAt) - hours * 3_600_000;
      const current = earliest.get(key);
      if (!current || from < current.from) earliest.set(key, { patientId: r.patientId, kind: r.kind, from });
    }
    const history = new Map<string, Reading[]>();
    if (earliest.size > 0 && last !== undefined) {
      // Trend and adherence rules read the history from the read model: wait until it holds this batch.
      await this.deps.readModels.projection.waitFor(last, 30_000);
      const rows = await this.deps.readModels.history([...earliest.values()].map((k) => ({ ...k, from: new Date(k.from).toISOString() })));
      for (const row of rows) {
        const key = `${row.patientId}/${row.kind}`;
        history.set(key, [...(history.get(key) ?? []), row]);
      }
    }

    // A late reading can change the trend or adherence picture of readings measured after it:
    // those are evaluated again (with their history rules only) against the history that now holds it.
    const toEvaluate: { reading: Reading; historyRulesOnly: boolean }[] = readings.map((reading) => ({ reading, historyRulesOnly: false }));
    if (last !== undefined) {
      const inBatch = new Set(readings.map((r) => r.readingId));
      const again = new Map<string, Reading>();
      for (const r of readings) {
        const hours = historyHoursNeeded(rulesOf.get(r.patientId) ?? [], r.kind);
        if (hours === 0) continue;
        const until = Date.parse(r.measuredAt) + hours * 3_600_000;
        for (const h of history.get(`${r.patientId}/${r.kind}`) ?? []) {
          if (!inBatch.has(h.readingId) && h.measuredAt > r.measuredAt && Date.parse(h.measuredAt) <= until) again.set(h.readingId, h);
        }
      }
      for (const reading of again.values()) toEvaluate.push({ reading, historyRulesOnly: true });
    }

    const byStream = new Map<string, { patient: MonitoredPatient; breach: Breach; readingIds: Set<string>; measuredAt: string }>();
    for (const { reading: r, historyRulesOnly } of toEvaluate) {
      const patient = patients.get(r.patientId);
      const allRules = rulesOf.get(r.patientId);
      if (!patient || !allRules) continue;
      const rules = historyRulesOnly ? allRules.filter((rule) => rule.kind !== 'threshold') : allRules;
      for (const breach of evaluateReading(r, rules, history.get(`${r.patientId}/${r.kind}`) ?? [])) {
        const streamId = alertStreamId(r.patientId, breach.ruleId);
        const group = byStream.get(streamId);
        if (group) {
          breach.readingIds.forEach((id) => group.readingIds.add(id));
          if (r.measuredAt > group.measuredAt) group.measuredAt = r.measuredAt;
        } else {
          byStream.set(streamId, { patient, breach, readingIds: new Set(breach.readingIds), measuredAt: r.measuredAt });
        }
      }
    }
    await Promise.all(
      [...byStream.entries()].map(async ([streamId, { patient, breach, readingIds, measuredAt }]) => {
        const ids = [...readingIds];
        const cause = ids[0]!;
        await handle(this.deps.store, streamId, alertDecider, {
          type: 'RaiseAlert',
          data: {
            alertId: deterministicEventId(streamId, `alert:${cause}`, 0),
            patientId: patient.patientId,
            ruleId: breach.ruleId,
            kind: breach.kind,
            severity: breach.severity,
            readingIds: ids,
            measuredAt,
            careTeam: patient.careTeam,
            ...(patient.careTeam[0] !== undefined && { assigneeId: patient.careTeam[0] }),
            escalateAfterSeconds: patient.escalateAfterSeconds,
          },
          metadata: {
            now: this.deps.clock.now(),
            actor: { id: 'monitoring-alerting', role: 'system' },
            correlationId: cause,
            causationId: cause,
            commandId: `raise-${breach.ruleId}-${cause}`,
            purpose: 'treatment',
          },
        });
      }),
    );
  }
}
