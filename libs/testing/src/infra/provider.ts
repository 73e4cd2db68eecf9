/**
 * The test infrastructure behind one interface: PostgreSQL, Kafka and Redis for the integration
 * tests, from one of two providers chosen once per run by CAREBRIDGE_TEST_INFRA:
 *   containers  testcontainers (a container engine: Docker, Podman, Colima...)
 *   local       deploy/local/infra.sh (the machine's PostgreSQL and Redis, Kafka from Maven Central jars)
 *   auto        (default) containers when a container engine answers, local otherwise.
 * Either way the tests read the same variables (libs/testing/src/infrastructure.ts).
 */
export type ProviderName = 'containers' | 'local';
export type InfraSetting = ProviderName | 'auto';

export interface TestEndpoints {
  /** The application database (`carebridge`), for a platform started by the tests' scripts. */
  readonly databaseUrl: string;
  /** The tests' database (`carebridge_test`): a schema per test file lives here. */
  readonly testDatabaseUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly redisUrl: string;
}

export interface StartedInfra {
  readonly provider: ProviderName;
  readonly endpoints: TestEndpoints;
  /** Stops what this run started (containers); the local provider leaves the shared servers running. */
  stop(): Promise<void>;
}

export type Progress = (line: string) => void;

export interface TestInfraProvider {
  readonly name: ProviderName;
  start(progress: Progress): Promise<StartedInfra>;
}

/** What the engine probe saw: undefined when no engine answered. */
export interface EngineAnswer {
  readonly description: string;
}
export type EngineProbe = () => Promise<EngineAnswer | undefined>;

export class TestInfraError extends Error {
  constructor(
    readonly code: 'TEST_INFRA_SETTING_INVALID' | 'TEST_INFRA_NO_ENGINE' | 'TEST_INFRA_START_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'TestInfraError';
  }
}

export function parseInfraSetting(raw: string | undefined): InfraSetting {
  const value = (raw ?? '').trim() || 'auto';
  if (value === 'auto' || value === 'containers' || value === 'local') return value;
  throw new TestInfraError(
    'TEST_INFRA_SETTING_INVALID',
    `CAREBRIDGE_TEST_INFRA must be containers, local or auto, got '${raw}'`,
  );
}

export interface Choice {
  readonly provider: ProviderName;
  readonly reason: string;
}

/** Which provider a setting means, asking the engine probe only when the answer depends on it. */
export async function chooseProvider(setting: InfraSetting, probe: EngineProbe): Promise<Choice> {
  if (setting === 'local') return { provider: 'local', reason: 'CAREBRIDGE_TEST_INFRA=local' };
  const engine = await probe();
  if (setting === 'containers') {
    if (!engine) {
      throw new TestInfraError(
        'TEST_INFRA_NO_ENGINE',
        'CAREBRIDGE_TEST_INFRA=containers but no container engine answers: start Docker, or on Linux as root ' +
          '`eval "$(bash deploy/containers/engine.sh up)"`, or use CAREBRIDGE_TEST_INFRA=local',
      );
    }
    return { provider: 'containers', reason: `CAREBRIDGE_TEST_INFRA=containers; engine: ${engine.description}` };
  }
  return engine
    ? { provider: 'containers', reason: `auto: a container engine answers (${engine.description})` }
    : { provider: 'local', reason: 'auto: no container engine answers' };
}

/** The variables the tests read (infrastructure.ts), and the marker that the infrastructure is up. */
export function testEnvironment(provider: ProviderName, endpoints: TestEndpoints): Record<string, string> {
  return {
    TEST_DATABASE_URL: endpoints.testDatabaseUrl,
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    REDIS_URL: endpoints.redisUrl,
    CAREBRIDGE_TEST_INFRA_READY: provider,
  };
}
