import { ConfigError } from '../config/load-config';
import { devTokensAllowed } from './dev-token-policy';

describe('devTokensAllowed (issue 14: no development tokens in production)', () => {
  it('allows them only when asked for with CAREBRIDGE_DEV_TOKENS=true', () => {
    expect(devTokensAllowed({ CAREBRIDGE_DEV_TOKENS: 'true' })).toBe(true);
    expect(devTokensAllowed({ CAREBRIDGE_DEV_TOKENS: 'true', NODE_ENV: 'development' })).toBe(true);
  });

  it('keeps them off when CAREBRIDGE_DEV_TOKENS is unset or empty, even on a developer machine (finding 3)', () => {
    expect(devTokensAllowed({})).toBe(false);
    expect(devTokensAllowed({ NODE_ENV: 'development' })).toBe(false);
    expect(devTokensAllowed({ CAREBRIDGE_DEV_TOKENS: '' })).toBe(false);
  });

  it('keeps them off in production and with an identity provider unless asked for, and when switched off', () => {
    expect(devTokensAllowed({ NODE_ENV: 'production' })).toBe(false);
    expect(devTokensAllowed({ JWKS_URL: 'https://idp.example/jwks' })).toBe(false);
    expect(devTokensAllowed({ CAREBRIDGE_DEV_TOKENS: 'false' })).toBe(false);
  });

  it('refuses to boot with NODE_ENV=production or an identity provider, naming both variables', () => {
    expect(() => devTokensAllowed({ CAREBRIDGE_DEV_TOKENS: 'true', NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => devTokensAllowed({ CAREBRIDGE_DEV_TOKENS: 'true', NODE_ENV: 'production' })).toThrow(/CAREBRIDGE_DEV_TOKENS: .*NODE_ENV=production/);
    expect(() => devTokensAllowed({ CAREBRIDGE_DEV_TOKENS: 'true', JWKS_URL: 'https://idp.example/jwks' })).toThrow(/CAREBRIDGE_DEV_TOKENS: .*JWKS_URL/);
    expect(() => devTokensAllowed({ CAREBRIDGE_DEV_TOKENS: 'yes' })).toThrow(/must be true or false/);
  });
});
