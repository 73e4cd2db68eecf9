// Integration project's global setup: PostgreSQL, Kafka and Redis for this run, from the provider
// CAREBRIDGE_TEST_INFRA chooses (libs/testing/src/infra/provider.ts). The variables it sets are
// inherited by the test workers, which start after it. When `npm test` already started the
// infrastructure for all its steps (CAREBRIDGE_TEST_INFRA_READY), it is used as it is.
import { startTestInfra } from '../../libs/testing/src/infra/start';
import { testEnvironment } from '../../libs/testing/src/infra/provider';
import type { StartedInfra } from '../../libs/testing/src/infra/provider';

declare global {
  // Read by global-teardown.ts: jest runs both in the same process.
  var __carebridgeTestInfra: StartedInfra | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.CAREBRIDGE_TEST_INFRA_READY) return;
  const log = (line: string) => process.stderr.write(`[test-infra] ${line}\n`);
  process.stderr.write('\n');
  const started = await startTestInfra(process.env, log);
  globalThis.__carebridgeTestInfra = started;
  Object.assign(process.env, testEnvironment(started.provider, started.endpoints));
}
