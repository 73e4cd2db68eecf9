import type { PoolClient } from 'pg';
import { quoteIdent, type RecordedEvent } from '@carebridge/event-store';
import type { PrescriptionEvent } from '../prescription/prescription.events';
import { applyToView, type PrescriptionView } from './prescription.views';

/** Folds `prescription-*` streams into prescription_view, one row per prescription. */
export function prescriptionViewHandler(schema: string) {
  const table = `${quoteIdent(schema)}.prescription_view`;
  return async (events: readonly RecordedEvent[], client: PoolClient): Promise<void> => {
    for (const event of events) {
      if (!event.streamId.startsWith('prescription-')) continue;
      const id = event.streamId.slice('prescription-'.length);
      const { rows } = await client.query<{ view: PrescriptionView }>(`SELECT view FROM ${table} WHERE prescription_id = $1`, [id]);
      const view = applyToView(rows[0]?.view ?? null, event as unknown as PrescriptionEvent, event.metadata.occurredAt);
      if (view === null) continue;
      await client.query(
        `INSERT INTO ${table} (prescription_id, patient_id, prescriber_id, pharmacy_id, status, ingredient_rxcuis, view, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (prescription_id) DO UPDATE SET pharmacy_id = EXCLUDED.pharmacy_id, status = EXCLUDED.status, ingredient_rxcuis = EXCLUDED.ingredient_rxcuis,
           view = EXCLUDED.view, updated_at = EXCLUDED.updated_at`,
        [
          id,
          view.rx.patientId,
          view.rx.prescriber.providerId,
          view.pharmacy?.pharmacyId ?? null,
          view.status,
          view.rx.medication.ingredientRxcuis,
          JSON.stringify(view),
          event.metadata.occurredAt,
        ],
      );
    }
  };
}
