import { type PostgresEventStore, Projection, type RecordedEvent } from '@carebridge/event-store';
import type { Pool } from 'pg';
import type { Clock } from '../clock.port';
import { type AlertingInput, decideAlerting } from '../care-plan/alerting.decider';
import type { AlertEvent } from './alert.events';

export interface EscalationScheduler {
  schedule(job: { streamId: string; alertId: string; level: number }, delayMs: number): Promise<void>;
}

/** The checkpoint (the name alerting always had: a deployed service resumes where it was). */
export const ALERT_ESCALATION_PROJECTION = 'alerting';

/**
 * Schedules the escalation job of every alert raised or escalated. A follower, not the ingest
 * request: the job must be queued even when the process dies after the alert was stored, so the
 * checkpoint moves only after the jobs are queued (at least once; job ids are alert + level, so
 * twice is harmless). It evaluates no reading: the alerting rules run in the ingest
 * (readings/reading-intake.ts), which stores each alert with its readings.
 */
export class AlertEscalationReactor {
  readonly projection: Projection;

  constructor(
    private readonly deps: {
      readonly store: PostgresEventStore;
      readonly pool: Pool;
      readonly clock: Clock;
      readonly escalations: EscalationScheduler;
      readonly onError?: (error: unknown) => void;
    },
  ) {
    this.projection = new Projection({
      name: ALERT_ESCALATION_PROJECTION,
      store: deps.store,
      pool: deps.pool,
      // Large batches: under full load most events are readings, skipped here.
      batchSize: 10_000,
      effect: (events) => this.react(events),
      ...(deps.onError && { onError: deps.onError }),
    });
  }

  start(): void {
    this.projection.start();
  }

  stop(): Promise<void> {
    return this.projection.stop();
  }

  nudge(): void {
    this.projection.nudge();
  }

  private async react(events: readonly RecordedEvent[]): Promise<void> {
    const now = this.deps.clock.now();
    const inputs: AlertingInput[] = [];
    for (const recorded of events) {
      if (recorded.type !== 'AlertRaised' && recorded.type !== 'AlertEscalated') continue;
      const event = { type: recorded.type, data: recorded.data } as Extract<AlertEvent, { type: 'AlertRaised' | 'AlertEscalated' }>;
      const level = event.type === 'AlertRaised' ? 0 : event.data.level;
      const { alertId, escalateAfterSeconds } = event.data;
      inputs.push({ type: event.type, streamId: recorded.streamId, alertId, level, escalateAfterSeconds, recordedAt: recorded.recordedAt });
    }
    await Promise.all(
      inputs
        .flatMap((input) => decideAlerting(input, { patients: new Map(), history: new Map() }, now))
        .map((output) => (output.kind === 'escalate' ? this.deps.escalations.schedule(output.job, output.dueAt.getTime() - now.getTime()) : undefined)),
    );
  }
}
