import type { NestExpressApplication } from '@nestjs/platform-express';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import request from 'supertest';
import { scaled, testInfrastructure } from '@carebridge/testing';
import { startTestApp } from '../test-support';
import { kafkaCheck, postgresCheck, redisCheck } from './checks';
import { HealthModule } from './health.module';
import type { ReadinessCheck } from './readiness';

// Real servers from the test infrastructure (containers or local); port 1 is closed on every machine we run on.
const DATABASE_URL = testInfrastructure.databaseUrl;
const REDIS_URL = testInfrastructure.redisUrl;
const KAFKA_BROKERS = testInfrastructure.kafkaBrokers;
const CLOSED_PORT = 1;
// A check's limit (2 s in production) is raised here: on a loaded machine an answering server can
// take longer, and these tests are about up and down, not speed.
const CHECK_TIMEOUT_MS = scaled(10_000);

describe('readiness against real servers', () => {
  const pools: Pool[] = [];
  let app: NestExpressApplication | undefined;

  function pool(connectionString: string) {
    const created = new Pool({ connectionString, connectionTimeoutMillis: CHECK_TIMEOUT_MS });
    pools.push(created);
    return created;
  }

  // HealthModule closes the checks' own connections when the app closes.
  async function serve(...checks: ReadinessCheck[]) {
    app = await startTestApp({ imports: [HealthModule.register({ checks, timeoutMs: CHECK_TIMEOUT_MS })] });
    return request(app.getHttpServer());
  }

  async function ready(...checks: ReadinessCheck[]) {
    return (await serve(...checks)).get('/health/ready');
  }

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await Promise.all(pools.splice(0).map((p) => p.end()));
  });

  it('is ready when PostgreSQL and Redis answer', async () => {
    const response = await ready(postgresCheck(pool(DATABASE_URL)), redisCheck(REDIS_URL));

    expect(response.status).toBe(200);
    expect(response.body.checks).toEqual({
      postgres: { status: 'up', durationMs: expect.any(Number) },
      redis: { status: 'up', durationMs: expect.any(Number) },
    });
  });

  it('adds warnings (a rule set ending with no successor) without making the instance unready', async () => {
    app = await startTestApp({ imports: [HealthModule.register({ checks: [postgresCheck(pool(DATABASE_URL))], warnings: () => ['rule set dea ends 2026-12-31 (24 days) with no successor'] })] });
    const response = await request(app.getHttpServer()).get('/health/ready');

    expect([response.status, response.body.status, response.body.warnings]).toEqual([200, 'ready', ['rule set dea ends 2026-12-31 (24 days) with no successor']]);
  });

  it('checks a Redis client the service already has', async () => {
    const client = new Redis(REDIS_URL);
    try {
      const response = await ready(redisCheck(client));

      expect(response.body.checks.redis.status).toBe('up');
    } finally {
      client.disconnect();
    }
  });

  it('answers 503 naming the dependency behind a closed port', async () => {
    const response = await ready(
      postgresCheck(pool(DATABASE_URL)),
      postgresCheck(pool(`postgres://postgres@127.0.0.1:${CLOSED_PORT}/carebridge_test`), 'replica'),
      redisCheck(`redis://127.0.0.1:${CLOSED_PORT}`),
    );

    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      status: 'unavailable',
      checks: {
        postgres: { status: 'up' },
        replica: { status: 'down', error: expect.stringContaining('ECONNREFUSED') },
        redis: { status: 'down', error: expect.stringContaining('ECONNREFUSED') },
      },
    });
  });

  it('reports Kafka behind a closed port as down within the timeout', async () => {
    const response = await ready(kafkaCheck([`127.0.0.1:${CLOSED_PORT}`]));

    expect(response.status).toBe(503);
    expect(response.body.checks.kafka.status).toBe('down');
    // The check gives up at its limit instead of waiting out kafkajs's connection retries. A loaded
    // machine adds timer lag, so the bound only tells a limited check from an unlimited one.
    expect(response.body.checks.kafka.durationMs).toBeLessThan(CHECK_TIMEOUT_MS + scaled(5_000));
  });

  it('is ready when the Kafka cluster answers, and stays ready on the next probe', async () => {
    const http = await serve(kafkaCheck(KAFKA_BROKERS));
    const first = await http.get('/health/ready');
    const second = await http.get('/health/ready');

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.checks.kafka.status).toBe('up');
  });
});
