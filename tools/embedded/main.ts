/**
 * `npm start` (embedded profile, the default): the whole platform in this process on one port,
 * with nothing installed but Node: PGlite for PostgreSQL, the in-process bus for Kafka, BullMQ
 * on PostgreSQL for jobs. Data persists under --data-dir (default .data/embedded).
 *
 *   npm start                         embedded, port 3000
 *   npm start -- --port 4000 --data-dir /tmp/cb --no-seed
 *   npm start -- --profile distributed   one process per service on PostgreSQL, Kafka, Redis
 */
import path from 'node:path';
import { startEmbeddedPlatform } from '@carebridge/embedded';
import { createLogger, devTokensAllowed, HUMAN_ROLES, type LogLevel } from '@carebridge/platform';
import { DemoPharmacy } from './demo-pharmacy';
import { createDevAccess, mountDevTokenRoute, seedTokens, writeTokensFile } from './dev-access';
import { seedClinic } from './seed';
import { ALL_SERVICES } from './services';
import { developmentKeys } from './dev-keys';

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

  // With CAREBRIDGE_DEV_TOKENS=true (tools/start.sh sets it on a developer machine), one
  // development key pair signs tokens for every role (the distributed profile does the same).
  // Otherwise, and never with NODE_ENV=production or an identity provider (JWKS_URL/JWKS_JSON):
  // the services verify the identity provider's tokens and there is no /dev/token, no seed and no
  // tokens file (issue 14).
  const access = devTokensAllowed(process.env) ? await createDevAccess(path.join(dataDir, 'dev-keys')) : undefined;
  if (!access && !process.env.JWKS_URL && !process.env.JWKS_JSON) {
    throw new Error('development tokens are off (they need CAREBRIDGE_DEV_TOKENS=true, never with NODE_ENV=production): set CAREBRIDGE_DEV_TOKENS=true on a developer machine, or JWKS_URL, JWT_ISSUER and JWT_AUDIENCE of an identity provider');
  }

  say(`starting the embedded platform (data: ${path.relative(process.cwd(), dataDir) || '.'})`);
  const pharmacy = new DemoPharmacy(); // reads the pharmacy topic: GET /dev/pharmacies/:ncpdpId/messages
  const platform = await startEmbeddedPlatform({
    services: ALL_SERVICES,
    dataDir,
    port,
    logger,
    env: {
      ...process.env,
      ...developmentKeys(path.join(dataDir, 'dev-keys')),
      LOG_LEVEL: logLevel,
      TRACE_EXPORTER: 'none',
      ...(access && { ...access.serviceEnv, JWKS_URL: undefined }),
    },
    onProgress: say,
    configureRoot(app) {
      pharmacy.mount(app);
      if (access) mountDevTokenRoute(app, access.mint);
    },
  });
  // performance.now() counts from this process's start: module loading and compilation included.
  const readyMs = performance.now();
  await pharmacy.start(platform.kafka);

  if (access && !process.argv.includes('--no-seed')) {
    const seeded = await seedClinic(platform.url, seedTokens(access.mint), say);
    say(`seed data: ${seeded}`);
  }
  // The embedded database answers on loopback too (psql, `npm run audit:verify`, the tour's audit step).
  if (access) await writeTokensFile(root, access.mint, { url: platform.url, databaseUrl: platform.connectionString });

  const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  say(`ready in ${(readyMs / 1000).toFixed(1)} s, ${rssMb} MB resident — ${platform.url}`);
  for (const s of platform.services) {
    say(`  ${s.name.padEnd(20)} API docs ${platform.url}${s.prefix}/docs/   health ${platform.url}${s.prefix}/health/ready`);
  }
  say(`  platform health      ${platform.url}/health`);
  if (access) {
    say(`  development tokens   curl '${platform.url}/dev/token?role=patient'   (roles: ${HUMAN_ROLES.join(', ')}; &sub=<id> for another person)`);
    say(`                       or tmp/dev-tokens.json (seeded patient, provider, pharmacy, payer, ops)`);
  }
  // The password is generated for this run; it is printed masked and kept in tmp/dev-tokens.json (owner-only).
  say(`  database (PGlite)    ${platform.connectionString.replace(/:[^:@/]+@/, ':***@')}   (password in tmp/dev-tokens.json; psql works; DATABASE_URL=... npm run audit:verify)`);
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
