import type { Pool, PoolClient } from 'pg';
import { type RecordedEvent, quoteIdent } from '@carebridge/event-store';
import type { ReadModelProjection } from '../read-models.projection';
import type { AlertEvent } from './alert.events';

/** Question: which alerts does a patient have, in which status, with whom? */
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

export function alertsProjection(schema: string): ReadModelProjection {
  const s = quoteIdent(schema);
  return {
    name: 'alerts',
    canHandle: new Set<AlertEvent['type']>(['AlertRaised', 'AlertUpdated', 'AlertAcknowledged', 'AlertResolved', 'AlertEscalated']),
    async apply(events: readonly RecordedEvent[], client: PoolClient) {
      for (const recorded of events) await applyOne({ type: recorded.type, data: recorded.data } as AlertEvent, recorded, client, s);
    },
  };
}

async function applyOne(event: AlertEvent, recorded: RecordedEvent, client: PoolClient, s: string): Promise<void> {
  switch (event.type) {
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
      // The row keeps the latest 200 reading ids (the events keep all of them).
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
    default: {
      const _exhaustive: never = event;
      void _exhaustive;
    }
  }
}

export class Alerts {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.s = quoteIdent(schema);
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
