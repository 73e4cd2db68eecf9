import { randomUUID } from 'node:crypto';
import { asArray, nameBasedUuid } from '@carebridge/shared-kernel';
import {
  DuplicateEventIdError,
  type EventMetadata,
  type PostgresEventStore,
  type StreamAppend,
  WrongExpectedVersionError,
  deterministicEventId,
  metadataOf,
  quoteIdent,
} from '@carebridge/event-store';
import type { Pool } from 'pg';
import { alertDecider } from '../alerts/alert.decider';
import { alertStreamId } from '../alerts/alert.stream';
import { type AlertingState, type RaiseAlert, decideAlerting, historyKey, historyWanted } from '../care-plan/alerting.decider';
import type { DeviceAssignments } from '../enrolment/device-assignments.projection';
import type { MonitoredPatients } from '../enrolment/monitored-patients.projection';
import { type IntakeDecision, type ReadingOutcome, decideIntake } from './reading-intake.rules';
import type { RawReading } from './reading.rules';
import type { Reading, Readings } from './readings.projection';
import { readingsStreamId } from './readings.stream';

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
/** Re-read and decide again this many times when a concurrent request stored the same readings or moved an alert stream. */
const RETRIES = 5;

/** Counters for /metrics and the benchmark. */
export interface IntakeCounters {
  accepted: number;
  duplicates: number;
  rejected: number;
  unassigned: number;
}

/**
 * Recording readings, from every route (the batch and device HTTP endpoints, the device-gateway
 * consumer): one query for the devices' assignments, one for the readings already stored, the
 * alerting rules (care-plan/alerting.decider.ts, decided here and nowhere else), then one
 * transaction that stores the accepted readings (1,000 a stream, see readings.stream.ts) and
 * the alerts they raise. A reading's id comes from (device, type, measured-at), so a resent
 * reading is a duplicate, never a second row, and raises nothing again; a reading is never
 * stored without its alert, so no follower has to evaluate the log again.
 */
export class ReadingIntake {
  readonly counters: IntakeCounters = { accepted: 0, duplicates: 0, rejected: 0, unassigned: 0 };
  private readonly existingSql: string;
  private readonly newerSql: string;

  constructor(
    private readonly deps: {
      readonly store: PostgresEventStore;
      readonly pool: Pool;
      readonly assignments: DeviceAssignments;
      /** The care plans alerting evaluates. */
      readonly patients: MonitoredPatients;
      /** Earlier readings, for trend and adherence rules. */
      readonly readings: Readings;
      /** The read side: the readings read model holds every reading stored before a request once it reaches the head. */
      readonly projections: { waitFor(position: number, timeoutMs?: number): Promise<void> };
      /** After readings were stored: wakes the followers of the log (read models, live view). */
      readonly onStored?: () => void;
    },
  ) {
    const events = `${quoteIdent(deps.store.schema)}.events`;
    this.existingSql = `SELECT event_id::text AS id FROM ${events} WHERE event_id = ANY($1::uuid[])`;
    this.newerSql = `SELECT 1 FROM ${events} WHERE global_position > $1 AND event_type = 'ReadingRecorded'
                       AND (data->>'patientId') || '/' || (data->>'kind') = ANY($2::text[]) LIMIT 1`;
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
    const raced = await this.record(decision, request);
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
    if (summary.accepted > 0) this.deps.onStored?.();
    return summary;
  }

  /**
   * Stores the accepted readings and their alerts in one transaction (one statement: one
   * reservation of log positions, see PostgresEventStore.appendMany); returns
   * reading ids another request stored first (duplicates after all: that request raised their
   * alerts). A concurrent write to the same readings or alert streams refuses the whole
   * transaction: decide again.
   */
  private async record(decision: IntakeDecision, request: IntakeRequest): Promise<Set<string>> {
    const raced = new Set<string>();
    const batchId = randomUUID();
    let readings = decision.events.map((e) => e.data);
    for (let attempt = 0; readings.length > 0; attempt++) {
      const { alerts, history } = await this.alertsFor(readings, request.now);
      const appends = [...readingAppends(batchId, readings, request.metadata), ...alerts];
      try {
        if (history) await this.appendWithHistory(appends, history);
        else if (appends.length === 1) await this.deps.store.append(appends[0]!.streamId, appends[0]!.expected, appends[0]!.events, appends[0]!.metadata);
        else await this.deps.store.appendMany(appends);
        return raced;
      } catch (error) {
        if (attempt >= RETRIES || !decideAgain(error)) throw error;
        // The readings that moved the history are committed: decide again once the head shows them.
        if (error instanceof HistoryMovedError) await this.deps.store.settled(30_000);
        if (error instanceof DuplicateEventIdError) {
          const already = await this.storedIds(readings.map((r) => r.readingId));
          already.forEach((id) => raced.add(id));
          readings = readings.filter((r) => !already.has(r.readingId));
        }
      }
    }
    return raced;
  }

