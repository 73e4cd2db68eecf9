import { type EventStore, handle } from '@carebridge/event-store';
import { type JobQueues, type JobsConnection, jobQueues } from '@carebridge/platform';
import type { Queue } from 'bullmq';
import type { Clock } from '../clock.port';
import { alertDecider } from './alert.decider';

interface EscalationJob {
  readonly streamId: string;
  readonly alertId: string;
  readonly level: number;
}

export const ESCALATION_QUEUE = 'monitoring-alert-escalation';

/**
 * Escalation on BullMQ delayed jobs: when an alert is raised (or escalated) a job is due after
 * the care plan's acknowledgement time; if the alert is still open at that level, the job's
 * command hands it to the next member of the care team. Job ids are the alert and level, so
 * scheduling twice (reactor replay) keeps one job.
 */
export class AlertEscalationJobs {
  private queues?: JobQueues;
  private queue?: Queue<EscalationJob>;

  constructor(
    private readonly options: {
      readonly connection: JobsConnection;
      readonly store: EventStore;
      readonly clock: Clock;
      readonly onError?: (error: unknown) => void;
    },
  ) {}

  start(): void {
    this.queues = jobQueues(this.options.connection);
    this.queue = this.queues.queue<EscalationJob>(ESCALATION_QUEUE);
    const worker = this.queues.worker<EscalationJob>(ESCALATION_QUEUE, async (job) => {
      const { streamId, alertId, level } = job.data;
      await handle(this.options.store, streamId, alertDecider, {
        type: 'EscalateAlert',
        data: { alertId, level },
        metadata: {
          now: this.options.clock.now(),
          actor: { id: 'monitoring-escalation', role: 'system' },
          correlationId: alertId,
          commandId: `escalate-${alertId}-${level}`,
          purpose: 'treatment',
        },
      });
    });
    worker.on('failed', (_job, error) => this.options.onError?.(error));
    worker.on('error', (error) => this.options.onError?.(error));
  }

  async schedule(job: EscalationJob, delayMs: number): Promise<void> {
    if (!this.queue) throw new Error('escalation jobs not started');
    await this.queue.add('escalate', job, {
      jobId: `${job.alertId}-${job.level}`,
      delay: Math.max(0, delayMs),
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: 1_000,
      removeOnFail: 5_000,
    });
  }

  async stop(): Promise<void> {
    await this.queues?.close();
  }
}
