import type { PoolClient } from 'pg';
import { quoteIdent, type RecordedEvent } from '@carebridge/event-store';
import type { PrescriptionEvent } from '../prescription/prescription.events';
import { pharmacyBoundMessage } from '../prescription/pharmacy-bound.rules';

/**
 * Folds the pharmacy-bound SCRIPT messages into pharmacy_script_outbox, per pharmacy in the
 * order they were recorded: the polling endpoint's read model. The XML is rendered by the same
 * pure function the relay uses, from the same stored event, so a pharmacy that polls receives the
 * bytes a pharmacy on the topic receives (same MessageID: the stored event id).
 */
export function pharmacyScriptOutboxHandler(schema: string) {
  const table = `${quoteIdent(schema)}.pharmacy_script_outbox`;
  return async (events: readonly RecordedEvent[], client: PoolClient): Promise<void> => {
    for (const recorded of events) {
      if (!recorded.streamId.startsWith('prescription-')) continue;
      const message = pharmacyBoundMessage(recorded as unknown as PrescriptionEvent, { eventId: recorded.eventId, occurredAt: recorded.metadata.occurredAt });
      if (message === null) continue;
      await client.query(
        `INSERT INTO ${table} (global_position, ncpdp_id, prescription_id, message_id, message, script_version, sent_at, xml)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (global_position) DO NOTHING`,
        [recorded.globalPosition, message.pharmacyNcpdpId, message.prescriptionId, recorded.eventId, message.name, message.version, recorded.metadata.occurredAt, message.xml],
      );
    }
  };
}
