/**
 * Migration 4 of the event store: appends to one stream take their positions in version order.
 *
 * Positions were reserved before the stream's row was locked, so two appends racing on one stream
 * with `any` (the access recorder, reading intake) could take versions in the opposite order of
 * their positions: readers by position (the relay, projections) then met a stream's later event
 * first (stream-order.int.spec.ts, 2 of 2 failed before). append_events and append_events_batch
 * of migrations 1 and 2 (released migrations are never edited) are renamed and wrapped: the
 * wrapper takes a per-stream transaction lock, held until commit, before they reserve positions.
 * An advisory lock, not the row lock: locking a row gives the transaction its id at once, and
 * reserving positions after waiting for it would be refused (ids must reserve in order, see
 * reserve_positions).
 */
export const STREAM_ORDERED_APPEND_SQL = /* sql */ `
ALTER FUNCTION {{schema}}.append_events(text, bigint, uuid[], text[], integer[], jsonb, jsonb, text[])
  RENAME TO append_events_unordered;
ALTER FUNCTION {{schema}}.append_events_batch(jsonb) RENAME TO append_events_batch_unordered;

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
BEGIN
  PERFORM pg_advisory_xact_lock({{stream_lock_class}}, hashtext(p_stream_id));
  RETURN QUERY SELECT * FROM {{schema}}.append_events_unordered(
    p_stream_id, p_expected, p_event_ids, p_types, p_schema_versions, p_data, p_metadata, p_content_hashes);
END $$;

-- The streams' locks in key order, so two batches never wait on each other.
CREATE FUNCTION {{schema}}.append_events_batch(p_requests jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_key integer;
BEGIN
  FOR v_key IN SELECT DISTINCT hashtext(x ->> 's') FROM jsonb_array_elements(p_requests) x ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock({{stream_lock_class}}, v_key);
  END LOOP;
  RETURN {{schema}}.append_events_batch_unordered(p_requests);
END $$;
`;
