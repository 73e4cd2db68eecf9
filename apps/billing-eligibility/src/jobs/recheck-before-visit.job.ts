import type { Job, Queue, Worker } from 'bullmq';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { type PostgresEventStore, Projection, type RecordedEvent } from '@carebridge/event-store';
import { type JobQueues, type JobsConnection, jobQueues } from '@carebridge/platform';
import type { EligibilityDetermined } from '../eligibility/eligibility.events';
import { latestRequestOf, readDeterminations } from '../eligibility/eligibility.read';
import { recheckRequest } from '../eligibility/recheck';
import type { PayerCheckOptions } from '../payer/payer-check';
import type { RuleCatalog } from '../rules/rule-set.rules';

export const RECHECK_QUEUE = 'billing-eligibility-recheck';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RecheckBeforeVisitOptions {
  readonly store: PostgresEventStore;
  readonly pool: Pool;
  readonly catalog: RuleCatalog;
  /** Redis (distributed profile) or BullMQ's PostgreSQL backend (embedded profile). */
  readonly connection: JobsConnection;
  /** Default 24 h. */
  readonly beforeMs?: number;
  readonly afterAppend: () => void;
  readonly onError?: (error: unknown) => void;
  /** The payer is asked too when configured (the job runs outside any transaction). */
  readonly payer?: PayerCheckOptions;
}

interface RecheckJob {
  readonly patientId: string;
  readonly appointmentId: string;
  readonly visitStartsAt: string;
}

// BullMQ refuses ':' in custom job ids; the start time in the id makes a moved visit a new job.
export const recheckJobId = (appointmentId: string, visitStartsAt: string): string =>
  `recheck_${appointmentId}_${Date.parse(visitStartsAt)}`;

/**
 * Checks each appointment's answer again 24 h before the visit (BullMQ delayed job). A projection
 * schedules a job for every determination that names the visit's start; the job only sends a
 * command through handle() (commandId = job id), and a changed answer is recorded and published.
 */
export class RecheckBeforeVisitJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly queue: Queue;
  private worker?: Worker;
  private readonly projection: Projection;
  private readonly queues: JobQueues;

  constructor(private readonly options: RecheckBeforeVisitOptions) {
    this.queues = jobQueues(options.connection, options.onError ? { onError: options.onError } : {});
    this.queue = this.queues.queue(RECHECK_QUEUE);
    this.projection = new Projection({
      name: 'eligibility-recheck-before-visit',
      store: options.store,
      pool: options.pool,
      // Queue calls are network I/O: never inside the projection's transaction.
      effect: (events) => this.schedule(events),
      ...(options.onError && { onError: options.onError }),
    });
  }

  onApplicationBootstrap(): void {
    this.projection.start();
    this.worker = this.queues.worker(RECHECK_QUEUE, (job: Job<RecheckJob>) => this.process(job), { concurrency: 2 });
    if (this.options.onError) this.worker.on('failed', (_job, error) => this.options.onError!(error));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
    await this.queues.close();
  }

  nudge(): void {
    this.projection.nudge();
  }

  // Adds are idempotent by job id, so a batch followed again after a crash schedules nothing twice.
  private async schedule(events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type !== 'EligibilityDetermined') continue;
      const { request } = event.data as EligibilityDetermined['data'];
      if (request.appointmentId === undefined || request.visitStartsAt === undefined) continue;
      const at = Date.parse(request.visitStartsAt) - (this.options.beforeMs ?? DAY_MS);
      if (Date.parse(request.visitStartsAt) <= Date.now()) continue;
      const data: RecheckJob = { patientId: request.patientId, appointmentId: request.appointmentId, visitStartsAt: request.visitStartsAt };
      await this.queue.add('recheck', data, {
        jobId: recheckJobId(request.appointmentId, request.visitStartsAt),
        delay: Math.max(0, at - Date.now()),
        removeOnComplete: 1000,
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
      });
    }
  }

  private async process(job: Job<RecheckJob>): Promise<void> {
    const { patientId, appointmentId, visitStartsAt } = job.data;
    const latest = latestRequestOf(await readDeterminations(this.options.store, patientId), appointmentId);
    // A visit moved since the job was scheduled has its own job; this one is stale.
    if (latest === undefined || latest.visitStartsAt !== visitStartsAt) return;
    const recorded = await recheckRequest(
      this.options.store,
      this.options.catalog,
      latest,
      { commandId: job.id!, correlationId: job.id! },
      this.options.onError,
      this.options.payer,
    );
    if (recorded) this.options.afterAppend();
  }
}
