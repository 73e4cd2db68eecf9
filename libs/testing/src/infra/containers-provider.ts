import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import type { StartedTestContainer } from 'testcontainers';
import { hangTimeouts } from '../timeouts';
import { removeSessionContainers } from './engine';
import type { Progress, StartedInfra, TestInfraProvider } from './provider';
import { TestInfraError } from './provider';

/**
 * The official images' names and tags. Where no registry answers, deploy/containers/images.sh builds
 * images under the same names whose entrypoints honour the same variables, so this code is the same.
 * Kafka is the version deploy/local runs (kafkajs 2.2.4 needs >= 4.0.1: design/KAFKA-LOCAL.md).
 */
export const containerImages = {
  postgres: process.env.CAREBRIDGE_POSTGRES_IMAGE ?? 'postgres:15',
  redis: process.env.CAREBRIDGE_REDIS_IMAGE ?? 'redis:7',
  kafka: process.env.CAREBRIDGE_KAFKA_IMAGE ?? `apache/kafka:${process.env.KAFKA_VERSION ?? '4.1.1'}`,
};

const PG_USER = 'postgres';
const PG_PASSWORD = 'postgres';

export const containersProvider: TestInfraProvider = {
  name: 'containers',
  async start(progress: Progress): Promise<StartedInfra> {
    progress(`starting ${containerImages.postgres}, ${containerImages.redis} and ${containerImages.kafka} (testcontainers)`);
    const waiting = new Set([containerImages.postgres, containerImages.redis, containerImages.kafka]);
    const t0 = Date.now();
    const ticker = setInterval(
      () => progress(`waiting for ${[...waiting].join(', ')} ... ${Math.round((Date.now() - t0) / 1000)} s`),
      15_000,
    );
    const settled = await Promise.allSettled([
      timed(progress, containerImages.postgres, startPostgres, waiting),
      timed(progress, containerImages.redis, startRedis, waiting),
      timed(progress, containerImages.kafka, startKafka, waiting),
    ]).finally(() => clearInterval(ticker));
    const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const stop = () => stopAll(started.map((s) => s.container));
    const failed = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
    if (failed.length > 0) {
      await stop();
      throw new TestInfraError('TEST_INFRA_START_FAILED', `containers did not start: ${failed.map(String).join('; ')}`);
    }
    const [pg, redis, kafka] = started;
    return {
      provider: 'containers',
      endpoints: {
        databaseUrl: pg.url,
        testDatabaseUrl: pg.url.replace(/\/carebridge$/, '/carebridge_test'),
        kafkaBrokers: [kafka.url],
        redisUrl: redis.url,
      },
      stop,
    };
  },
};

/** Each container's output goes to tmp/test-infra/<name>.log, to read after a failed run. */
function logTo(name: string): (stream: Readable) => void {
  const dir = path.resolve(__dirname, '../../../../tmp/test-infra');
  mkdirSync(dir, { recursive: true });
  return (stream) => stream.pipe(createWriteStream(path.join(dir, `${name}.log`)));
}

interface Running {
  readonly container: StartedTestContainer;
  readonly url: string;
}

async function timed(progress: Progress, image: string, start: () => Promise<Running>, waiting: Set<string>): Promise<Running> {
  const t0 = Date.now();
  const running = await start().finally(() => waiting.delete(image));
  progress(`${image} ready at ${running.url.replace(/:[^:@/]*@/, ':***@')} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return running;
}

/** PostgreSQL with the databases deploy/local creates: carebridge and carebridge_test. */
async function startPostgres(): Promise<Running> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(containerImages.postgres)
    .withUsername(PG_USER)
    .withPassword(PG_PASSWORD)
    .withDatabase('carebridge')
    // A throw-away server: no fsync; room for two jest workers' pools and the services they spawn.
    .withCommand(['postgres', '-c', 'fsync=off', '-c', 'max_connections=300'])
    // Docker's default /dev/shm (64 MB) is too small for PostgreSQL under many connections (the
    // official image's documentation: --shm-size); a backend that runs out dies and takes all down.
    .withSharedMemorySize(512 * 1024 * 1024)
    .withLogConsumer(logTo('postgres'))
    .withStartupTimeout(hangTimeouts.containerStart)
    .start();
  const url = `postgres://${PG_USER}:${PG_PASSWORD}@${container.getHost()}:${container.getPort()}/carebridge`;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE DATABASE carebridge_test');
  } finally {
    await client.end();
  }
  return { container, url };
}

