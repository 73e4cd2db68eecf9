import type { MonitoringProgram } from './rpm/rpm.rules';
import type { Pool, PoolClient } from 'pg';
import { type PostgresEventStore, Projection, type RecordedEvent, quoteIdent } from '@carebridge/event-store';
import type { AlertEvent } from './alerts/alert.events';
import type { DeviceEvent } from './enrolment/device.events';
import type { PatientMonitoringEvent, RuleAdjustmentData } from './enrolment/patient-monitoring.events';
import type { Assignment } from './readings/reading-intake.rules';
import type { ReadingRecorded } from './readings/readings.events';
import type { RpmEvent } from './rpm/rpm.events';
import type { Condition } from './care-plan/care-plan.rules';

/** The projection's checkpoint name (the alerting reactor follows it). */
export const READ_MODELS_PROJECTION = 'monitoring-read-models';

type AnyEvent = PatientMonitoringEvent | DeviceEvent | ReadingRecorded | AlertEvent | RpmEvent;
export type Reading = ReadingRecorded['data'];

export interface MonitoredPatient {
  readonly patientId: string;
  readonly conditions: readonly Condition[];
  readonly careTeam: readonly string[];
  readonly billingPractitionerId: string;
  readonly established: boolean;
  readonly consented: boolean;
  readonly escalateAfterSeconds: number;
  readonly adjustments: readonly RuleAdjustmentData[];
  readonly program: MonitoringProgram;
}

export interface AlertRow {
  readonly alertId: string;
  readonly streamId: string;
  readonly patientId: string;
  readonly ruleId: string;
  readonly kind: string;
  readonly severity: string;
  readonly status: string;
  readonly level: number;
  readonly assigneeId: string | null;
  readonly readingIds: readonly string[];
  readonly raisedAt: string;
  readonly measuredAt: string;
}

/** Every read model of the service, kept by one projection that follows the event store. */
export class ReadModels {
  readonly projection: Projection;
  private readonly s: string;

  constructor(
    readonly store: PostgresEventStore,
    private readonly pool: Pool,
    onError?: (error: unknown) => void,
  ) {
    this.s = quoteIdent(store.schema);
    this.projection = new Projection({
      name: READ_MODELS_PROJECTION,
      store,
      pool,
      batchSize: 2_000,
      handle: (events, client) => this.apply(events, client),
      ...(onError && { onError }),
    });
  }

  start(): void {
    this.projection.start();
  }

  stop(): Promise<void> {
    return this.projection.stop();
  }

  /** Read-your-writes after a command. */
  async include(events: readonly RecordedEvent[]): Promise<void> {
    const last = events.at(-1);
    if (last) await this.projection.waitFor(last.globalPosition);
  }

