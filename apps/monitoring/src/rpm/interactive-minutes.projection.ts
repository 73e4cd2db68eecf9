import type { Pool, PoolClient } from 'pg';
import { type RecordedEvent, quoteIdent } from '@carebridge/event-store';
import type { PatientMonitoringEvent } from '../enrolment/patient-monitoring.events';
import type { ReadModelProjection } from '../read-models.projection';

type Handled = Extract<PatientMonitoringEvent, { type: 'InteractiveMinutesLogged' }>;

/** Question: how many management and interpretation minutes were logged for a patient, and when? */
export function interactiveMinutesProjection(schema: string): ReadModelProjection {
  const s = quoteIdent(schema);
  return {
    name: 'interactive-minutes',
    canHandle: new Set<Handled['type']>(['InteractiveMinutesLogged']),
    async apply(events: readonly RecordedEvent[], client: PoolClient) {
      for (const recorded of events) {
        const d = (recorded.data as Handled['data']);
        await client.query(
          `INSERT INTO ${s}.interactive_minutes (entry_id, patient_id, practitioner_id, activity, minutes, interactive, performed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
          [d.entryId, d.patientId, d.practitionerId, d.activity, d.minutes, d.interactive, d.performedAt],
        );
      }
    },
  };
}

export class InteractiveMinutes {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.s = quoteIdent(schema);
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
}