  /**
   * The write of a batch whose trend or adherence rules read history: one writer at a time per
   * patient and kind (a transaction advisory lock), and refused when a reading of those was
   * stored after the history was read (two requests at once: the later decides again, seeing the
   * earlier's readings), so no comparison between two requests' readings is skipped.
   */
  private async appendWithHistory(appends: readonly StreamAppend[], history: HistoryRead): Promise<void> {
    const client = await this.deps.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(LOCK_SQL, [history.keys]);
      const { rows } = await client.query(this.newerSql, [history.after, history.keys]);
      if (rows.length > 0) throw new HistoryMovedError();
      await this.deps.store.withClient(client).appendMany(appends);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The alert streams' appends for these readings (what the alerting rules raise, through the alert decider) and the history read. */
  private async alertsFor(readings: readonly Reading[], now: Date): Promise<{ alerts: StreamAppend[]; history?: HistoryRead }> {
    const { state, history } = await this.alertingState(readings);
    const raises = decideAlerting({ type: 'ReadingsRecorded', readings }, state, now).filter((o): o is RaiseAlert => o.kind === 'raise');
    const appends = await Promise.all(raises.map((raise) => this.raiseAppend(raise)));
    return { alerts: appends.filter((a): a is StreamAppend => a !== undefined), ...(history && { history }) };
  }

  /**
   * The care plans of the readings' patients and, for trend and adherence rules only, their
   * earlier readings: the read side is first brought up to everything stored before this request.
   */
  private async alertingState(readings: readonly Reading[]): Promise<{ state: AlertingState; history?: HistoryRead }> {
    const patients = await this.deps.patients.patients([...new Set(readings.map((r) => r.patientId))]);
    const wanted = historyWanted(readings, patients);
    const history = new Map<string, Reading[]>();
    if (wanted.length === 0) return { state: { patients, history } };
    const after = await this.deps.store.headPosition();
    await this.deps.projections.waitFor(after, 30_000);
    for (const row of await this.deps.readings.history(wanted)) {
      const key = historyKey(row.patientId, row.kind);
      const list = history.get(key);
      if (list) list.push(row);
      else history.set(key, [row]);
    }
    return { state: { patients, history }, history: { after, keys: wanted.map((w) => historyKey(w.patientId, w.kind)) } };
  }

  /** RaiseAlert on the patient's rule stream, decided on the stream as read (nothing to append: undefined). */
  private async raiseAppend(raise: RaiseAlert): Promise<StreamAppend | undefined> {
    const streamId = alertStreamId(raise.alert.patientId, raise.alert.ruleId);
    // Named by its first reading: the same readings raise the same alert.
    const alertId = deterministicEventId(streamId, `alert:${raise.causeReadingId}`, 0);
    const command = { type: 'RaiseAlert' as const, data: { alertId, ...raise.alert }, metadata: raise.metadata };
    const history = await this.deps.store.readStream(streamId);
    const state = history.reduce((s, e) => alertDecider.evolve(s, e as never), alertDecider.initialState());
    const events = asArray(alertDecider.decide(command, state));
    if (events.length === 0) return undefined;
    return {
      streamId,
      expected: history.length === 0 ? 'no-stream' : history.length,
      events: events.map((event, i) => ({ id: deterministicEventId(streamId, raise.metadata.commandId!, i), type: event.type, data: event.data })),
      metadata: metadataOf(command),
    };
  }

  private async storedIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const { rows } = await this.deps.pool.query<{ id: string }>(this.existingSql, [ids]);
    return new Set(rows.map((r) => r.id));
  }
}

/** History read for trend and adherence rules: of which patients and kinds (`historyKey`), up to which log position. */
interface HistoryRead {
  readonly after: number;
  readonly keys: readonly string[];
}

/** A reading of a patient and kind whose history the rules read was stored meanwhile: decide again. */
class HistoryMovedError extends Error {
  override readonly name = 'HistoryMovedError';
}

// Keys in one order (their hashes), so two writers never wait on each other's locks in opposite orders.
const LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('monitoring-history'), h)
                    FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k ORDER BY 1) AS keys`;

/** Another writer got there first (same readings, same alert stream, newer history) or PostgreSQL refused the transaction's order: read and decide again. */
const decideAgain = (error: unknown): boolean =>
  error instanceof DuplicateEventIdError ||
  error instanceof WrongExpectedVersionError ||
  error instanceof HistoryMovedError ||
  ['40001', '40P01'].includes((error as { code?: string }).code ?? '');

/** The readings' appends, 1,000 a stream. */
function readingAppends(batchId: string, readings: readonly Reading[], metadata: EventMetadata): StreamAppend[] {
  const appends: StreamAppend[] = [];
  for (let i = 0; i < readings.length; i += READINGS_PER_STREAM) {
    const part = readings.slice(i, i + READINGS_PER_STREAM);
    appends.push({
      streamId: readingsStreamId(batchId, i / READINGS_PER_STREAM),
      expected: 'any',
      events: part.map((data) => ({ id: data.readingId, type: 'ReadingRecorded', data })),
      metadata,
    });
  }
  return appends;
}

/** UUID (nameBasedUuid) from device, type and measurement instant: the dedupe key of a reading. */
export function readingIdOf(raw: Pick<RawReading, 'deviceId' | 'type' | 'measuredAt'>): string {
  const at = Date.parse(raw.measuredAt);
  const instant = Number.isNaN(at) ? raw.measuredAt : new Date(at).toISOString();
  return nameBasedUuid(`carebridge:reading:${raw.deviceId.toLowerCase()}:${raw.type}:${instant}`);
}
