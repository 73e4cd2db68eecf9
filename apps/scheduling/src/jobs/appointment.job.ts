import { type Job, type Queue, UnrecoverableError, type Worker } from 'bullmq';
import type { Pool } from 'pg';
import { type PostgresEventStore, Projection, type RecordedEvent, handle } from '@carebridge/event-store';
import { type JobQueues, type JobsConnection, type Logger, createLogger, jobQueues } from '@carebridge/platform';
import { type CommandMetadata, isDomainError } from '@carebridge/shared-kernel';
import type { Clock } from '../clock.port';
import { type Notifier, PREPARATION_TIPS, type WaitlistOffer } from '../notifications/notification.port';
import { appointmentDecider } from '../appointment/appointment.decider';
import { GraceNotOverError } from '../appointment/appointment.errors';
import type { AppointmentEvent } from '../appointment/appointment.events';
import { APPOINTMENT_STREAM_PREFIX, appointmentStreamId } from '../appointment/appointment.stream';
import type { SchedulingPolicy } from '../scheduling.policy';
import { type DeliveryChannel, type DeliveryKind, NotificationDeliveries, deliveryId } from './notification-deliveries.adapter';

export const APPOINTMENT_QUEUE = 'scheduling-appointments';
const MINUTE = 60_000;

export interface AppointmentJobsOptions {
  readonly store: PostgresEventStore;
  readonly pool: Pool;
  /** Redis (distributed profile) or BullMQ's PostgreSQL backend (embedded profile). */
  readonly connection: JobsConnection;
  readonly clock: Clock;
  readonly policy: SchedulingPolicy;
  readonly notifier: Notifier;
  /** Default: 24 h and 1 h before. */
  readonly reminderMinutesBefore?: readonly number[];
  readonly channels?: readonly ('sms' | 'email')[];
  readonly joinBaseUrl?: string;
  readonly rescheduleBaseUrl?: string;
  readonly onError?: (error: unknown) => void;
  /** Where a job that failed on its last attempt is reported (ids only); default: a logger of its own. */
  readonly logger?: Logger;
  /**
   * BullMQ retries of a failed job, exponential from `backoffMs` (attempt n waits backoffMs * 2^(n-1)).
   * Default 8 attempts from 15 s: retried for about 32 minutes, so an SMTP outage of that length
   * delays a 1 h reminder but does not lose it.
   */
  readonly retry?: { readonly attempts: number; readonly backoffMs: number };
  /** What to do when a waitlist offer's hold has expired (the waitlist offers the slot to the next entry). */
  readonly onWaitlistOfferExpired?: (slot: { providerId: string; start: string; end: string }) => Promise<void>;
}

const DEFAULT_RETRY = { attempts: 8, backoffMs: 15_000 };

interface ReminderJob {
  readonly appointmentId: string;
  readonly start: string;
  readonly minutesBefore: number;
}
interface NoShowJob {
  readonly appointmentId: string;
  readonly start: string;
}

// BullMQ refuses ':' in custom job ids.
export const reminderJobId = (appointmentId: string, start: string, minutesBefore: number): string =>
  `reminder_${appointmentId}_${Date.parse(start)}_${minutesBefore}`;
export const noShowJobId = (appointmentId: string, start: string): string => `no-show_${appointmentId}_${Date.parse(start)}`;
export const waitlistOfferJobId = (holdId: string): string => `waitlist-offer_${holdId}`;

/**
 * Reminder and no-show jobs of every appointment. A projection follows the log and keeps the
 * queue in step (booked: add; rescheduled: remove the old time's jobs, add the new; cancelled:
 * remove). Job ids name the appointment time, so re-adding is a no-op. A job only sends a command
 * through handle() with the job id as commandId; the decider ignores stale jobs (moved, cancelled)
 * and records a reminder once, before it is sent. Sending is at least once with de-duplication: for
 * each channel without a row in `notification_deliveries` (a new or a replayed append), the job sends
 * and then records the delivery, so a failed send is retried by BullMQ and a delivered one is never
 * sent again. A crash between a send and its row repeats that one message on the retry (the e-mail
 * keeps its Message-ID, so the receiver can drop it).
 */
export class AppointmentJobs {
  readonly queue: Queue;
  private worker?: Worker;
  private readonly projection: Projection;
  private readonly queues: JobQueues;
  private readonly reminderMinutes: readonly number[];
  private readonly deliveries: NotificationDeliveries;
  private readonly logger: Logger;
  /** Undelivered notifications being recorded: awaited on stop. */
  private readonly recording = new Set<Promise<void>>();

