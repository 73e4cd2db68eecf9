import type { Pool } from 'pg';
import { quoteIdent } from '@carebridge/event-store';
import type { AccessRecordedData } from '../access.events';

/** The AccessRecorded events of a service's schema, oldest first (tests). */
export async function readAccessEvents(pool: Pool, schema: string): Promise<AccessRecordedData[]> {
  const { rows } = await pool.query<{ data: AccessRecordedData }>(
    `SELECT data FROM ${quoteIdent(schema)}.events WHERE event_type = 'AccessRecorded' ORDER BY global_position`,
  );
  return rows.map((r) => r.data);
}
