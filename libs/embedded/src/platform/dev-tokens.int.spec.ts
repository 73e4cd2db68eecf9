import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../../..');

/** `npm start` with the given environment, until it exits (it must refuse before starting anything). */
function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['-r', '@swc-node/register', path.join(repoRoot, 'tools/embedded/main.ts'), '--port', '0', '--data-dir', mkdtempSync(path.join(tmpdir(), 'cb-devtokens-'))], {
    cwd: repoRoot,
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.json', CAREBRIDGE_DEV_TOKENS: '', NODE_ENV: '', JWKS_URL: '', JWKS_JSON: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** Issue 14: /dev/token minted an ops token with NODE_ENV=production. */
describe('development tokens and production', () => {
  it('refuses to boot with CAREBRIDGE_DEV_TOKENS=true and NODE_ENV=production, naming both', () => {
    const run = start({ NODE_ENV: 'production', CAREBRIDGE_DEV_TOKENS: 'true' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/CAREBRIDGE_DEV_TOKENS: development tokens are refused with NODE_ENV=production/);
  });

  it('refuses to boot with CAREBRIDGE_DEV_TOKENS=true and an identity provider, naming both', () => {
    const run = start({ JWKS_URL: 'https://idp.example/.well-known/jwks.json', CAREBRIDGE_DEV_TOKENS: 'true' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/CAREBRIDGE_DEV_TOKENS: .*JWKS_URL/);
  });

  it('mints no development tokens in production: without an identity provider it does not start', () => {
    const run = start({ NODE_ENV: 'production' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/development tokens are off/);
  });

  it('mints no development tokens unless CAREBRIDGE_DEV_TOKENS=true: unset, without an identity provider it does not start', () => {
    const run = start({});
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/development tokens are off.*CAREBRIDGE_DEV_TOKENS=true/);
  });
});
