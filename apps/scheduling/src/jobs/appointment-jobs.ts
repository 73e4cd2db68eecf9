import type { Job, Queue, Worker } from 'bullmq';
import type { Pool } from 'pg';
import { type PostgresEventStore, Projection, type RecordedEvent, handle } from '@carebridge/event-store';
import { type JobQueues, type JobsConnection, jobQueues } from '@carebridge/platform';
import { type CommandMetadata, isDomainError } from '@carebridge/shared-kernel';
import type { Clock } from '../clock';
import { type Notifier, PREPARATION_TIPS } from '../notifications/notification.port';
import { GraceNotOverError, providerDayDecider } from '../provider-day/provider-day.decider';
import type { ProviderDayEvent } from '../provider-day/provider-day.events';
import type { SchedulingPolicy } from '../scheduling.policy';

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
}

interface ReminderJob {
  readonly appointmentId: string;
  readonly streamId: string;
  readonly start: string;
  readonly minutesBefore: number;
}
interface NoShowJob {
  readonly appointmentId: string;
  readonly streamId: string;
  readonly start: string;
}

// BullMQ refuses ':' in custom job ids.
export const reminderJobId = (appointmentId: string, start: string, minutesBefore: number): string =>
  `reminder_${appointmentId}_${Date.parse(start)}_${minutesBefore}`;
export const noShowJobId = (appointmentId: string, start: string): string => `no-show_${appointmentId}_${Date.parse(start)}`;

/**
 * Reminder and no-show jobs of every appointment. A projection follows the log and keeps the
 * queue in step (booked: add; rescheduled: remove the old time's jobs, add the new; cancelled:
 * remove). Job ids name the appointment time, so re-adding is a no-op. A job only sends a command
 * through handle() with the job id as commandId; the decider ignores stale jobs (moved, cancelled)
 * and records a reminder once, before it is sent, so a retried job never sends twice.
 */
export class AppointmentJobs {
  readonly queue: Queue;
  /** Set by the composition root: what to do when a waitlist offer's hold has expired. */
  onWaitlistOfferExpired?: (slot: { providerId: string; start: string; end: string }) => Promise<void>;
  private worker?: Worker;
  private readonly projection: Projection;
  private readonly queues: JobQueues;
  private readonly reminderMinutes: readonly number[];

  constructor(private readonly options: AppointmentJobsOptions) {
    this.reminderMinutes = options.reminderMinutesBefore ?? [24 * 60, 60];
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
    this.worker = this.queues.worker(APPOINTMENT_QUEUE, (job) => this.process(job), { concurrency: 4 });
    if (this.options.onError) this.worker.on('failed', (_job, error) => this.options.onError!(error));
  }

  async stop(): Promise<void> {
    await this.projection.stop();
    await this.queues.close();
  }

  // Runs before the checkpoint moves (no transaction held): a failure leaves the checkpoint and
  // the batch is followed again; adds are idempotent by job id and removals of missing jobs are no-ops.
  private async follow(events: readonly RecordedEvent[]): Promise<void> {
    for (const recorded of events) {
      if (!recorded.streamId.startsWith('provider-day-')) continue;
      const event = { type: recorded.type, data: recorded.data } as ProviderDayEvent;
      switch (event.type) {
        case 'AppointmentBooked':
          await this.schedule(event.data.appointmentId, recorded.streamId, event.data.start);
          break;
        case 'AppointmentMovedIn':
          await this.unschedule(event.data.appointmentId, event.data.from.start);
          await this.schedule(event.data.appointmentId, recorded.streamId, event.data.start);
          break;
        case 'AppointmentRescheduled':
          await this.unschedule(event.data.appointmentId, event.data.from.start);
          await this.schedule(event.data.appointmentId, recorded.streamId, event.data.to.start);
          break;
        case 'AppointmentCancelled':
          await this.unschedule(event.data.appointmentId, event.data.start);
          break;
        case 'PatientCheckedIn':
        case 'AppointmentNoShow':
        case 'AppointmentReminderSent':
        case 'AppointmentCoverageRecorded':
        case 'AppointmentMovedOut':
        case 'SlotHeld':
        case 'EmergencyRedirected':
        case 'DoubleBookingAuthorized':
        case 'IntakeRead':
        case 'GroupSessionScheduled':
        case 'IntakeAttachmentAdded':
          break;
        default: {
          const exhaustive: never = event;
          throw new Error(`unhandled event ${JSON.stringify(exhaustive)}`);
        }
      }
    }
  }

  private async schedule(appointmentId: string, streamId: string, start: string): Promise<void> {
    const now = this.options.clock.now().getTime();
    const options = { attempts: 5, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: 1_000, removeOnFail: 5_000 };
    for (const minutesBefore of this.reminderMinutes) {
      const runAt = Date.parse(start) - minutesBefore * MINUTE;
      if (runAt <= now) continue; // booked later than this reminder's time
      const data: ReminderJob = { appointmentId, streamId, start, minutesBefore };
      await this.queue.add('reminder', data, { ...options, jobId: reminderJobId(appointmentId, start, minutesBefore), delay: runAt - now });
    }
    const noShowAt = Date.parse(start) + this.options.policy.attendance.graceMinutes * MINUTE + 1_000;
    const data: NoShowJob = { appointmentId, streamId, start };
    await this.queue.add('no-show', data, { ...options, jobId: noShowJobId(appointmentId, start), delay: Math.max(0, noShowAt - now) });
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
      const result = await handle(this.options.store, data.streamId, providerDayDecider, {
        type: 'RecordReminderSent',
        data: { appointmentId: data.appointmentId, start: data.start, minutesBefore: data.minutesBefore, channels },
        metadata: this.metadata(job),
      });
      if (result.replayed || result.newEvents.length === 0) return;
      const patientId = (result.newEvents[0]!.data as { patientId: string }).patientId;
      await this.options.notifier.sendReminder({
        appointmentId: data.appointmentId,
        patientId,
        channels,
        start: data.start,
        minutesBefore: data.minutesBefore,
        joinUrl: `${this.options.joinBaseUrl ?? 'https://visits.carebridge.local/join'}/${data.appointmentId}`,
        preparationTips: PREPARATION_TIPS,
      });
      return;
    }
    if (job.name === 'waitlist-offer-expired') {
      await this.onWaitlistOfferExpired?.(job.data as { providerId: string; start: string; end: string });
      return;
    }
    if (job.name === 'no-show') {
      const data = job.data as NoShowJob;
      let marked;
      try {
        marked = await handle(this.options.store, data.streamId, providerDayDecider, {
          type: 'MarkNoShow',
          data: { appointmentId: data.appointmentId, policy: this.options.policy.attendance, scheduledStart: data.start },
          metadata: this.metadata(job),
        });
      } catch (error) {
        // Checked in, cancelled or moved: nothing to mark. Too early (clock skew): retried.
        if (isDomainError(error) && !(error instanceof GraceNotOverError)) return;
        throw error;
      }
      // Like reminders: recorded first, so a rerun of the job does not invite twice.
      if (marked.replayed || marked.newEvents.length === 0) return;
      await this.options.notifier.sendNoShowFollowUp({
        appointmentId: data.appointmentId,
        patientId: (marked.newEvents[0]!.data as { patientId: string }).patientId,
        channels: this.options.channels ?? ['email'],
        rescheduleUrl: `${this.options.rescheduleBaseUrl ?? 'https://portal.carebridge.local/appointments'}/${data.appointmentId}/reschedule`,
      });
    }
  }
}
