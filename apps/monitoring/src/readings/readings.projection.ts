import type { Pool, PoolClient } from 'pg';
import { type RecordedEvent, quoteIdent } from '@carebridge/event-store';
import type { ReadModelProjection } from '../read-models.projection';
import type { ReadingRecorded } from './readings.events';

export type Reading = ReadingRecorded['data'];

/** Question: what did a patient's devices measure, in measurement-time order? */
export function readingsProjection(schema: string): ReadModelProjection {
  const s = quoteIdent(schema);
  return {
    name: 'readings',
    canHandle: new Set<ReadingRecorded['type']>(['ReadingRecorded']),
    // In bulk: a batch holds up to 2,000 readings, one statement each would cost the ingest rate.
    async apply(events: readonly RecordedEvent[], client: PoolClient) {
      const rows = events.map((e) => {
        const d = e.data as Reading;
        return {
          id: d.readingId,
          p: d.patientId,
          dev: d.deviceId,
          k: d.kind,
          l: d.loinc,
          m: d.measuredAt,
          v: d.value ?? null,
          sy: d.systolic ?? null,
          di: d.diastolic ?? null,
          u: d.unit ?? null,
          t: d.taken ?? null,
          rx: d.rxnormCode ?? null,
          r: e.recordedAt.toISOString(),
          g: e.globalPosition,
        };
      });
      await client.query(
        `INSERT INTO ${s}.readings (reading_id, patient_id, device_id, kind, loinc, measured_at, value, systolic, diastolic, unit, taken, rxnorm_code, recorded_at, global_position)
         SELECT id, p, dev, k, l, m, v, sy, di, u, t, rx, r, g
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, p text, dev text, k text, l text, m timestamptz, v float8, sy float8, di float8, u text, t boolean, rx text, r timestamptz, g bigint)
         ON CONFLICT (reading_id) DO NOTHING`,
        [JSON.stringify(rows)],
      );
    },
  };
}

export class Readings {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.s = quoteIdent(schema);
  }

  /** A patient's readings of some kinds measured in [from, to], oldest first. */
  async readings(patientId: string, options: { kinds?: readonly string[]; from?: string; to?: string; limit?: number } = {}): Promise<Reading[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM ${this.s}.readings
        WHERE patient_id = $1 AND ($2::text[] IS NULL OR kind = ANY($2)) AND ($3::timestamptz IS NULL OR measured_at >= $3)
          AND ($4::timestamptz IS NULL OR measured_at <= $4)
        ORDER BY measured_at DESC LIMIT $5`,
      [patientId, options.kinds ?? null, options.from ?? null, options.to ?? null, options.limit ?? 1_000],
    );
    return rows.reverse().map(toReading);
  }

  /**
   * A patient's readings stored at log positions in (after, upTo], in log order, with their
   * positions: what a live viewer missed while disconnected. At most `limit`.
   */
  async patientReadingsBetween(patientId: string, after: number, upTo: number, limit: number): Promise<{ reading: Reading; position: number }[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM ${this.s}.readings WHERE patient_id = $1 AND global_position > $2 AND global_position <= $3 ORDER BY global_position LIMIT $4`,
      [patientId, after, upTo, limit],
    );
    return rows.map((row) => ({ reading: toReading(row), position: Number(row.global_position) }));
  }

  async reading(readingId: string): Promise<Reading | undefined> {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.s}.readings WHERE reading_id = $1`, [readingId]);
    return rows[0] ? toReading(rows[0]) : undefined;
  }

  /** History for trend and adherence rules of many patients at once: readings of `kind` since `from`. */
  async history(keys: readonly { patientId: string; kind: string; from: string }[]): Promise<Reading[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.pool.query(
      `SELECT r.* FROM jsonb_to_recordset($1::jsonb) AS k(p text, k text, f timestamptz)
         JOIN ${this.s}.readings r ON r.patient_id = k.p AND r.kind = k.k AND r.measured_at >= k.f`,
      [JSON.stringify(keys.map((k) => ({ p: k.patientId, k: k.kind, f: k.from })))],
    );
    return rows.map(toReading);
  }
}

function toReading(r: Record<string, unknown>): Reading {
  return {
    readingId: r.reading_id as string,
    patientId: r.patient_id as string,
    deviceId: r.device_id as string,
    kind: r.kind as Reading['kind'],
    loinc: r.loinc as string,
    measuredAt: (r.measured_at as Date).toISOString(),
    ...(r.value !== null && { value: r.value as number }),
    ...(r.systolic !== null && { systolic: r.systolic as number }),
    ...(r.diastolic !== null && { diastolic: r.diastolic as number }),
    ...(r.unit !== null && { unit: r.unit as string }),
    ...(r.taken !== null && { taken: r.taken as boolean }),
    ...(r.rxnorm_code !== null && { rxnormCode: r.rxnorm_code as string }),
  };
}
