import {
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
} from 'jose';
import { ProblemException } from '../errors/problem';
import { type AuthenticatedActor, HUMAN_ROLES, type HumanRole } from './actor';
import { VerifiedTokenCache } from './verified-token-cache';

export interface JwtAuthOptions {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  /** The identity provider's JWKS URL, or the key set itself (embedded profile, tests). */
  readonly jwks: string | URL | JSONWebKeySet;
  readonly algorithms?: readonly string[];
  /** Allowed clock skew between us and the issuer. */
  readonly clockToleranceSeconds?: number;
  /**
   * How many verified tokens to remember until they expire (default 10,000; 0 verifies every
   * request). A token stays accepted until its `exp` even if its key leaves the JWKS meanwhile.
   */
  readonly verifiedTokenCacheSize?: number;
}

const DEFAULT_VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/** Bearer token -> `AuthenticatedActor`, or a 401/503 `ProblemException`. */
export class JwtVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly verified: VerifiedTokenCache<AuthenticatedActor>;

  /** `now` (milliseconds) is for tests: it is the clock of both the cache and the `exp` check. */
  constructor(
    private readonly options: JwtAuthOptions,
    private readonly now: () => number = Date.now,
  ) {
    const { jwks } = options;
    this.keys =
      typeof jwks === 'string' || jwks instanceof URL ? createRemoteJWKSet(new URL(jwks)) : createLocalJWKSet(jwks);
    this.verified = new VerifiedTokenCache(options.verifiedTokenCacheSize ?? DEFAULT_VERIFIED_TOKEN_CACHE_SIZE, now);
  }

  async verify(authorization: string | undefined): Promise<AuthenticatedActor> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) {
      // RFC 6750 §3.1: no error code when the request carried no credentials.
      throw new ProblemException(401, 'AUTH.TOKEN_MISSING', 'A bearer token is required.', {
        'WWW-Authenticate': 'Bearer realm="carebridge"',
      });
    }
    const known = this.verified.get(token);
    // A copy: a handler that changes its actor must not change the next request's.
    if (known !== undefined) return { ...known, scopes: [...known.scopes] };
    const payload = await this.verifySignatureAndClaims(token);
    const actor = actorFrom(payload);
    // Until `exp` itself, not `exp` plus the clock tolerance jose allows.
    this.verified.set(token, actor, (payload.exp as number) * 1_000);
    return { ...actor, scopes: [...actor.scopes] };
  }

  /** The expensive part the cache saves: signature (ES256/RS256) and claims. */
  protected async verifySignatureAndClaims(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        currentDate: new Date(this.now()),
        issuer: this.options.issuer,
        audience: typeof this.options.audience === 'string' ? this.options.audience : [...this.options.audience],
        algorithms: [...(this.options.algorithms ?? ['ES256', 'RS256'])],
        clockTolerance: this.options.clockToleranceSeconds ?? 5,
        requiredClaims: ['sub', 'exp'],
      });
      return payload;
    } catch (error) {
      throw verificationProblem(error);
    }
  }
}

function verificationProblem(error: unknown): ProblemException {
  const keySetUnusable =
    error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError);
  if (keySetUnusable) {
    // The key set could not be fetched or read: our outage, not the caller's fault.
    return new ProblemException(503, 'AUTH.KEYS_UNAVAILABLE', 'Tokens cannot be verified right now.');
  }
  if (error instanceof errors.JWTExpired) return invalidToken('AUTH.TOKEN_EXPIRED', 'The token has expired.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return invalidToken('AUTH.TOKEN_INVALID', `The token's ${error.claim} claim is not accepted.`);
  }
  return invalidToken('AUTH.TOKEN_INVALID', 'The token could not be verified.');
}

function invalidToken(code: string, detail: string): ProblemException {
  return new ProblemException(401, code, detail, {
    'WWW-Authenticate': `Bearer realm="carebridge", error="invalid_token", error_description="${detail}"`,
  });
}

function actorFrom(payload: JWTPayload): AuthenticatedActor {
  const role = payload.role;
  if (!HUMAN_ROLES.includes(role as HumanRole)) {
    throw invalidToken('AUTH.TOKEN_INVALID', 'The token carries no recognised role.');
  }
  return {
    id: payload.sub as string,
    role: role as HumanRole,
    ...optionalClaim('patientId', payload.patient_id),
    ...optionalClaim('providerId', payload.provider_id),
    ...optionalClaim('pharmacyId', payload.pharmacy_id),
    scopes: scopesOf(payload),
  };
}

function optionalClaim<K extends string>(name: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [name]: value } as Record<K, string>) : {};
}

// RFC 9068 `scope` is space-separated; some providers (Azure AD, Okta) send an `scp` array.
function scopesOf(payload: JWTPayload): string[] {
  if (typeof payload.scope === 'string') return payload.scope.split(' ').filter(Boolean);
  if (Array.isArray(payload.scp)) return payload.scp.filter((s): s is string => typeof s === 'string');
  return [];
}
