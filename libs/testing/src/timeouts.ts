/**
 * Every wait for a hang in the tests, named in one place. They exist to turn a hang into a failure
 * that says what hung; none of them judges speed, so they are generous: a hang costs minutes, a
 * loaded machine costs nothing. Scale them all with CAREBRIDGE_TEST_TIME_FACTOR (e.g. 3 on a machine
 * much slower than 2 shared cores); a test that fails only on a slow machine is a defect.
 */
export const timeFactor = parseTimeFactor(process.env.CAREBRIDGE_TEST_TIME_FACTOR);

export function parseTimeFactor(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 1;
  const factor = Number(raw);
  if (!Number.isFinite(factor) || factor <= 0) {
    throw new Error(`CAREBRIDGE_TEST_TIME_FACTOR must be a positive number, got '${raw}'`);
  }
  return factor;
}

/** `ms` scaled by CAREBRIDGE_TEST_TIME_FACTOR. */
export function scaled(ms: number): number {
  return Math.round(ms * timeFactor);
}

export const hangTimeouts = {
  /** One integration test (jest's timeout), including its hooks' waits: Kafka group joins take seconds. */
  integrationTest: scaled(300_000),
  /** `eventually()`'s default wait for a condition. */
  eventually: scaled(60_000),
  /** A test's consumer to read back from Kafka every message it waits for (collectTopic). */
  kafkaCollect: scaled(120_000),
  /** A platform or service started as a child process to say it is ready. */
  platformReady: scaled(300_000),
  /** The containers provider: one container to start and answer (first start may load an image). */
  containerStart: scaled(300_000),
  /** The container engine to answer the `auto` probe. */
  engineProbe: scaled(10_000),
};
