import { createHmac, randomBytes } from 'node:crypto';

/** RFC 4226 HOTP with HMAC-SHA-1, 6 digits (section 5.3, dynamic truncation). */
export function hotp(secret: Buffer, counter: bigint, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 time step: X = 30 s, T0 = 0. */
export const STEP_SECONDS = 30;
export const timeStep = (at: Date): bigint => BigInt(Math.floor(at.getTime() / 1000 / STEP_SECONDS));

export function totp(secret: Buffer, at: Date): string {
  return hotp(secret, timeStep(at));
}

/**
 * The time step whose code matches, looking one step either side for clock drift
 * (RFC 6238 section 5.2 recommends at most one step back), or undefined.
 */
export function matchingStep(secret: Buffer, code: string, at: Date): bigint | undefined {
  const now = timeStep(at);
  for (const step of [now, now - 1n, now + 1n]) {
    if (timingSafeEqualString(hotp(secret, step), code)) return step;
  }
  return undefined;
}

function timingSafeEqualString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export const newSecret = (): Buffer => randomBytes(20);

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding, as authenticator apps read it in `otpauth://` URIs. */
export function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Inverse of base32 (authenticator apps and tests read the enrolment secret this way). */
export function fromBase32(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
