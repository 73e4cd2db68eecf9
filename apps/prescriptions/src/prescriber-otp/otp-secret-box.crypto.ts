import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for the prescribers' TOTP secrets at rest. Stored value: IV (12 bytes) || tag
 * (16 bytes) || ciphertext; the provider id is the additional authenticated data, so a sealed
 * secret copied to another prescriber's row does not open. The key comes from
 * PRESCRIPTIONS_OTP_KEY (32 bytes, base64); unset, a key is generated at start (development
 * only: secrets enrolled under it cannot be read after a restart and prescribers re-enrol).
 */
export class OtpSecretBox {
  /** First 16 hex digits of SHA-256 of the key: tells which key sealed a row, never the key. */
  readonly keyId: string;
  readonly generated: boolean;
  private readonly key: Buffer;

  constructor(keyBase64?: string) {
    if (keyBase64) {
      this.key = Buffer.from(keyBase64, 'base64');
      if (this.key.length !== 32) throw new Error('PRESCRIPTIONS_OTP_KEY must be 32 bytes, base64-encoded');
      this.generated = false;
    } else {
      this.key = randomBytes(32);
      this.generated = true;
    }
    this.keyId = createHash('sha256').update(this.key).digest('hex').slice(0, 16);
  }

  seal(secret: Buffer, providerId: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(providerId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
  }

  /** The secret, or undefined when the value does not authenticate under this key and provider. */
  open(sealed: Buffer, providerId: string): Buffer | undefined {
    if (sealed.length < 29) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    decipher.setAAD(Buffer.from(providerId, 'utf8'));
    decipher.setAuthTag(sealed.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    } catch {
      return undefined;
    }
  }
}