async function startRedis(): Promise<Running> {
  const { RedisContainer } = await import('@testcontainers/redis');
  const container = await new RedisContainer(containerImages.redis)
    .withStartupTimeout(hangTimeouts.containerStart)
    .withLogConsumer(logTo('redis'))
    .start();
  return { container, url: container.getConnectionUrl() };
}

/**
 * Kafka in KRaft mode (one broker+controller) from the apache/kafka image through GenericContainer,
 * with deploy/local's broker settings (deploy/local/kafka/server.properties.template). The client
 * listener must advertise the host's mapped port, known only once the container runs: the container
 * waits for it in a file, then starts the image's own /etc/kafka/docker/run.
 */
async function startKafka(): Promise<Running> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(containerImages.kafka)
    .withExposedPorts(9092)
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,BROKER://0.0.0.0:9094,CONTROLLER://0.0.0.0:9093',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_DEFAULT_REPLICATION_FACTOR: '1',
      KAFKA_MIN_INSYNC_REPLICAS: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_NUM_PARTITIONS: '3',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '10',
      KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS: '10',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_NUM_PARTITIONS: '10',
      KAFKA_HEAP_OPTS: '-Xmx512m -Xms512m',
    })
    .withEntrypoint([
      'sh',
      '-c',
      'echo "carebridge: waiting for the advertised listener"; ' +
        'while [ ! -s /tmp/advertised-listeners ]; do sleep 0.1; done; ' +
        'export KAFKA_ADVERTISED_LISTENERS="$(cat /tmp/advertised-listeners)"; exec /etc/kafka/docker/run',
    ])
    .withWaitStrategy(Wait.forLogMessage('carebridge: waiting for the advertised listener'))
    .withLogConsumer(logTo('kafka'))
    .withStartupTimeout(hangTimeouts.containerStart)
    .start();
  const url = `${container.getHost()}:${container.getMappedPort(9092)}`;
  await container.copyContentToContainer([
    { content: `PLAINTEXT://${url},BROKER://localhost:9094`, target: '/tmp/advertised-listeners' },
  ]);
  await waitForBroker(url, container);
  return { container, url };
}

/** The broker answers a metadata request and can create a topic (the controller is up). */
async function waitForBroker(url: string, container: StartedTestContainer): Promise<void> {
  const admin = new Kafka({ clientId: 'carebridge-test-infra', brokers: [url], logLevel: logLevel.NOTHING }).admin();
  const deadline = Date.now() + hangTimeouts.containerStart;
  let last: unknown;
  for (;;) {
    try {
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'carebridge.test-infra.ready.v1', numPartitions: 1 }], waitForLeaders: true });
      await admin.disconnect();
      return;
    } catch (error) {
      last = error;
      await admin.disconnect().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      const logs = await containerLogs(container);
      throw new Error(`Kafka at ${url} did not answer within ${hangTimeouts.containerStart} ms: ${String(last)}\n${logs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function containerLogs(container: StartedTestContainer): Promise<string> {
  const stream = await container.logs({ tail: 40 });
  let text = '';
  stream.on('data', (chunk: Buffer | string) => (text += chunk.toString()));
  await new Promise((resolve) => setTimeout(resolve, 500));
  stream.destroy();
  return text;
}

async function stopAll(containers: readonly StartedTestContainer[]): Promise<void> {
  const sessions = new Set(containers.map((c) => c.getLabels()['org.testcontainers.session-id']).filter(Boolean));
  await Promise.allSettled(containers.map((c) => c.stop({ timeout: 0 })));
  // Without Ryuk nothing else removes what a failed start or a stop that failed left behind.
  if (process.env.TESTCONTAINERS_RYUK_DISABLED === 'true') {
    await Promise.allSettled([...sessions].map((id) => removeSessionContainers(id)));
  }
}
