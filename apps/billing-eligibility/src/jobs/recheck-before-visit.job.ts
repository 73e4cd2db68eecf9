import type { Job, Queue, Worker } from 'bullmq';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { type PostgresEventStore, Projection, type RecordedEvent } from '@carebridge/event-store';
import { type JobQueues, type JobsConnection, jobQueues } from '@carebridge/platform';
import type { EligibilityDetermined, EligibilityRequest } from '../eligibility/eligibility.events';
import { latestRequestOf, readDeterminations } from '../eligibility/eligibility.projection';
import { recheckRequest } from '../eligibility/recheck.handler';
import { eligibilityStreamId } from '../eligibility/eligibility.stream';
import type { PayerCheckOptions } from '../payer/payer-check.handler';
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

/** Asks the payer about an answer given by the rules alone (from a booking or a coverage change). */
interface PayerFollowUpJob {
  readonly patientId: string;
  readonly appointmentId: string;
}

export const payerFollowUpJobId = (determinationId: string): string => `payer_${determinationId}`;

/** An answer that carries no word from the payer yet (the rules alone, or input the payer is not asked about). */
const withoutPayerWord = (determination: EligibilityDetermined['data']['determination']): boolean =>
  !determination.reasons.some((r) => r.code.startsWith('PAYER.'));

// BullMQ refuses ':' in custom job ids; the start time in the id makes a moved visit a new job.
export const recheckJobId = (appointmentId: string, visitStartsAt: string): string =>
  `recheck_${appointmentId}_${Date.parse(visitStartsAt)}`;

/**
 * Checks each appointment's answer again 24 h before the visit (BullMQ delayed job). A projection
 * schedules a job for every determination that names the visit's start; the job only sends a
 * command through handle() (commandId = job id), and a changed answer is recorded and published.
 * With a payer configured, an answer the rules gave alone (the Kafka consumer and the coverage
 * reactor answer inside a database transaction, which must not wait on the payer) is followed at
 * once by a job that asks the payer and records the answer if the payer changed it (its word,
 * cost share or outcome). An unreachable payer is retried by the job (5 attempts) rather than
 * turning the answer into `unknown`; after the last one the rules' answer stands until the 24 h
 * re-check.
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
    this.worker = this.queues.worker(
      RECHECK_QUEUE,
      (job: Job<RecheckJob | PayerFollowUpJob>) => (job.name === 'payer-follow-up' ? this.followUp(job as Job<PayerFollowUpJob>) : this.process(job as Job<RecheckJob>)),
      { concurrency: 2 },
    );
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
      const { request, determination, determinationId } = event.data as EligibilityDetermined['data'];
      if (request.appointmentId === undefined) continue;
      // Answered by the service itself (consumer, reactor), not a person's check (which asks the payer then).
      const bySystem = event.metadata.actor.role === 'system';
      if (this.options.payer !== undefined && bySystem && withoutPayerWord(determination) && request.missingFacts === undefined && request.invalidFacts === undefined) {
        const data: PayerFollowUpJob = { patientId: request.patientId, appointmentId: request.appointmentId };
        await this.queue.add('payer-follow-up', data, {
          jobId: payerFollowUpJobId(determinationId),
          removeOnComplete: 1000,
          removeOnFail: 5000,
          attempts: 5,
          backoff: { type: 'exponential', delay: 2000 },
        });
      }
      if (request.visitStartsAt === undefined) continue;
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

  private async followUp(job: Job<PayerFollowUpJob>): Promise<void> {
    const { patientId, appointmentId } = job.data;
    const events = await this.options.store.readStream(eligibilityStreamId(patientId));
    // Cancelled since: nobody needs the payer's word, and the patient's data stays here.
    if (events.some((e) => e.type === 'AppointmentWithdrawn' && (e.data as { appointmentId: string }).appointmentId === appointmentId)) return;
    // The appointment's latest request (a reschedule since is asked about at its new date).
    const answered = events.filter((e) => e.type === 'EligibilityDetermined').map((e) => e.data as EligibilityDetermined['data']);
    const latest = latestRequestOf(answered, appointmentId);
    if (latest === undefined) return;
    // A visit that has begun is billed on what was known; the 271 would change nothing for it.
    if (latest.visitStartsAt !== undefined && Date.parse(latest.visitStartsAt) <= Date.now()) return;
    await this.recheck(job, latest, { retryIfPayerUnreachable: true });
  }

  private async process(job: Job<RecheckJob>): Promise<void> {
    const { patientId, appointmentId, visitStartsAt } = job.data;
    const latest = latestRequestOf(await readDeterminations(this.options.store, patientId), appointmentId);
    // A visit moved since the job was scheduled has its own job; this one is stale.
    if (latest === undefined || latest.visitStartsAt !== visitStartsAt) return;
    await this.recheck(job, latest);
  }

  /** Answers `request` again (the payer asked when configured) with the job id as command id. */
  private async recheck(job: Job, request: EligibilityRequest, options: { readonly retryIfPayerUnreachable?: boolean } = {}): Promise<void> {
    const cause = { commandId: job.id!, correlationId: job.id! };
    const recorded = await recheckRequest(this.options.store, this.options.catalog, request, cause, this.options.onError, this.options.payer, options);
    if (recorded) this.options.afterAppend();
  }
}
