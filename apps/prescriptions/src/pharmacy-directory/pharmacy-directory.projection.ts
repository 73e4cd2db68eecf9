import type { PoolClient } from 'pg';
import { quoteIdent, type RecordedEvent } from '@carebridge/event-store';
import type { PharmacyEvent } from '../pharmacy/pharmacy.events';

/** Folds `pharmacy-*` streams into pharmacy_directory, searchable by state and city. */
export function pharmacyDirectoryHandler(schema: string) {
  const table = `${quoteIdent(schema)}.pharmacy_directory`;
  return async (events: readonly RecordedEvent[], client: PoolClient): Promise<void> => {
    for (const recorded of events) {
      if (!recorded.streamId.startsWith('pharmacy-')) continue;
      const event = recorded as unknown as PharmacyEvent;
      switch (event.type) {
        case 'PharmacyRegistered': {
          const d = event.data;
          await client.query(
            `INSERT INTO ${table} (ncpdp_id, pharmacy_id, npi, name, state, city, accepts_e_prescribing, details)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (ncpdp_id) DO NOTHING`,
            [d.ncpdpId, d.pharmacyId, d.npi, d.name, d.address.state, d.address.city, d.acceptsEPrescribing, JSON.stringify(d)],
          );
          break;
        }
        case 'PharmacyDetailsChanged': {
          const d = event.data;
          await client.query(
            `UPDATE ${table} SET name = $2, state = $3, city = $4, accepts_e_prescribing = $5, details = details || $6::jsonb WHERE ncpdp_id = $1`,
            [d.ncpdpId, d.name, d.address.state, d.address.city, d.acceptsEPrescribing, JSON.stringify(d)],
          );
          break;
        }
        default: {
          const _exhaustive: never = event;
          return _exhaustive;
        }
      }
    }
  };
}
