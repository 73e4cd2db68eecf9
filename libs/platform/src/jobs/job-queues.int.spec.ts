import { createTestSchema, eventually, testInfrastructure, uniqueName, type TestSchema } from '@carebridge/testing';
import { type JobsConnection, jobQueues } from './job-queues';

/** The same delayed-job code on both backends a service can be given. */
describe.each([
  ['redis', () => ({ kind: 'redis', url: testInfrastructure.redisUrl, prefix: uniqueName('jobs') }) as JobsConnection],
  ['postgres', (schema: TestSchema) => ({ kind: 'postgres', connectionString: testInfrastructure.databaseUrl, schema: schema.sibling('bullmq') }) as JobsConnection],
])('jobQueues on %s', (_kind, connectionFor) => {
  let schema: TestSchema;
  beforeAll(async () => {
    schema = await createTestSchema('jobs');
  });
  afterAll(async () => {
    await schema.dispose();
  });

  it('runs a delayed job once, after its delay, and a re-added job id is a no-op', async () => {
    const queues = jobQueues(connectionFor(schema));
    try {
      const seen: { id: string; at: number; data: unknown }[] = [];
      const queue = queues.queue<{ n: number }>('reminders');
      queues.worker<{ n: number }>('reminders', async (job) => {
        seen.push({ id: job.id!, at: Date.now(), data: job.data });
      });
      const addedAt = Date.now();
      await queue.add('remind', { n: 1 }, { jobId: 'reminder_a', delay: 700 });
      await queue.add('remind', { n: 2 }, { jobId: 'reminder_a', delay: 700 });
      await queue.add('remind', { n: 3 }, { jobId: 'reminder_b' });
      await eventually(
        () => {
          expect(seen.map((s) => s.id).sort()).toEqual(['reminder_a', 'reminder_b']);
          return true;
        },
        { timeoutMs: 15_000 },
      );
      const delayed = seen.find((s) => s.id === 'reminder_a')!;
      expect(delayed.data).toEqual({ n: 1 });
      expect(delayed.at - addedAt).toBeGreaterThanOrEqual(650);
      await new Promise((r) => setTimeout(r, 500));
      expect(seen).toHaveLength(2);
    } finally {
      await queues.close();
    }
  });

  it('removes a delayed job before it runs', async () => {
    const queues = jobQueues(connectionFor(schema));
    try {
      const seen: string[] = [];
      const queue = queues.queue('escalations');
      queues.worker('escalations', async (job) => {
        seen.push(job.id!);
      });
      await queue.add('escalate', {}, { jobId: 'escalate_x', delay: 800 });
      await queue.remove('escalate_x');
      await queue.add('escalate', {}, { jobId: 'escalate_y', delay: 100 });
      await eventually(
        () => {
          expect(seen).toContain('escalate_y');
          return true;
        },
        { timeoutMs: 15_000 },
      );
      await new Promise((r) => setTimeout(r, 1_000));
      expect(seen).toEqual(['escalate_y']);
    } finally {
      await queues.close();
    }
  });
});
