import type { Pool, PoolClient } from 'pg';
import { type RecordedEvent, quoteIdent } from '@carebridge/event-store';
import type { ReadModelProjection } from '../read-models.projection';
import type { RpmEvent } from './rpm.events';

type Handled = Extract<RpmEvent, { type: 'RpmPeriodClosed' }>;

/** Question: which RPM periods of a patient are closed, with which codes? */
export function rpmPeriodsProjection(schema: string): ReadModelProjection {
  const s = quoteIdent(schema);
  return {
    name: 'rpm-periods',
    canHandle: new Set<Handled['type']>(['RpmPeriodClosed']),
    async apply(events: readonly RecordedEvent[], client: PoolClient) {
      for (const recorded of events) {
        const d = recorded.data as Handled['data'];
        await client.query(
          `INSERT INTO ${s}.rpm_periods (period_id, patient_id, period_start, period_end, days, codes, reason_codes, rule_set)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [d.periodId, d.patientId, d.periodStart, d.periodEnd, d.daysWithReadings, JSON.stringify(d.codes), d.reasonCodes, JSON.stringify(d.ruleSet)],
        );
      }
    },
  };
}

export class ClosedRpmPeriods {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.s = quoteIdent(schema);
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
}
