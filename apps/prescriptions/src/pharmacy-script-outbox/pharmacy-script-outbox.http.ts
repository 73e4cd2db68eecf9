import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import { quoteIdent } from '@carebridge/event-store';
import { CurrentActor, parseBody, Roles, type AuthenticatedActor } from '@carebridge/platform';
import { RuleViolation } from '@carebridge/shared-kernel';
import { PG_POOL, SERVICE_SCHEMA } from '../http/prescriptions.tokens';

export const scriptMessagesQuery = z.object({
  /** The position of the last message already read (0: from the start). */
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/**
 * For pharmacies that poll instead of reading the pharmacy topic: the SCRIPT XML of every message
 * sent to this pharmacy, oldest first, from a cursor. Only the pharmacy itself reads it (anyone
 * else: 404, as for a prescription that is not theirs); every read is audited (access policy,
 * phi: true).
 */
@Controller('v1/pharmacies')
export class PharmacyScriptOutboxController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
  ) {}

  @Get(':ncpdpId/script-messages')
  @Roles('pharmacy')
  async list(@CurrentActor() actor: AuthenticatedActor, @Param('ncpdpId') ncpdpId: string, @Query() query: unknown) {
    const { after, limit } = parseBody(scriptMessagesQuery, query, 'query');
    const s = quoteIdent(this.schema);
    const owner = await this.pool.query<{ pharmacy_id: string }>(`SELECT pharmacy_id FROM ${s}.pharmacy_directory WHERE ncpdp_id = $1`, [ncpdpId]);
    if (owner.rows[0]?.pharmacy_id !== (actor.pharmacyId ?? actor.id)) {
      throw new RuleViolation('PHARMACY.NOT_FOUND', 'No such pharmacy among yours', { field: 'ncpdpId' }, 'not-found');
    }
    const { rows } = await this.pool.query<{ global_position: string; prescription_id: string; message_id: string; message: string; script_version: string; sent_at: Date; xml: string }>(
      `SELECT global_position, prescription_id, message_id, message, script_version, sent_at, xml FROM ${s}.pharmacy_script_outbox
        WHERE ncpdp_id = $1 AND global_position > $2 ORDER BY global_position LIMIT $3`,
      [ncpdpId, after, limit],
    );
    const messages = rows.map((r) => ({
      position: Number(r.global_position),
      messageId: r.message_id,
      message: r.message,
      scriptVersion: r.script_version,
      prescriptionId: r.prescription_id,
      sentAt: r.sent_at.toISOString(),
      contentType: 'application/xml',
      xml: r.xml,
    }));
    return { ncpdpId, messages, next: messages.at(-1)?.position ?? after };
  }
}
