import { type PostgresEventStore, Projection, type RecordedEvent, deterministicEventId, handle } from '@carebridge/event-store';
import type { Pool } from 'pg';
import type { Clock } from '../clock';
import type { MonitoredPatients } from '../enrolment/monitored-patients.projection';
import type { MonitoringProjections } from '../monitoring.projections';
import type { Reading, Readings } from '../readings/readings.projection';
import { alertDecider } from './alert.decider';
import type { AlertEvent } from './alert.events';
import { type AlertingInput, type AlertingOutput, type AlertingState, decideAlerting, historyKey, historyWanted } from '../care-plan/alerting.decider';
import { alertStreamId } from './alert.stream';

export interface EscalationScheduler {
  schedule(job: { streamId: string; alertId: string; level: number }, delayMs: number): Promise<void>;
}

/** The checkpoint of alerting (the name it always had: a deployed service resumes where it was). */
export const ALERTING_PROJECTION = 'alerting';

/**
 * The one place alerting decides: a follower of the event store with its own checkpoint, which
 * hands each batch to the pure `decideAlerting` and carries out what it returns.
 *
 * Why here and not in the ingest request: the checkpoint moves only after the alert commands
 * are stored and the escalation jobs queued, so a crash (or a failed append) anywhere after the
 * readings were stored evaluates them again: at least once, and harmless twice (the alert
 * decider attaches only readings it does not hold; job ids are alert + level). An evaluation in
 * the ingest request (the former fast path) is lost when the process dies between the append and
 * the evaluation, and could only run threshold rules. Latency holds because this follower reads
 * the log itself (nudged after each append) instead of trailing the read models: threshold rules
 * need no history and never wait for them; only a batch with a trend or adherence rule to check
 * waits until the readings read model holds it.
 */
export class AlertingReactor {
  readonly projection: Projection;

  constructor(
    private readonly deps: {
      readonly store: PostgresEventStore;
      readonly pool: Pool;
      readonly projections: MonitoringProjections;
      readonly patients: MonitoredPatients;
      readonly readings: Readings;
      readonly clock: Clock;
      readonly escalations?: EscalationScheduler;
      readonly onError?: (error: unknown) => void;
    },
  ) {
    this.projection = new Projection({
      name: ALERTING_PROJECTION,
      store: deps.store,
      pool: deps.pool,
      // Large batches: under full load the follower must read as fast as readings are stored.
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
    const readings: Reading[] = [];
    const inputs: AlertingInput[] = [];
    for (const recorded of events) {
      if (recorded.type === 'ReadingRecorded') {
        readings.push(recorded.data as Reading);
        continue;
      }
      const event = { type: recorded.type, data: recorded.data } as AlertEvent;
      if (event.type === 'AlertRaised' || event.type === 'AlertEscalated') {
        const level = event.type === 'AlertRaised' ? 0 : event.data.level;
        const { alertId, escalateAfterSeconds } = event.data;
        inputs.push({ type: event.type, streamId: recorded.streamId, alertId, level, escalateAfterSeconds, recordedAt: recorded.recordedAt });
      }
    }
    if (readings.length > 0) inputs.unshift({ type: 'ReadingsRecorded', readings });
    if (inputs.length === 0) return;
    const state = readings.length > 0 ? await this.stateFor(readings, events.at(-1)!.globalPosition) : { patients: new Map(), history: new Map() };
    const now = this.deps.clock.now();
    await Promise.all(inputs.flatMap((input) => decideAlerting(input, state, now)).map((output) => this.carryOut(output)));
  }

  /** The care plans of the readings' patients and, for trend and adherence rules only, their history. */
  private async stateFor(readings: readonly Reading[], last: number): Promise<AlertingState> {
    const ids = [...new Set(readings.map((r) => r.patientId))];
    let patients = await this.deps.patients.patients(ids);
    // Readings are accepted only for patients the read model holds; after a rebuild it may not yet.
    if (patients.size < ids.length) {
      await this.deps.projections.waitFor(last, 30_000);
      patients = await this.deps.patients.patients(ids);
    }
    const wanted = historyWanted(readings, patients);
    const history = new Map<string, Reading[]>();
    if (wanted.length > 0) {
      await this.deps.projections.waitFor(last, 30_000);
      for (const row of await this.deps.readings.history(wanted)) {
        const key = historyKey(row.patientId, row.kind);
        const list = history.get(key);
        if (list) list.push(row);
        else history.set(key, [row]);
      }
    }
    return { patients, history };
  }

  private async carryOut(output: AlertingOutput): Promise<void> {
    switch (output.kind) {
      case 'raise': {
        const streamId = alertStreamId(output.alert.patientId, output.alert.ruleId);
        // Named by its first reading: a replayed batch raises the same alert.
        const alertId = deterministicEventId(streamId, `alert:${output.causeReadingId}`, 0);
        await handle(this.deps.store, streamId, alertDecider, { type: 'RaiseAlert', data: { alertId, ...output.alert }, metadata: output.metadata });
        return;
      }
      case 'escalate':
        // Without a job connection alerts never escalate (see MonitoringModuleOptions.jobs).
        await this.deps.escalations?.schedule(output.job, output.dueAt.getTime() - this.deps.clock.now().getTime());
        return;
      case 'ignore':
        return;
      default: {
        const _exhaustive: never = output;
        void _exhaustive;
      }
    }
  }
}
