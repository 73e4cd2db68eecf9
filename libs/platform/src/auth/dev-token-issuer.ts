import { randomUUID } from 'node:crypto';
import { type CryptoKey, type JSONWebKeySet, SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importPKCS8 } from 'jose';
import type { HumanRole } from './actor';
import type { JwtAuthOptions } from './jwt-verifier';

export interface DevTokenClaims {
  readonly sub: string;
  readonly role: HumanRole;
  readonly patientId?: string;
  readonly providerId?: string;
  readonly pharmacyId?: string;
  readonly scopes?: readonly string[];
}

export interface MintOptions {
  /** jose time span: `15m`, `2h`, `1h ago` (already expired). Default `15m`. */
  readonly expiresIn?: string;
  readonly audience?: string;
  readonly issuer?: string;
}

/**
 * An in-memory identity provider for the embedded profile and tests: an ES256 key pair, made
 * at start-up (tokens die with the process) or kept by the caller, its JWKS, and tokens on demand.
 */
export class DevTokenIssuer {
  private constructor(
    readonly issuer: string,
    readonly audience: string,
    private readonly kid: string,
    private readonly privateKey: CryptoKey,
    private readonly keySet: JSONWebKeySet,
  ) {}

  static async create(
    options: {
      issuer?: string;
      audience?: string;
      /**
       * An ES256 private key (PKCS#8 PEM) kept between starts, so development tokens outlive a
       * restart (`npm start` keeps it in the data folder). Without it, a new key pair per start.
       */
      privateKeyPem?: string;
    } = {},
  ): Promise<DevTokenIssuer> {
    const { privateKey, publicJwk, kid } = options.privateKeyPem === undefined ? await freshKey() : await keptKey(options.privateKeyPem);
    const jwk = { ...publicJwk, kid, alg: 'ES256', use: 'sig' };
    return new DevTokenIssuer(
      options.issuer ?? 'https://dev.carebridge.local/',
      options.audience ?? 'carebridge-api',
      kid,
      privateKey,
      { keys: [jwk] },
    );
  }

  jwks(): JSONWebKeySet {
    return this.keySet;
  }

  /** Options for `AuthModule.register` that accept this issuer's tokens. */
  authOptions(): JwtAuthOptions {
    return { issuer: this.issuer, audience: this.audience, jwks: this.keySet };
  }

  mint(claims: DevTokenClaims, options: MintOptions = {}): Promise<string> {
    return new SignJWT({
      role: claims.role,
      patient_id: claims.patientId,
      provider_id: claims.providerId,
      pharmacy_id: claims.pharmacyId,
      scope: claims.scopes?.join(' '),
    })
      .setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? this.audience)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '15m')
      .sign(this.privateKey);
  }
}

async function freshKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { privateKey, publicJwk: await exportJWK(publicKey), kid: `dev-${randomUUID()}` };
}

async function keptKey(pem: string) {
  const privateKey = await importPKCS8(pem, 'ES256', { extractable: true });
  const { d: _private, ...publicJwk } = await exportJWK(privateKey);
  // The same key gives the same kid at every start.
  return { privateKey, publicJwk, kid: `dev-${(await calculateJwkThumbprint(publicJwk)).slice(0, 16)}` };
}
