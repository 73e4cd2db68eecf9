import { parseTimeFactor } from '../timeouts';
import type { EngineProbe } from './provider';
import { chooseProvider, parseInfraSetting, testEnvironment, TestInfraError } from './provider';

const engineAnswers: EngineProbe = async () => ({ description: 'Docker 28.2.2 at localhost' });
const noEngine: EngineProbe = async () => undefined;

describe('CAREBRIDGE_TEST_INFRA', () => {
  it('defaults to auto and accepts containers, local and auto', () => {
    expect([undefined, '', ' ', 'auto', 'containers', 'local'].map(parseInfraSetting)).toEqual([
      'auto',
      'auto',
      'auto',
      'auto',
      'containers',
      'local',
    ]);
  });

  it('refuses anything else with a stable code', () => {
    expect(() => parseInfraSetting('docker')).toThrow(
      expect.objectContaining({ code: 'TEST_INFRA_SETTING_INVALID', message: expect.stringContaining("got 'docker'") }),
    );
  });
});

describe('chooseProvider', () => {
  it('auto picks containers when a container engine answers', async () => {
    await expect(chooseProvider('auto', engineAnswers)).resolves.toEqual({
      provider: 'containers',
      reason: 'auto: a container engine answers (Docker 28.2.2 at localhost)',
    });
  });

  it('auto picks the local servers when no engine answers', async () => {
    await expect(chooseProvider('auto', noEngine)).resolves.toEqual({
      provider: 'local',
      reason: 'auto: no container engine answers',
    });
  });

  it('local does not ask for an engine', async () => {
    const probe = jest.fn(engineAnswers);
    await expect(chooseProvider('local', probe)).resolves.toMatchObject({ provider: 'local' });
    expect(probe).not.toHaveBeenCalled();
  });

  it('containers without an engine fails and says how to get one', async () => {
    const error = await chooseProvider('containers', noEngine).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TestInfraError);
    expect(error).toMatchObject({ code: 'TEST_INFRA_NO_ENGINE', message: expect.stringContaining('engine.sh up') });
  });

  it('containers with an engine names it', async () => {
    await expect(chooseProvider('containers', engineAnswers)).resolves.toEqual({
      provider: 'containers',
      reason: 'CAREBRIDGE_TEST_INFRA=containers; engine: Docker 28.2.2 at localhost',
    });
  });
});

describe('testEnvironment', () => {
  it('exports the variables the tests read, and which provider serves them', () => {
    expect(
      testEnvironment('containers', {
        databaseUrl: 'postgres://postgres:postgres@127.0.0.1:32768/carebridge',
        testDatabaseUrl: 'postgres://postgres:postgres@127.0.0.1:32768/carebridge_test',
        kafkaBrokers: ['127.0.0.1:32770'],
        redisUrl: 'redis://127.0.0.1:32769',
      }),
    ).toEqual({
      TEST_DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:32768/carebridge_test',
      KAFKA_BROKERS: '127.0.0.1:32770',
      REDIS_URL: 'redis://127.0.0.1:32769',
      CAREBRIDGE_TEST_INFRA_READY: 'containers',
    });
  });
});

describe('CAREBRIDGE_TEST_TIME_FACTOR', () => {
  it('defaults to 1 and accepts a positive number', () => {
    expect([undefined, '', '1', '2.5'].map(parseTimeFactor)).toEqual([1, 1, 1, 2.5]);
  });

  it('refuses zero, negatives and words', () => {
    for (const raw of ['0', '-1', 'slow']) expect(() => parseTimeFactor(raw)).toThrow('positive number');
  });
});
