import { Client, Pool } from 'pg';
import { eventually } from '@carebridge/testing';
import { spawnEmbeddedPostgres } from './testing/spawn-embedded-postgres';

// PGlite in a child process (jest cannot load its dynamic imports); these clients dial its wire server.
let pg: Awaited<ReturnType<typeof spawnEmbeddedPostgres>>;
beforeAll(async () => {
  pg = await spawnEmbeddedPostgres();
});
afterAll(async () => {
  await pg.stop();
});

describe('PGlite wire server', () => {
  it('asks for the password generated for this run and refuses a connection without it or with another (issue 14)', async () => {
    const url = new URL(pg.connectionString);
    expect(url.password.length).toBeGreaterThanOrEqual(20);
    const attempt = async (password: string | undefined) => {
      const withPassword = new URL(pg.connectionString);
      withPassword.password = password ?? '';
      const client = new Client({ connectionString: withPassword.toString(), ...(password === undefined && { password: '' }) });
      try {
        await client.connect();
        return (await client.query<{ v: number }>('SELECT 1 AS v')).rows[0]!.v;
      } catch (error) {
        return (error as { code?: string; message: string }).code ?? (error as Error).message;
      } finally {
        await client.end().catch(() => undefined);
      }
    };
    expect(await attempt('not-the-password')).toBe('28P01');
    expect(await attempt(undefined)).not.toBe(1);
    expect(await attempt(url.password)).toBe(1);
  });

  it("never interleaves two connections' extended-protocol sequences", async () => {
    const pool = new Pool({ connectionString: pg.connectionString, max: 8 });
    try {
      // Different parameter counts on purpose: an interleaved Parse/Bind fails with
      // "bind message supplies 2 parameters, but prepared statement requires 1".
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          i % 2 === 0
            ? pool.query<{ v: number }>('SELECT $1::int AS v', [i]).then((r) => r.rows[0]!.v)
            : pool.query<{ v: number }>('SELECT $1::int + $2::int AS v', [i, 0]).then((r) => r.rows[0]!.v),
        ),
      );
      expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i));
    } finally {
      await pool.end();
    }
  });

  it('delivers a NOTIFY to the connection that LISTENs on the channel, not to the notifier', async () => {
    const listener = new Client({ connectionString: pg.connectionString });
    const notifier = new Client({ connectionString: pg.connectionString });
    await listener.connect();
    await notifier.connect();
    try {
      const heard: string[] = [];
      const heardByNotifier: string[] = [];
      listener.on('notification', (n) => heard.push(`${n.channel}:${n.payload}`));
      notifier.on('notification', (n) => heardByNotifier.push(`${n.channel}:${n.payload}`));
      await listener.query('LISTEN bullmq_jobs');
      await notifier.query(`SELECT pg_notify('bullmq_jobs', 'reminders')`);
      await notifier.query(`SELECT pg_notify('other_channel', 'x')`);
      await eventually(() => (heard.length > 0 ? true : undefined), { timeoutMs: 5_000, what: 'the notification' });
      expect(heard).toEqual(['bullmq_jobs:reminders']);
      expect(heardByNotifier).toEqual([]);
      await listener.query('UNLISTEN bullmq_jobs');
      await notifier.query(`SELECT pg_notify('bullmq_jobs', 'again')`);
      await new Promise((r) => setTimeout(r, 300));
      expect(heard).toEqual(['bullmq_jobs:reminders']);
    } finally {
      await listener.end();
      await notifier.end();
    }
  });
});