  constructor(private readonly options: AppointmentJobsOptions) {
    this.reminderMinutes = options.reminderMinutesBefore ?? [24 * 60, 60];
    this.deliveries = new NotificationDeliveries(options.pool, options.store.schema);
    this.logger = options.logger ?? createLogger({ service: 'scheduling' });
    this.queues = jobQueues(options.connection, options.onError ? { onError: options.onError } : {});
    this.queue = this.queues.queue(APPOINTMENT_QUEUE);
    this.projection = new Projection({
      name: 'appointment-jobs',
      store: options.store,
      pool: options.pool,
      // Queue calls are network I/O: never inside the projection's transaction.
      effect: (events) => this.follow(events),
      ...(options.onError && { onError: options.onError }),
    });
  }

  start(): void {
    this.projection.start();
    this.worker = this.queues.worker(
      APPOINTMENT_QUEUE,
      async (job) => {
        try {
          await this.process(job);
        } catch (error) {
          // Refused for good on every failed channel (a number the SMS API will not text, a patient
          // who replied STOP): no retry would deliver it, so it ends now.
          if (!(error instanceof NotificationNotDeliveredError) || !error.permanent) throw error;
          this.lastFailure(job, error, job.attemptsMade + 1);
          throw new UnrecoverableError(error.message);
        }
      },
      { concurrency: 4 },
    );
    this.worker.on('failed', (job, error) => {
      this.options.onError?.(error);
      if (job === undefined || error instanceof UnrecoverableError || job.attemptsMade < (job.opts.attempts ?? 1)) return;
      this.lastFailure(job, error, job.attemptsMade);
    });
  }

  /** A job that will not run again: logged by ids, and an undelivered notification recorded. */
  private lastFailure(job: Job, error: Error, attempts: number): void {
    const { appointmentId } = job.data as { appointmentId?: string };
    // No PHI: ids, the job and the sanitised reason (a notifier's own error can name the address).
    this.logger.error(
      {
        job: job.name,
        jobId: job.id,
        ...(appointmentId !== undefined && { appointmentId }),
        attempts,
        reason: error instanceof NotificationNotDeliveredError ? error.message : error.name,
      },
      'appointment job failed on its last attempt: not retried',
    );
    if (error instanceof NotificationNotDeliveredError) {
      const recording = this.recordUndelivered(job, error, attempts).finally(() => this.recording.delete(recording));
      this.recording.add(recording);
    }
  }

  /** The audit trail and the appointment say what did not reach the patient (the job recorded it as sent). */
  private async recordUndelivered(job: Job, error: NotificationNotDeliveredError, attempts: number): Promise<void> {
    const data = job.data as Partial<ReminderJob>;
    // An undelivered waitlist offer is in the log and the job; its hold passes the slot on.
    if (error.kind === 'waitlist-offer' || data.appointmentId === undefined || data.start === undefined) return;
    try {
      await handle(this.options.store, appointmentStreamId(data.appointmentId), appointmentDecider, {
        type: 'RecordNotificationUndelivered',
        data: {
          appointmentId: error.subjectId,
          kind: error.kind,
          start: data.start,
          ...(error.kind === 'reminder' && data.minutesBefore !== undefined && { minutesBefore: data.minutesBefore }),
          channels: error.failed.map((f) => f.channel),
          reasons: error.failed.map((f) => `${f.channel}: ${f.reason}`),
          attempts,
        },
        metadata: { ...this.metadata(job), commandId: `${job.id!}:undelivered` },
      });
    } catch (recordError) {
      this.options.onError?.(recordError);
      this.logger.error({ jobId: job.id, appointmentId: error.subjectId, err: recordError }, 'could not record the undelivered notification');
    }
  }

  async stop(): Promise<void> {
    await this.projection.stop();
    await this.queues.close();
    await Promise.all(this.recording);
  }

  // Runs before the checkpoint moves (no transaction held): a failure leaves the checkpoint and
  // the batch is followed again; adds are idempotent by job id and removals of missing jobs are no-ops.
  private async follow(events: readonly RecordedEvent[]): Promise<void> {
    for (const recorded of events) {
      if (!recorded.streamId.startsWith(APPOINTMENT_STREAM_PREFIX)) continue;
      const event = { type: recorded.type, data: recorded.data } as AppointmentEvent;
      switch (event.type) {
        case 'AppointmentBooked':
          await this.schedule(event.data.appointmentId, event.data.start);
          break;
        case 'AppointmentRescheduled':
          await this.unschedule(event.data.appointmentId, event.data.from.start);
          await this.schedule(event.data.appointmentId, event.data.to.start);
          break;
        case 'AppointmentCancelled':
          await this.unschedule(event.data.appointmentId, event.data.start);
          break;
        case 'PatientCheckedIn':
        case 'AppointmentNoShow':
        case 'AppointmentReminderSent':
        case 'AppointmentNotificationUndelivered':
        case 'AppointmentCoverageRecorded':
        case 'EmergencyRedirected':
        case 'InPersonRedirected':
        case 'TriageReviewed':
        case 'IntakeRead':
        case 'IntakeAttachmentAdded':
          break;
        default: {
          const exhaustive: never = event;
          throw new Error(`unhandled event ${JSON.stringify(exhaustive)}`);
        }
      }
    }
  }

