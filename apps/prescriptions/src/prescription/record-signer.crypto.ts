import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { RecordSignature } from './prescription.events';
import { SIGNED_CONTENT_FORMAT } from './record-signature.rules';

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of an EC public key: the key id of our signatures. */
export function jwkThumbprint(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' }) as JsonWebKey;
  const members = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(members).digest('base64url');
}

export type SignatureCheck =
  | { readonly valid: true; readonly digest: string }
  | { readonly valid: false; readonly digest: string; readonly reason: 'digest-mismatch' | 'unknown-key' | 'bad-signature' | 'unsupported-algorithm' };

/**
 * The service's record-signing key (21 CFR 1311.120(b)): ECDSA P-256 with SHA-256 (ES256).
 * Production: PRESCRIPTIONS_SIGNING_KEY_PEM (PKCS#8 PEM); older public keys for verifying records
 * signed before a rotation in PRESCRIPTIONS_VERIFY_KEYS_PEM. Without a configured key a P-256
 * key is generated at start (development only: records signed with it cannot be verified after
 * a restart). The key lives in process memory, not in an HSM or a FIPS 140-2 validated module.
 */
export class RecordSigner {
  readonly keyId: string;
  readonly generated: boolean;
  private readonly privateKey: KeyObject;
  private readonly verificationKeys: ReadonlyMap<string, KeyObject>;

  constructor(options: { privateKeyPem?: string | undefined; verificationKeyPems?: readonly string[] } = {}) {
    if (options.privateKeyPem) {
      this.privateKey = createPrivateKey(options.privateKeyPem);
      this.generated = false;
    } else {
      this.privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      this.generated = true;
    }
    const details = this.privateKey.asymmetricKeyDetails;
    if (this.privateKey.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') {
      throw new Error('The prescription signing key must be an EC P-256 private key (PKCS#8 PEM)');
    }
    const publicKey = createPublicKey(this.privateKey);
    this.keyId = jwkThumbprint(publicKey);
    const keys = new Map<string, KeyObject>([[this.keyId, publicKey]]);
    for (const pem of options.verificationKeyPems ?? []) {
      const key = createPublicKey(pem);
      keys.set(jwkThumbprint(key), key);
    }
    this.verificationKeys = keys;
  }

  sign(content: string): RecordSignature {
    const bytes = Buffer.from(content, 'utf8');
    return {
      format: SIGNED_CONTENT_FORMAT,
      algorithm: 'ES256',
      keyId: this.keyId,
      digest: { algorithm: 'SHA-256', value: createHash('sha256').update(bytes).digest('hex') },
      signature: sign('sha256', bytes, { key: this.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url'),
    };
  }

  /** Recomputes the digest of `content` and checks it and the signature against the record. */
  verify(content: string, record: RecordSignature): SignatureCheck {
    return checkSignature(content, record, (keyId) => this.verificationKeys.get(keyId));
  }

  /** The public keys as a JWKS (RFC 7517), for anyone verifying outside the service. */
  jwks(): { keys: JsonWebKey[] } {
    return {
      keys: [...this.verificationKeys].map(([kid, key]) => ({ ...(key.export({ format: 'jwk' }) as JsonWebKey), kid, alg: 'ES256', use: 'sig' })),
    };
  }
}

function checkSignature(content: string, record: RecordSignature, keyOf: (keyId: string) => KeyObject | undefined): SignatureCheck {
  const bytes = Buffer.from(content, 'utf8');
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (record.algorithm !== 'ES256' || record.digest.algorithm !== 'SHA-256') return { valid: false, digest, reason: 'unsupported-algorithm' };
  if (digest !== record.digest.value) return { valid: false, digest, reason: 'digest-mismatch' };
  const key = keyOf(record.keyId);
  if (!key) return { valid: false, digest, reason: 'unknown-key' };
  const ok = verify('sha256', bytes, { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(record.signature, 'base64url'));
  return ok ? { valid: true, digest } : { valid: false, digest, reason: 'bad-signature' };
}

/**
 * What a pharmacy (or an auditor) runs on its own, with nothing of ours but the published keys:
 * `signedContent` and `record` from `GET /v1/prescriptions/{id}/signature`, `jwks` from
 * `GET /v1/prescription-signing-keys`. Small enough to copy (node:crypto only).
 */
export function verifyWithPublishedKeys(signedContent: string, record: RecordSignature, jwks: { readonly keys: readonly JsonWebKey[] }): SignatureCheck {
  return checkSignature(signedContent, record, (keyId) => {
    const jwk = jwks.keys.find((k) => (k as { kid?: string }).kid === keyId);
    if (!jwk || jwk.kty !== 'EC' || jwk.crv !== 'P-256') return undefined;
    const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
    // The key id is the key's own thumbprint: a JWKS entry under another key's id is not trusted.
    return jwkThumbprint(key) === keyId ? key : undefined;
  });
}
