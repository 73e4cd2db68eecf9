import type { Pool, PoolClient } from 'pg';
import { type RecordedEvent, quoteIdent } from '@carebridge/event-store';
import type { ReadModelProjection } from '../read-models.projection';
import type { ReadingRecorded } from '../readings/readings.events';

/** Question: on which days (UTC) did a patient send readings? (RPM device-supply codes count days.) */
export function readingDaysProjection(schema: string): ReadModelProjection {
  const s = quoteIdent(schema);
  return {
    name: 'reading-days',
    canHandle: new Set<ReadingRecorded['type']>(['ReadingRecorded']),
    async apply(events: readonly RecordedEvent[], client: PoolClient) {
      const days = events.map((e) => {
        const d = e.data as ReadingRecorded['data'];
        return { p: d.patientId, d: d.measuredAt.slice(0, 10) };
      });
      await client.query(
        `INSERT INTO ${s}.reading_days (patient_id, day)
         SELECT DISTINCT p, d FROM jsonb_to_recordset($1::jsonb) AS x(p text, d date)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(days)],
      );
    },
  };
}

export class ReadingDays {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.s = quoteIdent(schema);
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

  /** Patients whose first reading is old enough for at least one period to have ended. */
  async patientsWithReadingsBefore(day: string): Promise<string[]> {
    const { rows } = await this.pool.query(
      `SELECT patient_id FROM ${this.s}.reading_days GROUP BY patient_id HAVING min(day) <= $1::date`,
      [day],
    );
    return rows.map((r) => r.patient_id);
  }
}
