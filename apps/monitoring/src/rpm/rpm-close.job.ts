import { type JobQueues, type JobsConnection, jobQueues } from '@carebridge/platform';
import type { RpmPeriods } from './rpm-periods.handler';

export const RPM_CLOSE_QUEUE = 'monitoring-rpm-close';

/**
 * Closes ended RPM periods on a BullMQ job scheduler (the service: daily at 00:15 UTC, RPM_CLOSE_DAILY; one
 * scheduler id, so every replica upserting it keeps one schedule). Closing is idempotent per
 * period, so a run that overlaps `POST /v1/rpm/periods/close-due` adds nothing.
 */
/** Daily at 00:15 UTC: the schedule the service runs. */
export const RPM_CLOSE_DAILY = { pattern: '15 0 * * *' } as const;

export class RpmCloseJobs {
  private queues?: JobQueues;

  constructor(
    private readonly options: {
      readonly connection: JobsConnection;
      readonly periods: RpmPeriods;
      readonly schedule: { readonly pattern: string } | { readonly every: number };
      readonly onError?: (error: unknown) => void;
    },
  ) {}

  async start(): Promise<void> {
    this.queues = jobQueues(this.options.connection);
    const queue = this.queues.queue(RPM_CLOSE_QUEUE);
    await queue.upsertJobScheduler('rpm-close', { ...this.options.schedule, ...('pattern' in this.options.schedule && { tz: 'UTC' }) }, { name: 'close-due' });
    const worker = this.queues.worker(RPM_CLOSE_QUEUE, async () => {
      await this.options.periods.closeDue();
    });
    worker.on('failed', (_job, error) => this.options.onError?.(error));
    worker.on('error', (error) => this.options.onError?.(error));
  }

  async stop(): Promise<void> {
    await this.queues?.close();
  }
}
