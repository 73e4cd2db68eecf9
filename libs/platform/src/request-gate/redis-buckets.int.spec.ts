import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisBucketStore } from './rate-limit';

// The distributed profile's buckets, on the real Redis: shared by replicas (two stores, one bucket),
// 429 then recovery, and let through (not a 5xx) when Redis is unreachable.
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const limit = { burst: 3, perMinute: 60 };
let redis: Redis;

beforeAll(() => {
  redis = new Redis(url, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  await redis.quit();
});

describe('RedisBucketStore', () => {
  it('empties a bucket shared by two replicas, names the wait, then refills', async () => {
    const prefix = `carebridge:test:${randomUUID()}:`;
    const a = new RedisBucketStore(redis, prefix);
    const b = new RedisBucketStore(redis, prefix);
    const t0 = 1_000_000;
    expect((await a.take('address:1.2.3.4', limit, t0)).allowed).toBe(true);
    expect((await b.take('address:1.2.3.4', limit, t0)).allowed).toBe(true);
    expect((await a.take('address:1.2.3.4', limit, t0)).allowed).toBe(true);
    expect(await b.take('address:1.2.3.4', limit, t0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect((await a.take('address:5.6.7.8', limit, t0)).allowed).toBe(true);
    expect((await b.take('address:1.2.3.4', limit, t0 + 1_000)).allowed).toBe(true);
    expect((await a.take('address:1.2.3.4', limit, t0 + 1_000)).allowed).toBe(false);
    expect(await redis.pttl(`${prefix}address:1.2.3.4`)).toBeGreaterThan(0);
  });

  it('lets requests through when Redis cannot be reached', async () => {
    const unreachable = RedisBucketStore.connect('redis://127.0.0.1:9', 'carebridge:test:');
    try {
      expect(await unreachable.take('address:x', limit, Date.now())).toEqual({ allowed: true, retryAfterSeconds: 0 });
    } finally {
      await unreachable.close();
    }
  });
});
