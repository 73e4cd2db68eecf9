import { spawn } from 'node:child_process';
import { cp, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testInfrastructure } from '@carebridge/testing';
import { RULE_DATA_DIR } from '../src/rules/rule-set.loader';

const root = path.join(__dirname, '..', '..', '..');

function boot(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, '..', 'src', 'main.ts')], {
      cwd: root,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: 'tsconfig.json',
        DATABASE_URL: testInfrastructure.databaseUrl,
        KAFKA_BROKERS: testInfrastructure.kafkaBrokers.join(','),
        JWT_ISSUER: 'https://dev.carebridge.local/',
        JWT_AUDIENCE: 'carebridge-api',
        JWKS_JSON: '{"keys":[]}',
        PORT: '39991',
        LOG_LEVEL: 'silent',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('boot with a broken rules file', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rules-'));
    await copyFile(path.join(RULE_DATA_DIR, 'state-rule-sets.manifest.json'), path.join(dir, 'state-rule-sets.manifest.json'));
    await cp(path.join(RULE_DATA_DIR, 'states'), path.join(dir, 'states'), { recursive: true });
    const medicare = await readFile(path.join(RULE_DATA_DIR, 'medicare.2026-12.json'), 'utf8');
    // The mental-health in-person rule now starts a day late: 2028-01-01 is covered by no version.
    const broken = medicare.replace(
      /("id": "medicare.mental-health-in-person.from-2028",[\s\S]*?"effectiveFrom": )"2028-01-01"/,
      '$1"2028-01-02"',
    );
    expect(broken).not.toBe(medicare);
    await writeFile(path.join(dir, 'medicare.2026-12.json'), broken);
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stops with exit code 1 naming the file, the line and the gap', async () => {
    const { code, stderr } = await boot({ RULES_DIR: dir });
    expect(code).toBe(1);
    const line = (await readFile(path.join(dir, 'medicare.2026-12.json'), 'utf8'))
      .split('\n')
      .findIndex((l) => l.includes('"id": "medicare.mental-health-in-person.from-2028"')) + 1;
    expect(stderr).toContain(`medicare.2026-12.json:${line}: medicare.mental-health-in-person: gap in effective dates`);
  });

  it('stops with exit code 78 when the configuration is invalid', async () => {
    const { code, stderr } = await boot({ KAFKA_BROKERS: 'not a broker list' });
    expect(code).toBe(78);
    expect(stderr).toContain('KAFKA_BROKERS');
  });
});
