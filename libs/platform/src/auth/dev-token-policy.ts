import { ConfigError, type Env } from '../config/load-config';

/**
 * Whether development tokens (`GET /dev/token`, the seed's tokens) may exist: only when
 * explicitly enabled with `CAREBRIDGE_DEV_TOKENS=true` (the local scripts, `npm start`, the tours
 * and the embedded test harness, set it). Unset, empty or `false`: off. Asked for together with
 * `NODE_ENV=production` or an identity provider (`JWKS_URL`, `JWKS_JSON`), boot is refused naming
 * both variables.
 */
export function devTokensAllowed(env: Env): boolean {
  const setting = env.CAREBRIDGE_DEV_TOKENS?.trim().toLowerCase();
  if (setting !== undefined && setting !== '' && setting !== 'true' && setting !== 'false') {
    throw new ConfigError([{ variable: 'CAREBRIDGE_DEV_TOKENS', message: 'must be true or false' }]);
  }
  const production = env.NODE_ENV === 'production';
  const identityProvider = ['JWKS_URL', 'JWKS_JSON'].find((name) => (env[name] ?? '') !== '');
  if (setting === 'true') {
    if (production) {
      throw new ConfigError([{ variable: 'CAREBRIDGE_DEV_TOKENS', message: 'development tokens are refused with NODE_ENV=production' }]);
    }
    if (identityProvider) {
      throw new ConfigError([{ variable: 'CAREBRIDGE_DEV_TOKENS', message: `development tokens are refused together with ${identityProvider} (an identity provider)` }]);
    }
    return true;
  }
  return false;
}
