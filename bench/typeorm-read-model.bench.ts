/**
 * npm run bench:typeorm — the measurement behind issue 17's TypeORM decision.
 *
 * The same read-model work as prescriptions' `prescription-view` projection (per event: read the
 * row, apply, upsert the row; per batch of 100: move the checkpoint, all in one transaction),
 * done two ways on the same PostgreSQL, same rows, same batches, in one run:
 *   - `pg`: what every projection does today (a PoolClient inside Projection's transaction);
 *   - `typeorm`: TypeORM 1.x entity schema, a QueryRunner transaction, `manager.findOneBy` and
 *     `manager.upsert` for the row, `manager.query` for the checkpoint.
 * Medians of BENCH_ROUNDS rounds (default 3); writes bench/results/typeorm-read-model.{json,md}.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { DataSource, EntitySchema } from 'typeorm';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 3000);
const BATCH = 100;
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schema = `bench_typeorm_${Date.now().toString(36)}`;

interface ViewRow {
  prescriptionId: string;
  patientId: string;
  prescriberId: string;
  pharmacyId: string | null;
  status: string;
  ingredientRxcuis: string[];
  view: Record<string, unknown>;
  updatedAt: string;
}

const ViewEntity = new EntitySchema<ViewRow>({
  name: 'PrescriptionView',
  tableName: 'prescription_view',
  schema,
  columns: {
    prescriptionId: { name: 'prescription_id', type: 'uuid', primary: true },
    patientId: { name: 'patient_id', type: 'uuid' },
    prescriberId: { name: 'prescriber_id', type: 'uuid' },
    pharmacyId: { name: 'pharmacy_id', type: 'uuid', nullable: true },
    status: { type: 'text' },
    ingredientRxcuis: { name: 'ingredient_rxcuis', type: 'text', array: true },
    view: { type: 'jsonb' },
    updatedAt: { name: 'updated_at', type: 'timestamptz' },
  },
});

// A workload: EVENTS events over EVENTS/4 prescriptions (each prescription sees ~4 events).
function workload(): { id: string; status: string; at: string }[] {
  const ids = Array.from({ length: Math.ceil(EVENTS / 4) }, () => randomUUID());
  const statuses = ['drafted', 'checked', 'signed', 'sent'];
  return Array.from({ length: EVENTS }, (_, i) => ({ id: ids[i % ids.length], status: statuses[Math.floor(i / ids.length) % 4], at: new Date(Date.UTC(2026, 11, 7, 0, 0, i)).toISOString() }));
}
const patientId = randomUUID();
const prescriberId = randomUUID();
const apply = (prev: Record<string, unknown> | null, e: { id: string; status: string; at: string }): ViewRow => ({
  prescriptionId: e.id,
  patientId,
  prescriberId,
  pharmacyId: null,
  status: e.status,
  ingredientRxcuis: ['197361'],
  view: { ...(prev ?? { rx: { patientId, prescriber: { providerId: prescriberId }, medication: { ingredientRxcuis: ['197361'], display: 'amlodipine 5 mg' } } }), status: e.status, history: [...(((prev?.history as unknown[]) ?? []) as unknown[]), { status: e.status, at: e.at }] },
  updatedAt: e.at,
});

async function viaPg(pool: Pool, events: ReturnType<typeof workload>): Promise<number> {
  const t = `"${schema}".prescription_view`;
  const started = process.hrtime.bigint();
  for (let b = 0; b < events.length; b += BATCH) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (const e of events.slice(b, b + BATCH)) {
        const { rows } = await client.query<{ view: Record<string, unknown> }>(`SELECT view FROM ${t} WHERE prescription_id = $1`, [e.id]);
        const v = apply(rows[0]?.view ?? null, e);
        await client.query(
          `INSERT INTO ${t} (prescription_id, patient_id, prescriber_id, pharmacy_id, status, ingredient_rxcuis, view, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (prescription_id) DO UPDATE SET pharmacy_id = EXCLUDED.pharmacy_id, status = EXCLUDED.status,
             ingredient_rxcuis = EXCLUDED.ingredient_rxcuis, view = EXCLUDED.view, updated_at = EXCLUDED.updated_at`,
          [v.prescriptionId, v.patientId, v.prescriberId, v.pharmacyId, v.status, v.ingredientRxcuis, JSON.stringify(v.view), v.updatedAt],
        );
      }
      await client.query(`UPDATE "${schema}".checkpoints SET position = $1 WHERE name = 'pg'`, [b + BATCH]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }
  return events.length / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function viaTypeorm(ds: DataSource, events: ReturnType<typeof workload>): Promise<number> {
  const started = process.hrtime.bigint();
  for (let b = 0; b < events.length; b += BATCH) {
    const runner = ds.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      for (const e of events.slice(b, b + BATCH)) {
        const prev = await runner.manager.findOneBy(ViewEntity, { prescriptionId: e.id });
        // TypeORM's deep-partial type does not take a free-form jsonb object; the row is complete.
        await runner.manager.upsert(ViewEntity, apply(prev?.view ?? null, e) as Parameters<typeof runner.manager.upsert<ViewRow>>[1], ['prescriptionId']);
      }
      await runner.manager.query(`UPDATE "${schema}".checkpoints SET position = $1 WHERE name = 'typeorm'`, [b + BATCH]);
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }
  return events.length / (Number(process.hrtime.bigint() - started) / 1e9);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  const ds = new DataSource({ type: 'postgres', url: databaseUrl, entities: [ViewEntity], poolSize: 4, logging: false });
  await pool.query(`CREATE SCHEMA "${schema}"`);
  const createTable = `CREATE TABLE "${schema}".prescription_view (prescription_id uuid PRIMARY KEY, patient_id uuid NOT NULL, prescriber_id uuid NOT NULL,
      pharmacy_id uuid, status text NOT NULL, ingredient_rxcuis text[] NOT NULL, view jsonb NOT NULL, updated_at timestamptz NOT NULL)`;
  await pool.query(`CREATE TABLE "${schema}".checkpoints (name text PRIMARY KEY, position bigint NOT NULL); INSERT INTO "${schema}".checkpoints VALUES ('pg', 0), ('typeorm', 0)`);
  await ds.initialize();
  const rounds: { pg: number; typeorm: number }[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const events = workload();
      // Alternate the order so neither side always runs on a warmer cache.
      const result = { pg: 0, typeorm: 0 };
      for (const side of r % 2 === 0 ? (['pg', 'typeorm'] as const) : (['typeorm', 'pg'] as const)) {
        await pool.query(`DROP TABLE IF EXISTS "${schema}".prescription_view; ${createTable}`);
        result[side] = side === 'pg' ? await viaPg(pool, events) : await viaTypeorm(ds, events);
      }
      rounds.push(result);
      process.stdout.write(`[bench:typeorm] round ${r + 1}/${ROUNDS}: pg ${result.pg.toFixed(0)} events/s, typeorm ${result.typeorm.toFixed(0)} events/s\n`);
    }
  } finally {
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await ds.destroy();
    await pool.end();
  }
  const pg = median(rounds.map((r) => r.pg));
  const typeorm = median(rounds.map((r) => r.typeorm));
  const machine = { cores: cpus().length, loadavg: loadavg().map((l) => Number(l.toFixed(2))) };
  // The machine is shared: the per-round ratio (both sides in the same minute) is the number to read.
  const ratio = median(rounds.map((r) => r.typeorm / r.pg));
  const result = { date: new Date().toISOString(), machine, events: EVENTS, batch: BATCH, rounds, median: { pg, typeorm }, ratio };
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'typeorm-read-model.json'), `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    `Read-model projection work (prescription-view shape: read row, apply, upsert; checkpoint per ${BATCH}-event batch, one transaction), ${EVENTS} events, median of ${ROUNDS} rounds, ${result.date}, ${machine.cores} cores, load ${machine.loadavg.join(' ')}`,
    '',
    '| | events/s | ratio to pg |',
    '| --- | ---: | ---: |',
    `| pg (today) | ${pg.toFixed(0)} | 1.00 |`,
    `| TypeORM 1.1 (QueryRunner, findOneBy + upsert) | ${typeorm.toFixed(0)} | ${ratio.toFixed(2)} (median of per-round ratios: ${rounds.map((r) => (r.typeorm / r.pg).toFixed(2)).join(', ')}) |`,
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'typeorm-read-model.md'), md);
  process.stdout.write(`${md}\n`);
}

void main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
