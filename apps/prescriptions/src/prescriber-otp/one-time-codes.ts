import type { Pool } from 'pg';
import { quoteIdent } from '@carebridge/event-store';
import { base32, matchingStep, newSecret } from './totp';

export type CodeCheck = { readonly ok: true } | { readonly ok: false; readonly reason: 'not-enrolled' | 'wrong-code' | 'code-reused' };

/**
 * The prescribers' second factor for controlled-substance signing (21 CFR 1311.115: one factor
 * the prescriber knows or is, one they have; here the bearer credential and a TOTP device).
 */
export class OneTimeCodes {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly issuer = 'Carebridge',
  ) {
    this.table = `${quoteIdent(schema)}.prescriber_otp`;
  }

  /** Enrols (or re-enrols) a prescriber; the secret is shown once, as an otpauth URI. */
  async enrol(providerId: string): Promise<{ secret: string; otpauthUri: string }> {
    const secret = newSecret();
    await this.pool.query(
      `INSERT INTO ${this.table} (provider_id, secret) VALUES ($1, $2)
       ON CONFLICT (provider_id) DO UPDATE SET secret = EXCLUDED.secret, last_step = 0, enrolled_at = now()`,
      [providerId, secret],
    );
    const encoded = base32(secret);
    const label = encodeURIComponent(`${this.issuer}:${providerId}`);
    return { secret: encoded, otpauthUri: `otpauth://totp/${label}?secret=${encoded}&issuer=${encodeURIComponent(this.issuer)}&algorithm=SHA1&digits=6&period=30` };
  }

  /** Verifies a code and consumes its time step, so the same code cannot sign twice. */
  async verify(providerId: string, code: string, at: Date): Promise<CodeCheck> {
    const { rows } = await this.pool.query<{ secret: Buffer; last_step: string }>(`SELECT secret, last_step FROM ${this.table} WHERE provider_id = $1`, [
      providerId,
    ]);
    const row = rows[0];
    if (!row) return { ok: false, reason: 'not-enrolled' };
    const step = matchingStep(row.secret, code, at);
    if (step === undefined) return { ok: false, reason: 'wrong-code' };
    const consumed = await this.pool.query(`UPDATE ${this.table} SET last_step = $2 WHERE provider_id = $1 AND last_step < $2`, [providerId, step.toString()]);
    return consumed.rowCount === 1 ? { ok: true } : { ok: false, reason: 'code-reused' };
  }
}