  private async apply(events: readonly RecordedEvent[], client: PoolClient): Promise<void> {
    const readings: { e: RecordedEvent; d: Reading }[] = [];
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as AnyEvent;
      if (event.type === 'ReadingRecorded') {
        readings.push({ e: recorded, d: event.data });
        continue;
      }
      // Keep reading order relative to other events simple: readings are written in bulk first.
      await this.applyOne(event, recorded, client);
    }
    if (readings.length > 0) await this.insertReadings(readings, client);
  }

  private async insertReadings(readings: readonly { e: RecordedEvent; d: Reading }[], client: PoolClient): Promise<void> {
    const rows = readings.map(({ e, d }) => ({
      id: d.readingId,
      p: d.patientId,
      dev: d.deviceId,
      k: d.kind,
      l: d.loinc,
      m: d.measuredAt,
      v: d.value ?? null,
      sy: d.systolic ?? null,
      di: d.diastolic ?? null,
      u: d.unit ?? null,
      t: d.taken ?? null,
      rx: d.rxnormCode ?? null,
      r: e.recordedAt.toISOString(),
      g: e.globalPosition,
    }));
    await client.query(
      `INSERT INTO ${this.s}.readings (reading_id, patient_id, device_id, kind, loinc, measured_at, value, systolic, diastolic, unit, taken, rxnorm_code, recorded_at, global_position)
       SELECT id, p, dev, k, l, m, v, sy, di, u, t, rx, r, g
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, p text, dev text, k text, l text, m timestamptz, v float8, sy float8, di float8, u text, t boolean, rx text, r timestamptz, g bigint)
       ON CONFLICT (reading_id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
    await client.query(
      `INSERT INTO ${this.s}.reading_days (patient_id, day)
       SELECT DISTINCT p, d FROM jsonb_to_recordset($1::jsonb) AS x(p text, d date)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(readings.map(({ d }) => ({ p: d.patientId, d: d.measuredAt.slice(0, 10) })))],
    );
  }

  private async applyOne(event: Exclude<AnyEvent, ReadingRecorded>, recorded: RecordedEvent, client: PoolClient): Promise<void> {
    const s = this.s;
    switch (event.type) {
      case 'PatientEnrolled': {
        const d = event.data;
        await client.query(
          `INSERT INTO ${s}.monitored_patients (patient_id, conditions, care_team, billing_practitioner_id, established, escalate_after_seconds, program)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (patient_id) DO NOTHING`,
          [d.patientId, d.conditions, d.careTeam, d.billingPractitionerId, d.established, d.escalateAfterSeconds, JSON.stringify(d.program ?? { kind: 'rpm' })],
        );
        return;
      }
      case 'MonitoringConsentRecorded':
        await client.query(`UPDATE ${s}.monitored_patients SET consented = true WHERE patient_id = $1`, [event.data.patientId]);
        return;
      case 'CareRuleAdjusted':
        await client.query(
          `UPDATE ${s}.monitored_patients
              SET adjustments = (SELECT coalesce(jsonb_agg(a), '[]') FROM jsonb_array_elements(adjustments) a WHERE a->>'ruleId' <> $2) || jsonb_build_array($3::jsonb)
            WHERE patient_id = $1`,
          [event.data.patientId, event.data.adjustment.ruleId, JSON.stringify(event.data.adjustment)],
        );
        return;
      case 'InteractiveMinutesLogged': {
        const d = event.data;
        await client.query(
          `INSERT INTO ${s}.interactive_minutes (entry_id, patient_id, practitioner_id, activity, minutes, interactive, performed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
          [d.entryId, d.patientId, d.practitionerId, d.activity, d.minutes, d.interactive, d.performedAt],
        );
        return;
      }
      case 'MedicationFillRecorded': {
        const d = event.data;
        await client.query(
          `INSERT INTO ${s}.medication_fills (patient_id, prescription_id, rxnorm_code, days_supply, filled_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [d.patientId, d.prescriptionId, d.rxnormCode, d.daysSupply, d.filledAt],
        );
        return;
      }
      case 'DeviceRegistered': {
        const d = event.data;
        await client.query(
          `INSERT INTO ${s}.devices (device_id, serial, kind, manufacturer, model) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [d.deviceId, d.serial, d.kind, d.manufacturer, d.model],
        );
        return;
      }
      case 'DeviceAssigned': {
        const d = event.data;
        await client.query(
          `INSERT INTO ${s}.device_assignments (assignment_id, device_id, patient_id, valid_from, valid_to, key_hash) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [d.assignmentId, d.deviceId, d.patientId, d.from, d.to ?? null, d.keyHash],
        );
        return;
      }
      case 'DeviceAssignmentEnded':
        await client.query(`UPDATE ${s}.device_assignments SET valid_to = $2 WHERE assignment_id = $1`, [event.data.assignmentId, event.data.endedAt]);
        return;
      case 'DeviceKeyRotated':
        await client.query(`UPDATE ${s}.device_assignments SET key_hash = $2 WHERE assignment_id = $1`, [event.data.assignmentId, event.data.keyHash]);
        return;
      case 'AlertRaised': {
        const d = event.data;
        await client.query(
          `INSERT INTO ${s}.alerts (alert_id, stream_id, patient_id, rule_id, kind, severity, status, level, assignee_id, reading_ids, raised_at, measured_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'open', 0, $7, $8, $9, $10, $9) ON CONFLICT DO NOTHING`,
          [d.alertId, recorded.streamId, d.patientId, d.ruleId, d.kind, d.severity, d.assigneeId ?? null, d.readingIds, recorded.recordedAt, d.measuredAt],
        );
        return;
      }
      case 'AlertUpdated':
        await client.query(
          `UPDATE ${s}.alerts SET reading_ids = (reading_ids || $2::text[])[greatest(1, cardinality(reading_ids) + cardinality($2::text[]) - 199):],
                  measured_at = greatest(measured_at, $3), updated_at = $4 WHERE alert_id = $1`,
          [event.data.alertId, event.data.readingIds, event.data.measuredAt, recorded.recordedAt],
        );
        return;
      case 'AlertAcknowledged':
        await client.query(`UPDATE ${s}.alerts SET status = 'acknowledged', updated_at = $2 WHERE alert_id = $1`, [event.data.alertId, recorded.recordedAt]);
        return;
      case 'AlertResolved':
        await client.query(`UPDATE ${s}.alerts SET status = 'resolved', updated_at = $2 WHERE alert_id = $1`, [event.data.alertId, recorded.recordedAt]);
        return;
      case 'AlertEscalated':
        await client.query(`UPDATE ${s}.alerts SET level = $2, assignee_id = $3, updated_at = $4 WHERE alert_id = $1`, [
          event.data.alertId,
          event.data.level,
          event.data.assigneeId,
          recorded.recordedAt,
        ]);
        return;
      case 'RpmPeriodClosed': {
        const d = event.data;
        await client.query(
          `INSERT INTO ${s}.rpm_periods (period_id, patient_id, period_start, period_end, days, codes, reason_codes, rule_set)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [d.periodId, d.patientId, d.periodStart, d.periodEnd, d.daysWithReadings, JSON.stringify(d.codes), d.reasonCodes, JSON.stringify(d.ruleSet)],
        );
        return;
      }
      default: {
        const _exhaustive: never = event;
        void _exhaustive;
      }
    }
  }

  // ---- queries ----

  async patient(patientId: string): Promise<MonitoredPatient | undefined> {
    return (await this.patients([patientId])).get(patientId);
  }

  /** `db`: a caller's transaction client (a consumer handler must not use a second connection). */
  async patients(patientIds: readonly string[], db: Pick<Pool, 'query'> = this.pool): Promise<Map<string, MonitoredPatient>> {
    const { rows } = await db.query(`SELECT * FROM ${this.s}.monitored_patients WHERE patient_id = ANY($1)`, [patientIds]);
    return new Map(
      rows.map((r) => [
        r.patient_id as string,
        {
          patientId: r.patient_id,
          conditions: r.conditions,
          careTeam: r.care_team,
          billingPractitionerId: r.billing_practitioner_id,
          established: r.established,
          consented: r.consented,
          escalateAfterSeconds: r.escalate_after_seconds,
          adjustments: r.adjustments,
          program: r.program ?? { kind: 'rpm' },
        } satisfies MonitoredPatient,
      ]),
    );
  }

  /** Assignments of these devices (any period), with the patient's consent. */
  async assignments(deviceIds: readonly string[]): Promise<Assignment[]> {
    const { rows } = await this.pool.query(
      `SELECT a.device_id, a.patient_id, a.valid_from, a.valid_to, coalesce(p.consented, false) AS consented
         FROM ${this.s}.device_assignments a LEFT JOIN ${this.s}.monitored_patients p USING (patient_id)
        WHERE a.device_id = ANY($1)`,
      [deviceIds],
    );
    return rows.map((r) => ({
      deviceId: r.device_id,
      patientId: r.patient_id,
      from: r.valid_from,
      ...(r.valid_to !== null && { to: r.valid_to }),
      consented: r.consented,
    }));
  }

  /** The assignment a device API key belongs to (by its hash), if still in force at some time. */
  async assignmentByKeyHash(keyHash: string): Promise<{ deviceId: string; patientId: string } | undefined> {
    const { rows } = await this.pool.query(`SELECT device_id, patient_id FROM ${this.s}.device_assignments WHERE key_hash = $1`, [keyHash]);
    return rows[0] ? { deviceId: rows[0].device_id, patientId: rows[0].patient_id } : undefined;
  }

  async device(deviceId: string) {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.s}.devices WHERE device_id = $1`, [deviceId]);
    if (!rows[0]) return undefined;
    const assignments = await this.pool.query(
      `SELECT assignment_id, patient_id, valid_from, valid_to FROM ${this.s}.device_assignments WHERE device_id = $1 ORDER BY valid_from`,
      [deviceId],
    );
    return {
      deviceId: rows[0].device_id as string,
      serial: rows[0].serial as string,
      kind: rows[0].kind as string,
      manufacturer: rows[0].manufacturer as string,
      model: rows[0].model as string,
      assignments: assignments.rows.map((a) => ({ assignmentId: a.assignment_id, patientId: a.patient_id, from: a.valid_from, to: a.valid_to ?? undefined })),
    };
  }

  /** A patient's readings of some kinds measured in [from, to], oldest first. */
  async readings(patientId: string, options: { kinds?: readonly string[]; from?: string; to?: string; limit?: number } = {}): Promise<Reading[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM ${this.s}.readings
        WHERE patient_id = $1 AND ($2::text[] IS NULL OR kind = ANY($2)) AND ($3::timestamptz IS NULL OR measured_at >= $3)
          AND ($4::timestamptz IS NULL OR measured_at <= $4)
        ORDER BY measured_at DESC LIMIT $5`,
      [patientId, options.kinds ?? null, options.from ?? null, options.to ?? null, options.limit ?? 1_000],
    );
    return rows.reverse().map(toReading);
  }

  /** Readings stored at global positions in (after, upTo], in log order. */
  async readingsBetween(after: number, upTo: number): Promise<Reading[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM ${this.s}.readings WHERE global_position > $1 AND global_position <= $2 ORDER BY global_position`,
      [after, upTo],
    );
    return rows.map(toReading);
  }

  /**
   * A patient's readings stored at log positions in (after, upTo], in log order, with their
   * positions: what a live viewer missed while disconnected. At most `limit`.
   */
  async patientReadingsBetween(patientId: string, after: number, upTo: number, limit: number): Promise<{ reading: Reading; position: number }[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM ${this.s}.readings WHERE patient_id = $1 AND global_position > $2 AND global_position <= $3 ORDER BY global_position LIMIT $4`,
      [patientId, after, upTo, limit],
    );
    return rows.map((row) => ({ reading: toReading(row), position: Number(row.global_position) }));
  }

  async reading(readingId: string): Promise<Reading | undefined> {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.s}.readings WHERE reading_id = $1`, [readingId]);
    return rows[0] ? toReading(rows[0]) : undefined;
  }

  /** History for trend and adherence rules of many patients at once: readings of `kinds` since `from`. */
  async history(keys: readonly { patientId: string; kind: string; from: string }[]): Promise<Reading[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.pool.query(
      `SELECT r.* FROM jsonb_to_recordset($1::jsonb) AS k(p text, k text, f timestamptz)
         JOIN ${this.s}.readings r ON r.patient_id = k.p AND r.kind = k.k AND r.measured_at >= k.f`,
      [JSON.stringify(keys.map((k) => ({ p: k.patientId, k: k.kind, f: k.from })))],
    );
    return rows.map(toReading);
  }

  async alerts(patientId: string, status?: string): Promise<AlertRow[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM ${this.s}.alerts WHERE patient_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY raised_at`,
      [patientId, status ?? null],
    );
    return rows.map(toAlert);
  }

  async alert(alertId: string): Promise<AlertRow | undefined> {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.s}.alerts WHERE alert_id = $1`, [alertId]);
    return rows[0] ? toAlert(rows[0]) : undefined;
  }

  async firstReadingDay(patientId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query(`SELECT min(day)::text AS day FROM ${this.s}.reading_days WHERE patient_id = $1`, [patientId]);
    return rows[0]?.day ?? undefined;
  }

  async daysWithReadings(patientId: string, from: string, to: string): Promise<number> {
    const { rows } = await this.pool.query(
      `SELECT count(*)::int AS n FROM ${this.s}.reading_days WHERE patient_id = $1 AND day BETWEEN $2 AND $3`,
      [patientId, from, to],
    );
    return rows[0].n;
  }

  /** Minutes logged in [from, to] (dates, inclusive) per activity, and whether any entry was a real-time interaction. */
  async minutes(patientId: string, from: string, to: string): Promise<{ management: number; interpretation: number; interactive: boolean }> {
    const { rows } = await this.pool.query(
      `SELECT coalesce(sum(minutes) FILTER (WHERE activity = 'management'), 0)::int AS management,
              coalesce(sum(minutes) FILTER (WHERE activity = 'interpretation'), 0)::int AS interpretation,
              coalesce(bool_or(interactive) FILTER (WHERE activity = 'management'), false) AS interactive
         FROM ${this.s}.interactive_minutes
        WHERE patient_id = $1 AND performed_at >= $2::date AND performed_at < $3::date + 1`,
      [patientId, from, to],
    );
    return rows[0];
  }

  /**
   * Management minutes per calendar month (UTC, `YYYY-MM`) logged before `before` (an ISO date,
   * the first day of a month), and whether any of a month's entries was a real-time interaction.
   */
  async managementMinutesByMonth(patientId: string, before: string): Promise<{ month: string; minutes: number; interactive: boolean }[]> {
    const { rows } = await this.pool.query(
      `SELECT to_char(performed_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, sum(minutes)::int AS minutes, bool_or(interactive) AS interactive
         FROM ${this.s}.interactive_minutes
        WHERE patient_id = $1 AND activity = 'management' AND performed_at < ($2::date)::timestamp AT TIME ZONE 'UTC'
        GROUP BY 1 ORDER BY 1`,
      [patientId, before],
    );
    return rows.map((r) => ({ month: r.month as string, minutes: r.minutes as number, interactive: r.interactive as boolean }));
  }

  async rpmPeriods(patientId: string) {
    const { rows } = await this.pool.query(
      `SELECT period_id, period_start::text, period_end::text, days, codes, reason_codes, rule_set FROM ${this.s}.rpm_periods WHERE patient_id = $1 ORDER BY period_start`,
      [patientId],
    );
    return rows.map((r) => ({
      periodId: r.period_id as string,
      periodStart: r.period_start as string,
      periodEnd: r.period_end as string,
      daysWithReadings: r.days as number,
      codes: r.codes as { code: string; units: number }[],
      reasonCodes: r.reason_codes as string[],
      ruleSet: r.rule_set,
    }));
  }

  /** Patients whose first reading is old enough for at least one period to have ended. */
  async patientsWithReadingsBefore(day: string): Promise<string[]> {
    const { rows } = await this.pool.query(
      `SELECT patient_id FROM ${this.s}.reading_days GROUP BY patient_id HAVING min(day) <= $1::date`,
      [day],
    );
    return rows.map((r) => r.patient_id);
  }

  async activeFills(patientId: string, at: string): Promise<{ prescriptionId: string; rxnormCode: string }[]> {
    const { rows } = await this.pool.query(
      `SELECT prescription_id, rxnorm_code FROM ${this.s}.medication_fills
        WHERE patient_id = $1 AND filled_at <= $2 AND filled_at + days_supply * interval '1 day' > $2`,
      [patientId, at],
    );
    return rows.map((r) => ({ prescriptionId: r.prescription_id, rxnormCode: r.rxnorm_code }));
  }
}

