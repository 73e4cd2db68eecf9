import { createHash } from 'node:crypto';
import { connect } from 'node:net';
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

  describe('hostile framing (review finding: unbounded lengths, a zero length looped, end() only half-closed)', () => {
    const int32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeInt32BE(n);
      return b;
    };
    const startup = (user: string) => {
      const body = Buffer.concat([int32(196608), Buffer.from(`user\0${user}\0database\0postgres\0\0`)]);
      return Buffer.concat([int32(body.length + 4), body]);
    };
    /** Writes `bytes`, then collects what the server sends until it closes the connection. */
    const exchange = (steps: (reply: Buffer) => Buffer | undefined, first: Buffer) =>
      new Promise<{ received: Buffer; closedByServer: boolean }>((resolve) => {
        const url = new URL(pg.connectionString);
        const socket = connect(Number(url.port), url.hostname);
        let received = Buffer.alloc(0);
        socket.on('connect', () => socket.write(first));
        socket.on('data', (data) => {
          received = Buffer.concat([received, data]);
          const next = steps(received);
          if (next) socket.write(next);
        });
        socket.on('end', () => resolve({ received, closedByServer: true }));
        socket.on('error', () => resolve({ received, closedByServer: true }));
      });
    const errorCode = (received: Buffer) => /C(\w{5})\0/.exec(received.toString('latin1'))?.[1];

    it('refuses a startup packet longer than PostgreSQL allows at once, without waiting for it', async () => {
      const { received, closedByServer } = await exchange(() => undefined, Buffer.concat([int32(0x7fffffff), int32(196608), Buffer.alloc(64)]));
      expect(closedByServer).toBe(true);
      expect(errorCode(received)).toBe('08P01');
    });

    it('refuses a pre-password message over 1 KiB and a length under 4', async () => {
      for (const declared of [1_000_000, 0, -4]) {
        let answered = false;
        const { received, closedByServer } = await exchange((reply) => {
          if (answered || reply[0] !== 'R'.charCodeAt(0)) return undefined;
          answered = true;
          return Buffer.concat([Buffer.from('p'), int32(declared), Buffer.alloc(16)]);
        }, startup('postgres'));
        expect(closedByServer).toBe(true);
        expect(errorCode(received)).toBe('08P01');
      }
    });

    it('closes an authenticated connection that sends a negative length (it looped forever), and keeps serving the others', async () => {
      const url = new URL(pg.connectionString);
      const password = decodeURIComponent(url.password);
      const user = decodeURIComponent(url.username);
      let stage = 0;
      const { received, closedByServer } = await exchange((reply) => {
        if (stage === 0 && reply[0] === 'R'.charCodeAt(0)) {
          stage = 1;
          const salt = reply.subarray(9, 13);
          const inner = createHash('md5').update(password + user).digest('hex');
          const answer = `md5${createHash('md5').update(Buffer.concat([Buffer.from(inner), salt])).digest('hex')}`;
          return Buffer.concat([Buffer.from('p'), int32(answer.length + 5), Buffer.from(answer), Buffer.from([0])]);
        }
        if (stage === 1 && reply.includes(Buffer.from('Z'))) {
          stage = 2;
          return Buffer.concat([Buffer.from('Q'), int32(-1), Buffer.from('SELECT 1\0')]);
        }
        return undefined;
      }, startup(user));
      expect(stage).toBe(2);
      expect(closedByServer).toBe(true);
      expect(errorCode(received.subarray(received.lastIndexOf(Buffer.from('E'))))).toBe('08P01');
      const client = new Client({ connectionString: pg.connectionString });
      await client.connect();
      try {
        expect((await client.query<{ v: number }>('SELECT 2 AS v')).rows[0]!.v).toBe(2);
      } finally {
        await client.end();
      }
    });
  });
});
