import { randomBytes } from 'node:crypto';
import { OtpSecretBox } from './otp-secret-box.crypto';

describe('TOTP secrets at rest (AES-256-GCM)', () => {
  const key = randomBytes(32).toString('base64');
  const box = new OtpSecretBox(key);
  const secret = randomBytes(20);

  it('opens what it sealed, and the sealed value is not the secret', () => {
    const sealed = box.seal(secret, 'prescriber-1');
    expect(sealed.includes(secret)).toBe(false);
    expect(sealed.length).toBe(12 + 16 + secret.length);
    expect(box.open(sealed, 'prescriber-1')).toEqual(secret);
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal(secret, 'prescriber-1').equals(box.seal(secret, 'prescriber-1'))).toBe(false);
  });

  it("does not open another prescriber's row (the provider id is authenticated data)", () => {
    expect(box.open(box.seal(secret, 'prescriber-1'), 'prescriber-2')).toBeUndefined();
  });

  it('does not open under another key, and the key id tells the keys apart', () => {
    const other = new OtpSecretBox();
    expect(other.open(box.seal(secret, 'prescriber-1'), 'prescriber-1')).toBeUndefined();
    expect(other.keyId).not.toBe(box.keyId);
    expect(new OtpSecretBox(key).keyId).toBe(box.keyId);
  });

  it('does not open a tampered value', () => {
    const sealed = box.seal(secret, 'prescriber-1');
    sealed[sealed.length - 1] ^= 1;
    expect(box.open(sealed, 'prescriber-1')).toBeUndefined();
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new OtpSecretBox(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