  private async schedule(appointmentId: string, start: string): Promise<void> {
    const now = this.options.clock.now().getTime();
    const retry = this.options.retry ?? DEFAULT_RETRY;
    const options = { attempts: retry.attempts, backoff: { type: 'exponential', delay: retry.backoffMs }, removeOnComplete: 1_000, removeOnFail: 5_000 };
    for (const minutesBefore of this.reminderMinutes) {
      const runAt = Date.parse(start) - minutesBefore * MINUTE;
      if (runAt <= now) continue; // booked later than this reminder's time
      const data: ReminderJob = { appointmentId, start, minutesBefore };
      await this.queue.add('reminder', data, { ...options, jobId: reminderJobId(appointmentId, start, minutesBefore), delay: runAt - now });
    }
    const noShowAt = Date.parse(start) + this.options.policy.attendance.graceMinutes * MINUTE + 1_000;
    const data: NoShowJob = { appointmentId, start };
    await this.queue.add('no-show', data, { ...options, jobId: noShowJobId(appointmentId, start), delay: Math.max(0, noShowAt - now) });
  }

  /**
   * Tells the waitlisted patient of the slot held for them (a job: retried like a reminder, one
   * delivery per channel). The job id names the hold, so scheduling it again adds nothing.
   */
  async scheduleWaitlistOffer(offer: Omit<WaitlistOffer, 'deliveryId' | 'channels'>): Promise<void> {
    const retry = this.options.retry ?? DEFAULT_RETRY;
    await this.queue.add('waitlist-offer', offer, {
      jobId: waitlistOfferJobId(offer.holdId),
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs },
      removeOnComplete: 1_000,
      removeOnFail: 5_000,
    });
  }

  /** Passes an unused waitlist offer on once its hold has expired. */
  async scheduleWaitlistExpiry(slot: { providerId: string; start: string; end: string }, atMs: number): Promise<void> {
    const delay = Math.max(0, atMs - this.options.clock.now().getTime());
    await this.queue.add('waitlist-offer-expired', slot, {
      jobId: `waitlist-expiry_${slot.providerId}_${Date.parse(slot.start)}_${atMs}`,
      delay,
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: 1_000,
    });
  }

  private async unschedule(appointmentId: string, start: string): Promise<void> {
    const ids = [...this.reminderMinutes.map((m) => reminderJobId(appointmentId, start, m)), noShowJobId(appointmentId, start)];
    await Promise.all(ids.map((id) => this.queue.remove(id)));
  }

  private metadata(job: Job): CommandMetadata {
    return {
      now: this.options.clock.now(),
      actor: { id: 'scheduling-jobs', role: 'system' },
      correlationId: job.id!,
      commandId: job.id!,
      purpose: 'treatment',
    };
  }

  private async process(job: Job): Promise<void> {
    if (job.name === 'reminder') {
      const data = job.data as ReminderJob;
      const channels = this.options.channels ?? ['email'];
      // A reminder retried (or first run, after an outage) once the visit has begun is no reminder.
      if (this.options.clock.now().getTime() >= Date.parse(data.start)) {
        this.logger.warn({ appointmentId: data.appointmentId, jobId: job.id, start: data.start }, 'reminder not sent: the appointment has started');
        return;
      }
      const result = await handle(this.options.store, appointmentStreamId(data.appointmentId), appointmentDecider, {
        type: 'RecordReminderSent',
        data: { appointmentId: data.appointmentId, start: data.start, minutesBefore: data.minutesBefore, channels },
        metadata: this.metadata(job),
      });
      // Nothing recorded now or by an earlier attempt: moved, cancelled or already reminded by another job.
      if (result.newEvents.length === 0) return;
      const patientId = (result.newEvents[0]!.data as { patientId: string }).patientId;
      await this.deliver(job, 'reminder', data.appointmentId, channels, (channel, id) =>
        this.options.notifier.sendReminder({
          deliveryId: id,
          appointmentId: data.appointmentId,
          patientId,
          channels: [channel],
          start: data.start,
          minutesBefore: data.minutesBefore,
          joinUrl: `${this.options.joinBaseUrl ?? 'https://visits.carebridge.local/join'}/${data.appointmentId}`,
          preparationTips: PREPARATION_TIPS,
        }),
      );
      return;
    }
    if (job.name === 'waitlist-offer') {
      const offer = job.data as Omit<WaitlistOffer, 'deliveryId' | 'channels'>;
      // A retry after the hold expired tells the patient of a slot that is no longer theirs.
      if (this.options.clock.now().getTime() >= Date.parse(offer.expiresAt)) {
        this.logger.warn({ entryId: offer.entryId, jobId: job.id, expiresAt: offer.expiresAt }, 'waitlist offer not sent: its hold has expired');
        return;
      }
      await this.deliver(job, 'waitlist-offer', offer.entryId, this.options.channels ?? ['email'], (channel, id) =>
        this.options.notifier.sendWaitlistOffer({ ...offer, deliveryId: id, channels: [channel] }),
      );
      return;
    }
    if (job.name === 'waitlist-offer-expired') {
      await this.options.onWaitlistOfferExpired?.(job.data as { providerId: string; start: string; end: string });
      return;
    }
    if (job.name === 'no-show') {
      const data = job.data as NoShowJob;
      let marked;
      try {
        marked = await handle(this.options.store, appointmentStreamId(data.appointmentId), appointmentDecider, {
          type: 'MarkNoShow',
          data: { appointmentId: data.appointmentId, policy: this.options.policy.attendance, scheduledStart: data.start },
          metadata: this.metadata(job),
        });
      } catch (error) {
        // Checked in, cancelled or moved: nothing to mark. Too early (clock skew): retried.
        if (isDomainError(error) && !(error instanceof GraceNotOverError)) return;
        throw error;
      }
      if (marked.newEvents.length === 0) return;
      const patientId = (marked.newEvents[0]!.data as { patientId: string }).patientId;
      const rescheduleUrl = `${this.options.rescheduleBaseUrl ?? 'https://portal.carebridge.local/appointments'}/${data.appointmentId}/reschedule`;
      await this.deliver(job, 'no-show', data.appointmentId, this.options.channels ?? ['email'], (channel, id) =>
        this.options.notifier.sendNoShowFollowUp({ deliveryId: id, appointmentId: data.appointmentId, patientId, channels: [channel], rescheduleUrl }),
      );
    }
  }

  /**
   * Sends on every channel not delivered yet, then records each delivery; a channel that fails does
   * not stop the others, and the job then throws so BullMQ retries only what is missing. Each step is
   * its own statement: nothing is held open while the notifier is awaited.
   */
  private async deliver(
    job: Job,
    kind: DeliveryKind,
    subjectId: string,
    channels: readonly DeliveryChannel[],
    send: (channel: DeliveryChannel, deliveryId: string) => Promise<void>,
  ): Promise<void> {
    const done = await this.deliveries.delivered(channels.map((channel) => deliveryId(job.id!, channel)));
    const failed: { channel: DeliveryChannel; reason: string; permanent: boolean }[] = [];
    for (const channel of channels) {
      const id = deliveryId(job.id!, channel);
      if (done.has(id)) continue;
      try {
        await send(channel, id);
      } catch (error) {
        failed.push({ channel, reason: reasonOf(error), permanent: (error as { permanent?: unknown } | null)?.permanent === true });
        continue;
      }
      await this.deliveries.record({ deliveryId: id, subjectId, kind, channel, deliveredAt: this.options.clock.now() });
    }
    if (failed.length > 0) throw new NotificationNotDeliveredError(kind, subjectId, failed);
  }
}

/**
 * A notifier failure as the job reports it: ids, channels and the error's code only. The notifier's
 * own message can name the patient's address (an SMTP 550 echoes the recipient), and BullMQ stores
 * the job's failure reason in Redis.
 */
export class NotificationNotDeliveredError extends Error {
  override readonly name = 'NotificationNotDeliveredError';

  constructor(
    readonly kind: DeliveryKind,
    /** The appointment of a reminder or no-show invitation; the waitlist entry of an offer. */
    readonly subjectId: string,
    readonly failed: readonly { channel: DeliveryChannel; reason: string; permanent: boolean }[],
  ) {
    super(`${kind} of ${kind === 'waitlist-offer' ? 'waitlist entry' : 'appointment'} ${subjectId} not delivered: ${failed.map((f) => `${f.channel} (${f.reason})`).join(', ')}`);
  }

  /** Every failed channel was refused for a reason no retry changes. */
  get permanent(): boolean {
    return this.failed.every((f) => f.permanent);
  }
}

const reasonOf = (error: unknown): string => {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  const parts = [code, responseCode].filter((part) => typeof part === 'string' || typeof part === 'number');
  if (parts.length > 0) return parts.join(' ');
  return error instanceof Error ? error.name : 'unknown error';
};
