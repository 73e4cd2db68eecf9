import type { Pool } from 'pg';
import { quoteIdent } from '@carebridge/event-store';
import { OtpSecretBox } from './otp-secret-box.crypto';
import { base32, matchingStep, newSecret } from './totp.crypto';

export type CodeCheck =
  | { readonly ok: true; readonly enrolledAt: string }
  | { readonly ok: false; readonly reason: 'not-enrolled' | 'wrong-code' | 'code-reused' | 'secret-unreadable' };

/** Row format of prescriber_otp.secret: `plain` rows predate encryption (migration 2). */
const SEALED = 'aes-256-gcm';
const PLAIN = 'plain';

/**
 * The prescribers' second factor for controlled-substance signing (21 CFR 1311.115: one factor
 * the prescriber knows or is, one they have; here the bearer credential and a TOTP device).
 * Secrets are sealed with AES-256-GCM (OtpSecretBox); rows written before encryption stay
 * readable and are sealed by sealPlaintextSecrets() at boot, or on their next successful use.
 */
export class OneTimeCodes {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly box: OtpSecretBox = new OtpSecretBox(),
    private readonly issuer = 'Carebridge',
  ) {
    this.table = `${quoteIdent(schema)}.prescriber_otp`;
  }

  /** Enrols (or re-enrols) a prescriber; the secret is shown once, as an otpauth URI. */
  async enrol(providerId: string): Promise<{ secret: string; otpauthUri: string }> {
    const secret = newSecret();
    await this.pool.query(
      `INSERT INTO ${this.table} (provider_id, secret, secret_format, key_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (provider_id) DO UPDATE SET secret = EXCLUDED.secret, secret_format = EXCLUDED.secret_format,
         key_id = EXCLUDED.key_id, last_step = 0, enrolled_at = now()`,
      [providerId, this.box.seal(secret, providerId), SEALED, this.box.keyId],
    );
    const encoded = base32(secret);
    const label = encodeURIComponent(`${this.issuer}:${providerId}`);
    return { secret: encoded, otpauthUri: `otpauth://totp/${label}?secret=${encoded}&issuer=${encodeURIComponent(this.issuer)}&algorithm=SHA1&digits=6&period=30` };
  }

  /** Verifies a code and consumes its time step, so the same code cannot sign twice. */
  async verify(providerId: string, code: string, at: Date): Promise<CodeCheck> {
    const { rows } = await this.pool.query<{ secret: Buffer; secret_format: string; last_step: string; enrolled_at: Date }>(
      `SELECT secret, secret_format, last_step, enrolled_at FROM ${this.table} WHERE provider_id = $1`,
      [providerId],
    );
    const row = rows[0];
    if (!row) return { ok: false, reason: 'not-enrolled' };
    const secret = row.secret_format === PLAIN ? row.secret : this.box.open(row.secret, providerId);
    // Sealed under another key (rotated, or a development key from an earlier run): re-enrol.
    if (!secret) return { ok: false, reason: 'secret-unreadable' };
    const step = matchingStep(secret, code, at);
    if (step === undefined) return { ok: false, reason: 'wrong-code' };
    const consumed = await this.pool.query(`UPDATE ${this.table} SET last_step = $2 WHERE provider_id = $1 AND last_step < $2`, [providerId, step.toString()]);
    if (row.secret_format === PLAIN) await this.sealRow(providerId, row.secret);
    return consumed.rowCount === 1 ? { ok: true, enrolledAt: row.enrolled_at.toISOString() } : { ok: false, reason: 'code-reused' };
  }

  /** Seals every secret still stored in clear (rows from before encryption); returns how many. */
  async sealPlaintextSecrets(): Promise<number> {
    const { rows } = await this.pool.query<{ provider_id: string; secret: Buffer }>(`SELECT provider_id, secret FROM ${this.table} WHERE secret_format = $1`, [PLAIN]);
    let sealed = 0;
    for (const row of rows) sealed += await this.sealRow(row.provider_id, row.secret);
    return sealed;
  }

  /** One statement per row, guarded on the plaintext still being there (a concurrent re-enrolment wins). */
  private async sealRow(providerId: string, plain: Buffer): Promise<number> {
    const result = await this.pool.query(
      `UPDATE ${this.table} SET secret = $2, secret_format = $3, key_id = $4 WHERE provider_id = $1 AND secret_format = $5 AND secret = $6`,
      [providerId, this.box.seal(plain, providerId), SEALED, this.box.keyId, PLAIN, plain],
    );
    return result.rowCount ?? 0;
  }
}
