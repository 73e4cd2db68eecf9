/**
 * The embedded profile for bench:http, as `npm start` runs it (all five services in this process,
 * PGlite, the in-process bus) but trusting the bench's token issuer (JWT_* and JWKS_JSON from the
 * environment) and without the seed: the bench seeds through the API itself. Prints one JSON line
 * `{ url, connectionString }` when ready; SIGTERM stops it and exits normally, so `--cpu-prof`
 * writes its profile.
 */
import { startEmbeddedPlatform } from '@carebridge/embedded';
import { createLogger, type LogLevel } from '@carebridge/platform';
import { ALL_SERVICES } from '../../tools/embedded/services';

async function main(): Promise<void> {
  const logLevel = (process.env.LOG_LEVEL ?? 'warn') as LogLevel; // the embedded profile's default (tools/embedded/main.ts)
  const logger = createLogger({ service: 'carebridge', level: logLevel });
  const platform = await startEmbeddedPlatform({
    services: ALL_SERVICES,
    dataDir: process.env.BENCH_DATA_DIR!,
    port: Number(process.env.PORT),
    logger,
    env: { ...process.env, LOG_LEVEL: logLevel, TRACE_EXPORTER: 'none' },
  });
  process.stdout.write(`${JSON.stringify({ url: platform.url, connectionString: platform.connectionString })}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await platform.stop().catch((error) => logger.error({ err: error }, 'stop failed'));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error) => {
  process.stderr.write(`embedded-server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
