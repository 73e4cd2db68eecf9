import { randomUUID } from 'node:crypto';
import { nameBasedUuid } from '@carebridge/shared-kernel';
import { DuplicateEventIdError, type EventMetadata, type PostgresEventStore, quoteIdent } from '@carebridge/event-store';
import type { Pool } from 'pg';
import type { DeviceAssignments } from '../enrolment/device-assignments.projection';
import { type IntakeDecision, type ReadingOutcome, decideIntake } from './reading-intake.rules';
import type { RawReading } from './reading.rules';
import { readingsStreamId } from './readings.stream';
import type { ReadingRecorded } from './readings.events';

export interface IntakeRequest {
  readonly readings: readonly RawReading[];
  readonly metadata: EventMetadata;
  readonly now: Date;
  readonly onlyDevice?: string;
  readonly onlyPatient?: string;
}

export interface IntakeSummary {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly results: readonly ReadingOutcome[];
}

const READINGS_PER_STREAM = 1_000;

/** Counters for /metrics and the benchmark. */
export interface IntakeCounters {
  accepted: number;
  duplicates: number;
  rejected: number;
  unassigned: number;
}

/**
 * The high-volume path: one query for the devices' assignments, one for the readings already
 * stored, then one append of all accepted readings (1,000 a stream, see readings.stream.ts). A reading's id comes from (device, type, measured-at), so a
 * resent reading is a duplicate, never a second row.
 */
export class ReadingIntake {
  readonly counters: IntakeCounters = { accepted: 0, duplicates: 0, rejected: 0, unassigned: 0 };
  private readonly existingSql: string;

  constructor(
    private readonly deps: {
      readonly store: PostgresEventStore;
      readonly pool: Pool;
      readonly assignments: DeviceAssignments;
      /** Threshold alerts for the readings just stored, before the request answers (alerts/alerting.reactor.ts says why). */
      readonly alerting?: { evaluateStored(readings: readonly ReadingRecorded['data'][]): Promise<void> };
      /** After readings were stored: wakes the followers of the log (read models, alerting, live view). */
      readonly onStored?: () => void;
      /** A failure of `alerting` loses nothing (the alerting follower evaluates every stored reading): logged, not answered. */
      readonly onError?: (error: unknown) => void;
    },
  ) {
    this.existingSql = `SELECT event_id::text AS id FROM ${quoteIdent(deps.store.schema)}.events WHERE event_id = ANY($1::uuid[])`;
  }

  async ingest(request: IntakeRequest): Promise<IntakeSummary> {
    const readings = request.readings.map((raw) => ({ raw, readingId: readingIdOf(raw) }));
    const deviceIds = [...new Set(request.readings.map((r) => r.deviceId))];
    const [assignments, stored] = await Promise.all([this.deps.assignments.assignments(deviceIds), this.storedIds(readings.map((r) => r.readingId))]);
    const decision = decideIntake({
      readings,
      assignments,
      stored,
      now: request.now,
      ...(request.onlyDevice !== undefined && { onlyDevice: request.onlyDevice }),
      ...(request.onlyPatient !== undefined && { onlyPatient: request.onlyPatient }),
    });
    const raced = await this.append(decision, request.metadata);
    const results = decision.outcomes.map((o) =>
      o.status === 'accepted' && raced.has(o.readingId) ? ({ index: o.index, status: 'duplicate', readingId: o.readingId } as const) : o,
    );
    const summary = {
      accepted: results.filter((r) => r.status === 'accepted').length,
      duplicates: results.filter((r) => r.status === 'duplicate').length,
      rejected: results.filter((r) => r.status === 'rejected').length,
      results,
    };
    this.counters.accepted += summary.accepted;
    this.counters.duplicates += summary.duplicates;
    this.counters.rejected += summary.rejected;
    this.counters.unassigned += results.filter((r) => r.status === 'rejected' && r.reason.startsWith('UNASSIGNED_DEVICE')).length;
    if (summary.accepted > 0) {
      this.deps.onStored?.();
      const stored = decision.events.filter((e) => !raced.has(e.data.readingId)).map((e) => e.data);
      await this.deps.alerting?.evaluateStored(stored).catch((error: unknown) => this.deps.onError?.(error));
    }
    return summary;
  }

  /** Appends the accepted readings, 1,000 a stream; returns reading ids another request stored first (duplicates after all). */
  private async append(decision: IntakeDecision, metadata: EventMetadata): Promise<Set<string>> {
    const raced = new Set<string>();
    const batchId = randomUUID();
    const parts: IntakeDecision['events'][] = [];
    for (let i = 0; i < decision.events.length; i += READINGS_PER_STREAM) parts.push(decision.events.slice(i, i + READINGS_PER_STREAM));
    await Promise.all(
      parts.map(async (part, n) => {
        const streamId = readingsStreamId(batchId, n);
        let events = part;
        for (let attempt = 0; events.length > 0; attempt++) {
          try {
            await this.deps.store.append(
              streamId,
              'any',
              events.map((e) => ({ id: e.data.readingId, type: e.type, data: e.data })),
              metadata,
            );
            return;
          } catch (error) {
            // A concurrent request stored some of the same readings: drop those and append the rest.
            if (!(error instanceof DuplicateEventIdError) || attempt >= 3) throw error;
            const already = await this.storedIds(events.map((e) => e.data.readingId));
            already.forEach((id) => raced.add(id));
            events = events.filter((e) => !already.has(e.data.readingId));
          }
        }
      }),
    );
    return raced;
  }

  private async storedIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const { rows } = await this.deps.pool.query<{ id: string }>(this.existingSql, [ids]);
    return new Set(rows.map((r) => r.id));
  }
}

/** UUID (nameBasedUuid) from device, type and measurement instant: the dedupe key of a reading. */
export function readingIdOf(raw: Pick<RawReading, 'deviceId' | 'type' | 'measuredAt'>): string {
  const at = Date.parse(raw.measuredAt);
  const instant = Number.isNaN(at) ? raw.measuredAt : new Date(at).toISOString();
  return nameBasedUuid(`carebridge:reading:${raw.deviceId.toLowerCase()}:${raw.type}:${instant}`);
}
