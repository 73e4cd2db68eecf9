import type { Pool, PoolClient } from 'pg';
import { type RecordedEvent, quoteIdent } from '@carebridge/event-store';
import type { PatientMonitoringEvent } from '../enrolment/patient-monitoring.events';
import type { ReadModelProjection } from '../read-models.projection';

type Handled = Extract<PatientMonitoringEvent, { type: 'MedicationFillRecorded' }>;

/** Question: which of a patient's prescriptions have supply on hand at a time? (adherence view) */
export function medicationFillsProjection(schema: string): ReadModelProjection {
  const s = quoteIdent(schema);
  return {
    name: 'medication-fills',
    canHandle: new Set<Handled['type']>(['MedicationFillRecorded']),
    async apply(events: readonly RecordedEvent[], client: PoolClient) {
      for (const recorded of events) {
        const d = recorded.data as Handled['data'];
        await client.query(
          `INSERT INTO ${s}.medication_fills (patient_id, prescription_id, rxnorm_code, days_supply, filled_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [d.patientId, d.prescriptionId, d.rxnormCode, d.daysSupply, d.filledAt],
        );
      }
    },
  };
}

export class MedicationFills {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.s = quoteIdent(schema);
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
