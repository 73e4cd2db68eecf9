import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { toKafkaRecord } from '@carebridge/contracts';
import { migrate } from '@carebridge/event-store';
import { createKafka, ensureTopics, messagingMigrations } from '@carebridge/messaging';
import { testContract } from '@carebridge/testing/messaging';
import { createTestSchema, eventually, testInfrastructure, uniqueName, uniqueTopic, type TestSchema } from '@carebridge/testing';
import { repoRoot } from './kustomize';

/**
 * Issue 9: SIGTERM makes a running service drain and exit cleanly within its grace period
 * without losing a consumed-but-unprocessed message. A real process (createServiceApp +
 * MessagingModule, as a service's main.ts) gets SIGTERM while its handler is in the middle
 * of a slow message.
 */
const GRACE_MS = 60_000; // terminationGracePeriodSeconds of the Deployments
const HANDLER_MS = 3_000;

let db: TestSchema;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  db = await createTestSchema('drain');
  await migrate(db.pool, db.schema, messagingMigrations, 'messaging_migrations');
  await db.pool.query(`CREATE TABLE "${db.schema}".handled (event_id text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  kafka = createKafka({ brokers: testInfrastructure.kafkaBrokers, clientId: 'drain-test' });
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});
afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await db?.dispose();
});

interface ServiceProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  waitFor(line: string, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function startService(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'fixtures', 'drain-service.ts')], {
    cwd: repoRoot,
    env: { ...process.env, ...env, SWC_NODE_PROJECT: 'tsconfig.json', KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return {
    child,
    lines,
    exited,
    waitFor: (line, timeoutMs = 60_000) =>
      eventually(() => (lines.includes(line) ? true : undefined), { timeoutMs, intervalMs: 20, what: `"${line}" (output: ${lines.slice(-20).join(' | ')})` }).then(
        () => undefined,
      ),
  };
}

const handledCount = async (eventId: string) =>
  Number((await db.pool.query(`SELECT count(*) FROM "${db.schema}".handled WHERE event_id = $1`, [eventId])).rows[0].count);

it('finishes the message in hand on SIGTERM, exits within the grace period, and never processes it twice', async () => {
  const topic = uniqueTopic('drain');
  await ensureTopics(admin, [{ topic, partitions: 1 }]);
  const env = {
    DATABASE_URL: testInfrastructure.databaseUrl,
    SCHEMA: db.schema,
    TOPIC: topic,
    GROUP: uniqueName('drain'),
    KAFKA_BROKERS: testInfrastructure.kafkaBrokers.join(','),
    HANDLER_MS: String(HANDLER_MS),
  };
  const { TickRecorded } = testContract(topic);
  const send = async (streamId: string) => {
    const id = randomUUID();
    const record = toKafkaRecord(TickRecorded, { streamId, version: 1 }, { id, time: new Date(), correlationId: 'drain', actor: { id: 'system', role: 'system' } });
    await producer.send({ topic, messages: [{ key: record.key, value: record.value, headers: record.headers }] });
    return id;
  };

  const first = startService(env);
  try {
    await first.waitFor('ready');
    const slow = await send('slow-1');
    await first.waitFor(`handling ${slow}`);
    const termAt = Date.now();
    first.child.kill('SIGTERM');
    const exit = await first.exited;

    expect(exit.at - termAt).toBeLessThan(GRACE_MS);
    // Nest re-raises SIGTERM once every shutdown hook has run, so a drained service dies by
    // SIGTERM (exit status 143); anything else (a crash, exit 1) would mean it did not drain.
    expect({ code: exit.code, signal: exit.signal }).toEqual(
      exit.signal === null ? { code: 0, signal: null } : { code: null, signal: 'SIGTERM' },
    );
    // The message in hand was finished before the process went away...
    expect(first.lines).toContain(`handled ${slow}`);
    expect(first.lines.indexOf(`handled ${slow}`)).toBeLessThan(first.lines.indexOf('drained'));
    expect(await handledCount(slow)).toBe(1);

    // ...and after a restart the group does not process it again; a new message still flows.
    const second = startService(env);
    try {
      await second.waitFor('ready');
      const next = await send('next-1');
      await second.waitFor(`handled ${next}`);
      // `handled` is printed inside the handler's transaction, just before it commits.
      await eventually(async () => ((await handledCount(next)) === 1 ? true : undefined), { what: 'the new message committed' });
      expect(second.lines).not.toContain(`handling ${slow}`);
      expect(await handledCount(slow)).toBe(1);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  } finally {
    if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
  }
});
