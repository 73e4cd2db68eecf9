import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Development keys that survive a restart, kept (mode 0600) under the data folder: the
 * prescriptions service's record-signing key and the AES key of its TOTP secrets. Without them
 * it would generate new ones at each start, and after `npm start` again every prescriber's
 * one-time-code enrolment would be unreadable and earlier signatures `unknown-key`.
 * Settings already in the environment win; production takes them from a Secret (deploy/README.md).
 */
/** The development token issuer's ES256 key (PKCS#8 PEM), kept under `dir` (dev only). */
export function developmentTokenKey(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'dev-token-signing-key.pem');
  if (!existsSync(file)) {
    writeFileSync(file, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), {
      mode: 0o600,
    });
  }
  return readFileSync(file, 'utf8');
}

export function developmentKeys(dir: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const kept = (name: string, make: () => string) => {
    const file = path.join(dir, name);
    if (!existsSync(file)) writeFileSync(file, make(), { mode: 0o600 });
    return readFileSync(file, 'utf8');
  };
  return {
    ...(env.PRESCRIPTIONS_SIGNING_KEY_PEM === undefined && {
      PRESCRIPTIONS_SIGNING_KEY_PEM: kept('prescriptions-signing-key.pem', () =>
        generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      ),
    }),
    ...(env.PRESCRIPTIONS_OTP_KEY === undefined && {
      PRESCRIPTIONS_OTP_KEY: kept('prescriptions-otp-key', () => randomBytes(32).toString('base64')),
    }),
  };
}
