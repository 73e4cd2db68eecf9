import type { Pool, PoolClient } from 'pg';
import { STREAM_ORDERED_APPEND_SQL } from './stream-ordered-append.sql';

/**
 * Versioned SQL migrations of the event store, applied in order inside the given schema.
 * `{{schema}}` is replaced by the quoted schema name. Never edit a released migration:
 * add a new one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const eventStoreMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'events, streams, append function, immutability',
    sql: /* sql */ `
CREATE SEQUENCE {{schema}}.global_position_seq AS bigint MINVALUE 0 START WITH 0;
SELECT setval('{{schema}}.global_position_seq', 0, true);
-- Highest transaction id that has reserved positions; see append_events.
CREATE SEQUENCE {{schema}}.reserving_xid_seq AS bigint MINVALUE 0 START WITH 0;
SELECT setval('{{schema}}.reserving_xid_seq', 0, true);

CREATE TABLE {{schema}}.streams (
  stream_id   text PRIMARY KEY,
  version     bigint NOT NULL,
  last_hash   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE {{schema}}.events (
  global_position bigint PRIMARY KEY,
  transaction_id  xid8 NOT NULL,
  event_id        uuid NOT NULL,
  stream_id       text NOT NULL,
  stream_version  bigint NOT NULL CHECK (stream_version > 0),
  event_type      text NOT NULL,
  schema_version  integer NOT NULL DEFAULT 1,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL,
  content_hash    text NOT NULL,
  hash            text NOT NULL,
  recorded_at     timestamptz NOT NULL,
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version)
);

-- The store is the audit trail: events are never updated or deleted.
CREATE FUNCTION {{schema}}.refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are immutable: % refused on %.events', TG_OP, TG_TABLE_SCHEMA
    USING ERRCODE = 'CB003';
END $$;
CREATE TRIGGER events_immutable BEFORE UPDATE OR DELETE ON {{schema}}.events
  FOR EACH ROW EXECUTE FUNCTION {{schema}}.refuse_event_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON {{schema}}.events
  FOR EACH STATEMENT EXECUTE FUNCTION {{schema}}.refuse_event_change();

/*
 * Gap-free global order: positions are reserved under a short session lock together with
 * the transaction id, and a transaction may only reserve if its id is not below any id that
 * reserved before it. So position order is transaction-id order, and readers that only see
 * rows whose transaction id is below pg_snapshot_xmin(pg_current_snapshot()) see a prefix of
 * the log: no event can later appear below a position already read. A transaction that got
 * its id before another one reserved (it wrote something else first) gets SQLSTATE 40001
 * and is retried like any serialization failure.
 */
CREATE FUNCTION {{schema}}.reserve_positions(p_count integer)
RETURNS TABLE (xid xid8, first_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_xid xid8;
  v_last_xid bigint;
  v_first bigint;
  v_lock bigint := {{lock_key}};
BEGIN
  -- The lock is a session lock, released inside the statement. A cancel (statement_timeout,
  -- pg_cancel_backend) is not caught by OTHERS, so it is named: a leaked lock would stop
  -- every append of this schema.
  BEGIN
    PERFORM pg_advisory_lock(v_lock);
    v_xid := pg_current_xact_id();
    SELECT last_value INTO v_last_xid FROM {{schema}}.reserving_xid_seq;
    IF v_xid::text::bigint >= v_last_xid THEN
      PERFORM setval('{{schema}}.reserving_xid_seq', v_xid::text::bigint, true);
      v_first := nextval('{{schema}}.global_position_seq');
      IF p_count > 1 THEN
        PERFORM setval('{{schema}}.global_position_seq', v_first + p_count - 1, true);
      END IF;
    END IF;
  EXCEPTION WHEN query_canceled OR OTHERS THEN
    PERFORM pg_advisory_unlock(v_lock);
    RAISE;
  END;
  PERFORM pg_advisory_unlock(v_lock);
  IF v_first IS NULL THEN
    RAISE EXCEPTION 'transaction % began writing before a later one reserved positions; retry it', v_xid
      USING ERRCODE = '40001';
  END IF;
  RETURN QUERY SELECT v_xid, v_first;
END $$;

/*
 * Appends events to one stream in one statement. A failed check is returned as error_code
 * CB001 (wrong expected version, with actual_version) or CB002 (event ids stored elsewhere).
 * p_expected: -1 any, -2 stream exists, 0 no stream, n > 0 exact version.
 * Positions come from reserve_positions (gap-free order).
 */
CREATE FUNCTION {{schema}}.append_events(
  p_stream_id text,
  p_expected bigint,
  p_event_ids uuid[],
  p_types text[],
  p_schema_versions integer[],
  p_data jsonb,
  p_metadata jsonb,
  p_content_hashes text[]
) RETURNS TABLE (first_position bigint, next_version bigint, hashes text[], recorded_at timestamptz, already_appended boolean,
               error_code text, actual_version bigint)
LANGUAGE plpgsql AS $$
DECLARE
  n integer := cardinality(p_event_ids);
  v_existing integer;
  v_foreign integer;
  v_xid xid8;
  v_first bigint;
  v_current bigint;
  v_prev_hash text;
  v_hashes text[] := '{}';
  v_now timestamptz := clock_timestamp();
BEGIN
  SELECT count(*), count(*) FILTER (WHERE e.stream_id <> p_stream_id)
    INTO v_existing, v_foreign
    FROM {{schema}}.events e WHERE e.event_id = ANY (p_event_ids);
  IF v_existing > 0 THEN
    IF v_existing = n AND v_foreign = 0 THEN
      RETURN QUERY
        SELECT min(e.global_position), (SELECT s.version FROM {{schema}}.streams s WHERE s.stream_id = p_stream_id),
               array_agg(e.hash ORDER BY e.stream_version), min(e.recorded_at), true, NULL::text, NULL::bigint
          FROM {{schema}}.events e WHERE e.event_id = ANY (p_event_ids);
      RETURN;
    END IF;
    -- Reported, not raised: raising would abort a caller's transaction (the consumer's).
    RETURN QUERY SELECT NULL::bigint, NULL::bigint, NULL::text[], NULL::timestamptz, false, 'CB002'::text, NULL::bigint;
    RETURN;
  END IF;

  SELECT r.xid, r.first_position INTO v_xid, v_first FROM {{schema}}.reserve_positions(n) r;

  SELECT s.version, s.last_hash INTO v_current, v_prev_hash
    FROM {{schema}}.streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
  IF NOT FOUND THEN
    IF p_expected NOT IN (-1, 0) THEN
      RETURN QUERY SELECT NULL::bigint, NULL::bigint, NULL::text[], NULL::timestamptz, false, 'CB001'::text, 0::bigint;
      RETURN;
    END IF;
    INSERT INTO {{schema}}.streams (stream_id, version, last_hash) VALUES (p_stream_id, 0, '')
      ON CONFLICT (stream_id) DO NOTHING;
    SELECT s.version, s.last_hash INTO v_current, v_prev_hash
      FROM {{schema}}.streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
  END IF;

  IF NOT (p_expected = -1
          OR (p_expected = -2 AND v_current > 0)
          OR (p_expected >= 0 AND v_current = p_expected)) THEN
    RETURN QUERY SELECT NULL::bigint, NULL::bigint, NULL::text[], NULL::timestamptz, false, 'CB001'::text, v_current;
    RETURN;
  END IF;

  FOR i IN 1..n LOOP
    v_prev_hash := encode(sha256(convert_to(
      v_prev_hash || E'\\n' || p_stream_id || E'\\n' || (v_current + i)::text || E'\\n' || p_content_hashes[i],
      'UTF8')), 'hex');
    v_hashes := v_hashes || v_prev_hash;
  END LOOP;

  INSERT INTO {{schema}}.events (global_position, transaction_id, event_id, stream_id, stream_version,
                                 event_type, schema_version, data, metadata, content_hash, hash, recorded_at)
  SELECT v_first + i - 1, v_xid, p_event_ids[i], p_stream_id, v_current + i,
         p_types[i], p_schema_versions[i], p_data -> (i - 1), p_metadata, p_content_hashes[i], v_hashes[i], v_now
    FROM generate_series(1, n) AS i;

  UPDATE {{schema}}.streams SET version = v_current + n, last_hash = v_prev_hash, updated_at = v_now
    WHERE stream_id = p_stream_id;

  RETURN QUERY SELECT v_first, v_current + n, v_hashes, v_now, false, NULL::text, NULL::bigint;
END $$;
`,
  },
  {
    version: 2,
    name: 'group commit: append_events_batch',
    sql: /* sql */ `
/*
 * Group commit: the appends of several concurrent callers in one statement and one
 * transaction, with the same checks and chaining as append_events, applied per request.
 * A request that fails its check is reported in its result and appends nothing; the others
 * still commit. Requests are taken in stream-id order so two batches never wait on each
 * other's stream rows in opposite orders (no deadlock). Input: a JSON array of
 * {s: stream, e: expected, ids, types, sv: schema versions, data, meta, ch: content hashes};
 * output: a JSON array in input order of {first, next, hashes, at} | {already: true, next}
 * | {code: 'CB001', actual} | {code: 'CB002'}.
 */
CREATE FUNCTION {{schema}}.append_events_batch(p_requests jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_count integer := jsonb_array_length(p_requests);
  v_total integer;
  v_xid xid8;
  v_first bigint;
  v_next bigint;
  v_now timestamptz := clock_timestamp();
  v_out jsonb[] := array_fill(NULL::jsonb, ARRAY[v_count]);
  rec record;
  v_stream text;
  v_expected bigint;
  v_ids uuid[];
  n integer;
  v_existing integer;
  v_foreign integer;
  v_current bigint;
  v_prev_hash text;
  v_hashes text[];
  a_pos bigint[] := '{}';
  a_ids uuid[] := '{}';
  a_stream text[] := '{}';
  a_version bigint[] := '{}';
  a_type text[] := '{}';
  a_sv integer[] := '{}';
  a_data jsonb[] := '{}';
  a_meta jsonb[] := '{}';
  a_ch text[] := '{}';
  a_hash text[] := '{}';
BEGIN
  SELECT coalesce(sum(jsonb_array_length(x -> 'ids')), 0) INTO v_total FROM jsonb_array_elements(p_requests) x;

  SELECT r.xid, r.first_position INTO v_xid, v_first FROM {{schema}}.reserve_positions(v_total) r;
  v_next := v_first;

  FOR rec IN SELECT value AS r, ordinality AS idx FROM jsonb_array_elements(p_requests) WITH ORDINALITY
             ORDER BY value ->> 's', ordinality LOOP
    v_stream := rec.r ->> 's';
    v_expected := (rec.r ->> 'e')::bigint;
    v_ids := ARRAY(SELECT jsonb_array_elements_text(rec.r -> 'ids'))::uuid[];
    n := cardinality(v_ids);

    SELECT count(*), count(*) FILTER (WHERE e.stream_id <> v_stream)
      INTO v_existing, v_foreign
      FROM {{schema}}.events e WHERE e.event_id = ANY (v_ids);
    IF v_existing > 0 THEN
      IF v_existing = n AND v_foreign = 0 THEN
        v_out[rec.idx] := jsonb_build_object('already', true,
          'next', (SELECT s.version FROM {{schema}}.streams s WHERE s.stream_id = v_stream));
      ELSE
        v_out[rec.idx] := jsonb_build_object('code', 'CB002');
      END IF;
      CONTINUE;
    END IF;

    SELECT s.version, s.last_hash INTO v_current, v_prev_hash
      FROM {{schema}}.streams s WHERE s.stream_id = v_stream FOR UPDATE;
    IF NOT FOUND THEN
      IF v_expected NOT IN (-1, 0) THEN
        v_out[rec.idx] := jsonb_build_object('code', 'CB001', 'actual', 0);
        CONTINUE;
      END IF;
      INSERT INTO {{schema}}.streams (stream_id, version, last_hash) VALUES (v_stream, 0, '')
        ON CONFLICT (stream_id) DO NOTHING;
      SELECT s.version, s.last_hash INTO v_current, v_prev_hash
        FROM {{schema}}.streams s WHERE s.stream_id = v_stream FOR UPDATE;
    END IF;

    IF NOT (v_expected = -1
            OR (v_expected = -2 AND v_current > 0)
            OR (v_expected >= 0 AND v_current = v_expected)) THEN
      v_out[rec.idx] := jsonb_build_object('code', 'CB001', 'actual', v_current);
      CONTINUE;
    END IF;

    v_hashes := '{}';
    FOR i IN 1..n LOOP
      v_prev_hash := encode(sha256(convert_to(
        v_prev_hash || E'\\n' || v_stream || E'\\n' || (v_current + i)::text || E'\\n' || (rec.r -> 'ch' ->> (i - 1)),
        'UTF8')), 'hex');
      v_hashes := v_hashes || v_prev_hash;
      a_pos := array_append(a_pos, (v_next + i - 1));
      a_ids := array_append(a_ids, v_ids[i]);
      a_stream := array_append(a_stream, v_stream);
      a_version := array_append(a_version, (v_current + i));
      a_type := array_append(a_type, (rec.r -> 'types' ->> (i - 1)));
      a_sv := array_append(a_sv, (rec.r -> 'sv' ->> (i - 1))::integer);
      a_data := array_append(a_data, (rec.r -> 'data' -> (i - 1)));
      a_meta := array_append(a_meta, (rec.r -> 'meta'));
      a_ch := array_append(a_ch, (rec.r -> 'ch' ->> (i - 1)));
      a_hash := array_append(a_hash, v_prev_hash);
    END LOOP;

    UPDATE {{schema}}.streams SET version = v_current + n, last_hash = v_prev_hash, updated_at = v_now
      WHERE stream_id = v_stream;
    v_out[rec.idx] := jsonb_build_object('first', v_next, 'next', v_current + n, 'hashes', to_jsonb(v_hashes));
    v_next := v_next + n;
  END LOOP;

  INSERT INTO {{schema}}.events (global_position, transaction_id, event_id, stream_id, stream_version,
                                 event_type, schema_version, data, metadata, content_hash, hash, recorded_at)
  SELECT t.pos, v_xid, t.id, t.stream, t.version, t.type, t.sv, t.data, t.meta, t.ch, t.hash, v_now
    FROM unnest(a_pos, a_ids, a_stream, a_version, a_type, a_sv, a_data, a_meta, a_ch, a_hash)
         AS t(pos, id, stream, version, type, sv, data, meta, ch, hash);

  RETURN jsonb_build_object('at', v_now, 'results', to_jsonb(v_out));
END $$;
`,
  },
  {
    version: 3,
    name: 'projection checkpoints',
    sql: /* sql */ `
-- Where each read model is in the global log; moved in the transaction that writes the read model.
CREATE TABLE {{schema}}.projection_checkpoints (
  projection_name text PRIMARY KEY,
  position        bigint NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    version: 4,
    name: 'appends to one stream in position order',
    sql: STREAM_ORDERED_APPEND_SQL,
  },
];

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`Invalid schema name ${JSON.stringify(name)}: use lower-case letters, digits and _`);
  }
  return `"${name}"`;
}

/** Stable 63-bit key per schema for the position-reservation lock. */
function lockKey(schema: string): string {
  let hash = 1469598103934665603n;
  for (const char of Buffer.from(`carebridge.event-store.${schema}`)) {
    hash = ((hash ^ BigInt(char)) * 1099511628211n) & 0x7fffffffffffffffn;
  }
  return hash.toString();
}

/** The first key of the schema's per-stream append locks (32 bits; the second is the stream id's hash). */
function streamLockClass(schema: string): number {
  return Number(BigInt(lockKey(schema)) & 0x7fffffffn);
}

export function renderMigration(sql: string, schema: string): string {
  return sql
    .replaceAll('{{schema}}', quoteIdent(schema))
    .replaceAll('{{lock_key}}', lockKey(schema))
    .replaceAll('{{stream_lock_class}}', String(streamLockClass(schema)));
}

/**
 * Applies pending migrations of `migrations` in `schema`, each in its own transaction, under a
 * session-level advisory lock so several processes starting at once do not race.
 * `table` names the bookkeeping table, so several libraries can keep migrations in one schema.
 */
export async function migrate(
  pool: Pool,
  schema: string,
  migrations: readonly Migration[] = eventStoreMigrations,
  table = 'event_store_migrations',
): Promise<number[]> {
  const q = quoteIdent(schema);
  const client: PoolClient = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext($1))`, [`${schema}.${table}`]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${q}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${q}.${quoteIdent(table)} (
           version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${q}.${quoteIdent(table)}`);
      const done = new Set(rows.map((row) => row.version));
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(renderMigration(migration.sql, schema));
          await client.query(`INSERT INTO ${q}.${quoteIdent(table)} (version, name) VALUES ($1, $2)`, [
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
          applied.push(migration.version);
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`Migration ${table} v${migration.version} (${migration.name}) failed in schema ${schema}: ${(error as Error).message}`);
        }
      }
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`${schema}.${table}`]);
    }
  } finally {
    client.release();
  }
  return applied;
}
