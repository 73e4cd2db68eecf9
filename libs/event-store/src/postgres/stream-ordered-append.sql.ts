/**
 * Migration 4 of the event store: append_events and append_events_batch as migrations 1 and 2
 * created them, plus a per-stream transaction lock taken before positions are reserved.
 *
 * Positions were reserved before the stream's row was locked, so two appends racing on one stream
 * with `any` (the access recorder, reading intake) could take versions in the opposite order of
 * their positions: readers by position (the relay, projections) then met a stream's later event
 * first (stream-order.int.spec.ts, 2 of 2 failed before). The lock is an advisory one, not the
 * row lock earlier: locking a row gives the transaction its id at once, and reserving positions
 * after waiting for it would be refused (ids must reserve in order, see reserve_positions). The
 * bodies are otherwise those of migrations 1 and 2 (released migrations are never edited).
 */
export const STREAM_ORDERED_APPEND_SQL = /* sql */ `
/*
 * Appends events to one stream in one statement. A failed check is returned as error_code
 * CB001 (wrong expected version, with actual_version) or CB002 (event ids stored elsewhere).
 * p_expected: -1 any, -2 stream exists, 0 no stream, n > 0 exact version.
 * Positions come from reserve_positions (gap-free order), taken under the stream's lock.
 */
CREATE OR REPLACE FUNCTION {{schema}}.append_events(
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

  -- One appender of this stream at a time, from before its positions are reserved until it commits,
  -- so the stream's versions follow its global positions.
  PERFORM pg_advisory_xact_lock({{stream_lock_class}}, hashtext(p_stream_id));
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
CREATE OR REPLACE FUNCTION {{schema}}.append_events_batch(p_requests jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_count integer := jsonb_array_length(p_requests);
  v_total integer;
  v_key integer;
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

  -- The streams' locks (append_events), in key order so two batches never wait on each other.
  FOR v_key IN SELECT DISTINCT hashtext(x ->> 's') FROM jsonb_array_elements(p_requests) x ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock({{stream_lock_class}}, v_key);
  END LOOP;
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
`;
