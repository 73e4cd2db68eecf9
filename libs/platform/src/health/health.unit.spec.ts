import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AuthModule } from '../auth/auth.module';
import { DevTokenIssuer } from '../auth/dev-token-issuer';
import { startTestApp } from '../test-support';
import { type KafkaAdmin, kafkaCheck } from './checks';
import { HealthModule } from './health.module';
import type { ReadinessCheck } from './readiness';

const up = (name: string): ReadinessCheck => ({ name, check: async () => undefined });
const down = (name: string, message: string): ReadinessCheck => ({
  name,
  check: async () => Promise.reject(new Error(message)),
});
const silent = (name: string): ReadinessCheck => ({ name, check: () => new Promise(() => undefined) });

describe('HealthModule', () => {
  let app: NestExpressApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function serve(checks: ReadinessCheck[], timeoutMs?: number) {
    const issuer = await DevTokenIssuer.create();
    app = await startTestApp({
      imports: [AuthModule.register(issuer.authOptions()), HealthModule.register({ checks, timeoutMs })],
    });
    return request(app.getHttpServer());
  }

  it('answers liveness without a token', async () => {
    const response = await (await serve([down('postgres', 'refused')])).get('/health/live');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('is ready when every check passes', async () => {
    const response = await (await serve([up('postgres'), up('redis')])).get('/health/ready');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ready',
      checks: {
        postgres: { status: 'up', durationMs: expect.any(Number) },
        redis: { status: 'up', durationMs: expect.any(Number) },
      },
    });
  });

  it('answers 503 with each check’s status when one fails', async () => {
    const response = await (await serve([up('postgres'), down('kafka', 'connect ECONNREFUSED')])).get(
      '/health/ready',
    );

    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      status: 'unavailable',
      checks: { postgres: { status: 'up' }, kafka: { status: 'down', error: 'connect ECONNREFUSED' } },
    });
  });

  it('counts a check that does not answer in time as down', async () => {
    const started = Date.now();
    const response = await (await serve([up('postgres'), silent('redis')], 50)).get('/health/ready');

    expect(response.status).toBe(503);
    expect(response.body.checks.redis).toMatchObject({ status: 'down', error: 'no answer within 50 ms' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('closes the checks when the app shuts down', async () => {
    const close = jest.fn(async () => undefined);
    await serve([{ ...up('kafka'), close }]);

    await app?.close();
    app = undefined;

    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe('kafkaCheck', () => {
  function fakeAdmin(brokers: number[][] = [[1]]) {
    const calls = { connect: 0, disconnect: 0 };
    let answers = [...brokers];
    const admin: KafkaAdmin = {
      connect: async () => void calls.connect++,
      disconnect: async () => void calls.disconnect++,
      describeCluster: async () => {
        const next = answers.shift() ?? [1];
        if (next.length === 1 && next[0] === -1) throw new Error('Connection closed');
        return { brokers: next.map((nodeId) => ({ nodeId, host: 'kafka', port: 9092 })), controller: 1, clusterId: 'c' };
      },
    };
    return { admin, calls, failNext: () => (answers = [[-1], ...answers]) };
  }

  it('reuses one admin connection across checks', async () => {
    const { admin, calls } = fakeAdmin();
    const check = kafkaCheck(admin);

    await check.check();
    await check.check();

    expect(calls.connect).toBe(1);
  });

  it('reconnects on the next check after a failure', async () => {
    const { admin, calls, failNext } = fakeAdmin();
    const check = kafkaCheck(admin);
    await check.check();
    failNext();

    await expect(check.check()).rejects.toThrow('Connection closed');
    await check.check();

    expect(calls).toEqual({ connect: 2, disconnect: 1 });
  });

  it('fails when the cluster reports no brokers', async () => {
    const { admin } = fakeAdmin([[]]);

    await expect(kafkaCheck(admin).check()).rejects.toThrow('the cluster reports no brokers');
  });

  it('leaves an admin client it was given open on close', () => {
    expect(kafkaCheck(fakeAdmin().admin).close).toBeUndefined();
  });
});
