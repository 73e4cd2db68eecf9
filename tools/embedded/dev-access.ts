/**
 * Development access shared by both `npm start` profiles: one development key pair signs tokens
 * for every role (no identity provider runs locally), `GET /dev/token` hands them out, the seed
 * gets its tokens from it, and the tokens file tells scripts (the tour, curl) where the platform
 * is. Never part of a deployed service: production verifies against the identity provider's JWKS.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import { DevTokenIssuer, HUMAN_ROLES, type HumanRole } from '@carebridge/platform';
import { developmentTokenKey } from './dev-keys';
import { SEED, type SeedTokens } from './seed';

export type DevIds = { patientId?: string; providerId?: string; pharmacyId?: string };
export type Mint = (role: HumanRole, sub: string, ids?: DevIds) => Promise<string>;

export interface DevAccess {
  readonly issuer: DevTokenIssuer;
  readonly mint: Mint;
  /** What each service needs to trust the development tokens. */
  readonly serviceEnv: { JWT_ISSUER: string; JWT_AUDIENCE: string; JWKS_JSON: string };
}

/** `keyDir`: where the token-signing key is kept, so tokens minted before a restart stay valid. */
export async function createDevAccess(keyDir?: string): Promise<DevAccess> {
  const issuer = await DevTokenIssuer.create({
    issuer: 'https://dev.carebridge.local/',
    audience: 'carebridge-api',
    ...(keyDir !== undefined && { privateKeyPem: developmentTokenKey(keyDir) }),
  });
  const mint: Mint = (role, sub, ids = {}) => issuer.mint({ sub, role, ...ids }, { expiresIn: '12h' });
  return { issuer, mint, serviceEnv: { JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: issuer.audience, JWKS_JSON: JSON.stringify(issuer.jwks()) } };
}

/** The ids a token of `role` for `sub` carries by default (a patient is their own patient...). */
function idsFor(role: HumanRole, sub: string): DevIds {
  return {
    ...(role === 'patient' && { patientId: sub }),
    ...(role === 'provider' && { providerId: sub }),
    ...(role === 'pharmacy' && { pharmacyId: sub }),
  };
}

/** `GET /dev/token?role=patient&sub=<id>[&patientId=..]`: a 12-hour development token. */
export function mountDevTokenRoute(app: Express, mint: Mint): void {
  app.get('/dev/token', async (req, res) => {
    const role = String(req.query.role ?? '') as HumanRole;
    if (!HUMAN_ROLES.includes(role)) {
      res.status(400).type('application/problem+json').json({
        title: 'Bad request',
        status: 400,
        errors: [{ field: 'role', message: `must be one of ${HUMAN_ROLES.join(', ')}` }],
      });
      return;
    }
    const sub = typeof req.query.sub === 'string' && req.query.sub ? req.query.sub : SEED.defaultSubject[role];
    const pick = (k: string) => (typeof req.query[k] === 'string' ? (req.query[k] as string) : undefined);
    const defaults = idsFor(role, sub);
    const ids: DevIds = {
      ...(defaults.patientId !== undefined && { patientId: pick('patientId') ?? defaults.patientId }),
      ...(defaults.providerId !== undefined && { providerId: pick('providerId') ?? defaults.providerId }),
      ...(defaults.pharmacyId !== undefined && { pharmacyId: pick('pharmacyId') ?? defaults.pharmacyId }),
    };
    res.json({ role, sub, ...ids, token: await mint(role, sub, ids), expiresIn: '12h' });
  });
}

/** The tokens the seed calls the services with. */
export function seedTokens(mint: Mint): SeedTokens {
  return {
    provider: (id) => mint('provider', id, { providerId: id }),
    patient: (id) => mint('patient', id, { patientId: id }),
    pharmacy: (id) => mint('pharmacy', id, { pharmacyId: id }),
    ops: () => mint('ops', SEED.defaultSubject.ops),
    payer: () => mint('payer', SEED.defaultSubject.payer),
  };
}

/**
 * Writes the tokens file (`tmp/dev-tokens.json` unless CAREBRIDGE_TOKENS_FILE): the platform's
 * URL, its database (the tour's audit step, `npm run audit:verify`) and a token per seeded role.
 */
export async function writeTokensFile(root: string, mint: Mint, platform: { url: string; databaseUrl: string }): Promise<string> {
  const file = path.resolve(process.env.CAREBRIDGE_TOKENS_FILE ?? path.join(root, 'tmp', 'dev-tokens.json'));
  mkdirSync(path.dirname(file), { recursive: true });
  const tokens: Record<string, string> = {};
  for (const role of HUMAN_ROLES) {
    const sub = SEED.defaultSubject[role];
    tokens[role] = await mint(role, sub, idsFor(role, sub));
  }
  // Owner-only: it holds bearer tokens and the database password of this run.
  writeFileSync(file, JSON.stringify({ url: platform.url, databaseUrl: platform.databaseUrl, ids: SEED.defaultSubject, tokens }, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
