/**
 * `npm start` (embedded profile, the default): the whole platform in this process on one port,
 * with nothing installed but Node: PGlite for PostgreSQL, the in-process bus for Kafka, BullMQ
 * on PostgreSQL for jobs. Data persists under --data-dir (default .data/embedded).
 *
 *   npm start                         embedded, port 3000
 *   npm start -- --port 4000 --data-dir /tmp/cb --no-seed
 *   npm start -- --profile distributed   one process per service on PostgreSQL, Kafka, Redis
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPlatform } from '@carebridge/embedded';
import { createLogger, DevTokenIssuer, HUMAN_ROLES, type HumanRole, type LogLevel } from '@carebridge/platform';
import { DemoPharmacy } from './demo-pharmacy';
import { seedClinic, SEED } from './seed';
import { ALL_SERVICES } from './services';

const root = path.join(__dirname, '..', '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(arg('port') ?? process.env.PORT ?? 3000);
  const dataDir = path.resolve(arg('data-dir') ?? process.env.CAREBRIDGE_DATA_DIR ?? path.join(root, '.data', 'embedded'));
  const logLevel = (process.env.LOG_LEVEL ?? 'warn') as LogLevel;
  const logger = createLogger({ service: 'carebridge', level: logLevel });
  const say = (message: string) => process.stdout.write(`[carebridge] ${message}\n`);

  // No identity provider in the embedded profile: one development key pair signs tokens for
  // every role (never used by the distributed profile, which verifies against JWKS_URL).
  const issuer = await DevTokenIssuer.create({ issuer: 'https://dev.carebridge.local/', audience: 'carebridge-api' });
  const mint = (role: HumanRole, sub: string, ids: { patientId?: string; providerId?: string; pharmacyId?: string } = {}) =>
    issuer.mint({ sub, role, ...ids }, { expiresIn: '12h' });

  say(`starting the embedded platform (data: ${path.relative(process.cwd(), dataDir) || '.'})`);
  const pharmacy = new DemoPharmacy(); // reads the pharmacy topic: GET /dev/pharmacies/:ncpdpId/messages
  const platform = await startEmbeddedPlatform({
    services: ALL_SERVICES,
    dataDir,
    port,
    logger,
    env: {
      ...process.env,
      LOG_LEVEL: logLevel,
      TRACE_EXPORTER: 'none',
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: issuer.audience,
      JWKS_JSON: JSON.stringify(issuer.jwks()),
      JWKS_URL: undefined,
    },
    onProgress: say,
    configureRoot(app) {
      pharmacy.mount(app);
      // Development tokens, embedded profile only: GET /dev/token?role=patient&sub=<id>[&patientId=..]
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
        const ids = {
          ...(role === 'patient' && { patientId: pick('patientId') ?? sub }),
          ...(role === 'provider' && { providerId: pick('providerId') ?? sub }),
          ...(role === 'pharmacy' && { pharmacyId: pick('pharmacyId') ?? sub }),
        };
        res.json({ role, sub, ...ids, token: await mint(role, sub, ids), expiresIn: '12h' });
      });
    },
  });
  // performance.now() counts from this process's start: module loading and compilation included.
  const readyMs = performance.now();
  await pharmacy.start(platform.kafka);

  if (!process.argv.includes('--no-seed')) {
    const tokens = {
      provider: (id: string) => mint('provider', id, { providerId: id }),
      patient: (id: string) => mint('patient', id, { patientId: id }),
      pharmacy: (id: string) => mint('pharmacy', id, { pharmacyId: id }),
      ops: () => mint('ops', SEED.defaultSubject.ops),
      payer: () => mint('payer', SEED.defaultSubject.payer),
    };
    const seeded = await seedClinic(platform.url, tokens, say);
    say(`seed data: ${seeded}`);
  }

  // CAREBRIDGE_TOKENS_FILE: tests write elsewhere so a developer's `npm start` keeps its file.
  const tokenFile = path.resolve(process.env.CAREBRIDGE_TOKENS_FILE ?? path.join(root, 'tmp', 'dev-tokens.json'));
  mkdirSync(path.dirname(tokenFile), { recursive: true });
  const devTokens: Record<string, string> = {};
  for (const role of HUMAN_ROLES) {
    const sub = SEED.defaultSubject[role];
    devTokens[role] = await mint(role, sub, {
      ...(role === 'patient' && { patientId: sub }),
      ...(role === 'provider' && { providerId: sub }),
      ...(role === 'pharmacy' && { pharmacyId: sub }),
    });
  }
  // The embedded database answers on loopback too (psql, `npm run audit:verify`, the tour's audit step).
  writeFileSync(
    tokenFile,
    JSON.stringify({ url: platform.url, databaseUrl: platform.connectionString, ids: SEED.defaultSubject, tokens: devTokens }, null, 2) + '\n',
  );

  const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  say(`ready in ${(readyMs / 1000).toFixed(1)} s, ${rssMb} MB resident — ${platform.url}`);
  for (const s of platform.services) {
    say(`  ${s.name.padEnd(20)} API docs ${platform.url}${s.prefix}/docs/   health ${platform.url}${s.prefix}/health/ready`);
  }
  say(`  platform health      ${platform.url}/health`);
  say(`  development tokens   curl '${platform.url}/dev/token?role=patient'   (roles: ${HUMAN_ROLES.join(', ')}; &sub=<id> for another person)`);
  say(`                       or tmp/dev-tokens.json (seeded patient, provider, pharmacy, payer, ops)`);
  say(`  database (PGlite)    ${platform.connectionString}   (psql works; DATABASE_URL=... npm run audit:verify)`);
  say(`  guided tour          npm run tour`);
  say('Ctrl-C stops (data stays in the data folder).');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping (in-flight work finishes, data is kept)`);
    // A stop that hangs (work stuck on the database) must not keep the process alive forever.
    setTimeout(() => {
      say('still stopping after 20 s: exiting without waiting for it');
      process.exit(1);
    }, 20_000).unref();
    await pharmacy.stop().catch(() => undefined);
    await platform.stop().catch((error) => logger.error({ err: error }, 'stop failed'));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`[carebridge] start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
