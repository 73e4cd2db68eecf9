// `npm test`'s test infrastructure for all of its steps (integration tests and the distributed tour):
//
//   ./tools/ts-node.sh tools/test-infra.ts up tmp/test-infra.env
//
// (A positional path: Node 20 reads an `--env-file` flag even after the script name.)
//
// Chooses the provider as the jest global setup does (CAREBRIDGE_TEST_INFRA=containers|local|auto),
// starts it, and writes the variables the tests read to the env file. The local provider's servers
// keep running on their own, so it then exits; the containers provider's containers live as long as
// this process: it stays until SIGTERM or SIGINT, or until the script that started it is gone, and
// then stops them.
import { writeFileSync } from 'node:fs';
import { startTestInfra } from '../libs/testing/src/infra/start';
import { testEnvironment } from '../libs/testing/src/infra/provider';

const log = (line: string) => process.stderr.write(`[test-infra] ${line}\n`);

async function main(): Promise<void> {
  const [command, envFile] = process.argv.slice(2);
  if (command !== 'up' || !envFile) {
    process.stderr.write('usage: tools/test-infra.ts up <env file to write>\n');
    process.exit(64);
  }
  const started = await startTestInfra(process.env, log);
  const variables = {
    ...testEnvironment(started.provider, started.endpoints),
    // For a platform the run starts itself (the distributed tour): the application database.
    CAREBRIDGE_TEST_APP_DATABASE_URL: started.endpoints.databaseUrl,
  };
  writeFileSync(envFile, Object.entries(variables).map(([k, v]) => `${k}=${v}\n`).join(''));
  if (started.provider === 'local') return;

  const parent = process.ppid;
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log(`stopping the containers (${why})`);
    await started.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // Without Ryuk nothing would remove the containers of a run whose script was killed.
  setInterval(() => {
    if (process.ppid !== parent) void stop('the script that started it is gone');
  }, 1_000);
  log(`containers up; they stop when this process (pid ${process.pid}) gets SIGTERM`);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
