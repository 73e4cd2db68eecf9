import { Controller, Get, Inject } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Pool } from 'pg';
import request from 'supertest';
import { PrivatePostgres, eventually, freePort } from '@carebridge/testing';
import { Public } from '../auth/decorators';
import { kafkaCheck, postgresCheck } from '../health/checks';
import { HealthModule } from '../health/health.module';
import { outcomeFor } from '../errors/problem';
import { captureLogger, startTestApp } from '../test-support';
import { createServicePool } from './service-pool';

// Issue 21 findings 1, 4 and 5, against a PostgreSQL server of this file's own (never the shared one).
const POOL = Symbol('POOL');

@Public()
@Controller('rows')
class RowsController {
  constructor(@Inject(POOL) private readonly pool: Pool) {}

  @Get()
  async count(): Promise<{ rows: number }> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT 1 AS n');
    return { rows: rows.length };
  }
}

let postgres: PrivatePostgres;
let pool: Pool;
let app: NestExpressApplication;
const { logger, lines } = captureLogger();

beforeAll(async () => {
  postgres = await PrivatePostgres.start();
  pool = createServicePool({ connectionString: postgres.url, max: 4 }, logger);
  const brokerNobodyRuns = [`127.0.0.1:${await freePort()}`];
  app = await startTestApp(
    {
      imports: [HealthModule.register({ checks: [postgresCheck(pool), { ...kafkaCheck(brokerNobodyRuns), required: false }] })],
      controllers: [RowsController],
      providers: [{ provide: POOL, useValue: pool }],
    },
    logger,
  );
});
afterAll(async () => {
  await app?.close();
  await pool?.end();
  await postgres?.dispose();
});

async function holdIdleConnections(n: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
  clients.forEach((client) => client.release());
}

describe('a service pool across a PostgreSQL restart (finding 1)', () => {
  it('logs the idle connections the server terminated, replaces them, and serves again', async () => {
    await holdIdleConnections(3);
    expect(pool.idleCount).toBe(3);

    await postgres.restart();

    // The idle clients' 57P01 reached the pool's listener instead of crashing the process.
    await eventually(() => (lines.some((line) => line.msg === 'idle database connection lost; the pool replaces it') ? true : undefined));
    const answer = await eventually(async () => {
      const res = await request(app.getHttpServer()).get('/rows');
      return res.status === 200 ? res : undefined;
    });
    expect(answer.body).toEqual({ rows: 1 });
  });
});

describe('a client checked out between two queries of a transaction when PostgreSQL restarts (finding 1)', () => {
  it('fails its next query with a connection error the platform maps to 503, and the process lives on', async () => {
    const client = await pool.connect();
    await client.query('BEGIN');

    await postgres.restart();

    const next = await client.query('SELECT 1').then(
      () => undefined,
      (error: unknown) => error,
    );
    client.release(next as Error);
    expect(next).toBeInstanceOf(Error);
    expect(outcomeFor(next)).toMatchObject({ status: 503, code: 'INFRASTRUCTURE.UNAVAILABLE' });
    await eventually(async () => ((await request(app.getHttpServer()).get('/rows')).status === 200 ? true : undefined));
  });
});

describe('while PostgreSQL is down', () => {
  beforeAll(() => postgres.stopServer());
  afterAll(() => postgres.startServer());

  it('a request answers 503 problem+json with Retry-After, not 500 (finding 5)', async () => {
    const res = await request(app.getHttpServer()).get('/rows');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body).toMatchObject({ status: 503, code: 'INFRASTRUCTURE.UNAVAILABLE' });
  });

  it('readiness says 503 naming postgres, liveness stays 200 (finding 4)', async () => {
    const ready = await request(app.getHttpServer()).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.postgres.status).toBe('down');
    expect((await request(app.getHttpServer()).get('/health/live')).status).toBe(200);
  });
});

describe('while the broker is down and PostgreSQL answers', () => {
  it('readiness is 200 and reports the broker down in its details (finding 4)', async () => {
    const ready = await eventually(async () => {
      const res = await request(app.getHttpServer()).get('/health/ready');
      return res.body.checks?.postgres?.status === 'up' ? res : undefined;
    });
    expect(ready.status).toBe(200);
    expect(ready.body.checks.kafka).toMatchObject({ status: 'down', required: false });
  });
});