function toReading(r: Record<string, unknown>): Reading {
  return {
    readingId: r.reading_id as string,
    patientId: r.patient_id as string,
    deviceId: r.device_id as string,
    kind: r.kind as Reading['kind'],
    loinc: r.loinc as string,
    measuredAt: (r.measured_at as Date).toISOString(),
    ...(r.value !== null && { value: r.value as number }),
    ...(r.systolic !== null && { systolic: r.systolic as number }),
    ...(r.diastolic !== null && { diastolic: r.diastolic as number }),
    ...(r.unit !== null && { unit: r.unit as string }),
    ...(r.taken !== null && { taken: r.taken as boolean }),
    ...(r.rxnorm_code !== null && { rxnormCode: r.rxnorm_code as string }),
  };
}

function toAlert(r: Record<string, unknown>): AlertRow {
  return {
    alertId: r.alert_id as string,
    streamId: r.stream_id as string,
    patientId: r.patient_id as string,
    ruleId: r.rule_id as string,
    kind: r.kind as string,
    severity: r.severity as string,
    status: r.status as string,
    level: r.level as number,
    assigneeId: (r.assignee_id as string | null) ?? null,
    readingIds: r.reading_ids as string[],
    raisedAt: (r.raised_at as Date).toISOString(),
    measuredAt: (r.measured_at as Date).toISOString(),
  };
}
