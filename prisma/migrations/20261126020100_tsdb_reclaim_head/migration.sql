-- Compaction deletes head rows, but a day partition's indexes never shrink and its heap only
-- shrinks from the tail, so a past day would keep roughly a day of raw-row index pages until
-- retention dropped it: ~30 bytes a sample at rest. Once a past day's head partition is empty
-- (every organization compacted), this truncates it. The partition is shared by all
-- organizations, so it is locked first (NOWAIT: a busy one is left for the next run) and
-- checked empty under the lock, where no insert can slip in. Owner-run; relies on the owner
-- bypassing RLS, like the other tsdb functions. Returns the partitions it truncated.
CREATE FUNCTION tsdb_reclaim_head_partitions(p_settled_ms bigint) RETURNS SETOF text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public SET "TimeZone" = 'UTC' AS $fn$
DECLARE
  r record;
  v_hi timestamptz;
  v_nonempty boolean;
BEGIN
  IF tsdb_uses_timescale() THEN RETURN; END IF;
  -- The caller says how long after a day's end its blocks are surely compacted; never sooner than 2 h.
  IF p_settled_ms IS NULL OR p_settled_ms < 7200000 THEN p_settled_ms := 7200000; END IF;
  FOR r IN
    SELECT c.relname AS name, c.oid
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relnamespace = 'public'::regnamespace AND p.relname = 'samples' AND c.relname ~ '^samples_d[0-9]{8}$'
       AND pg_total_relation_size(c.oid) > 32768
  LOOP
    v_hi := to_date(right(r.name, 8), 'YYYYMMDD')::timestamptz + interval '1 day';
    CONTINUE WHEN v_hi > now() - make_interval(secs => p_settled_ms / 1000.0);
    BEGIN
      EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE NOWAIT', r.name);
    EXCEPTION WHEN lock_not_available THEN
      CONTINUE;
    END;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', r.name) INTO v_nonempty;
    IF NOT v_nonempty THEN
      EXECUTE format('TRUNCATE %I', r.name);
      RETURN NEXT r.name;
    END IF;
  END LOOP;
END
$fn$;

-- These owner-run functions read across organizations. With row_security off, an owner that
-- does not bypass RLS gets an error instead of a silently filtered (and so wrong) answer.
ALTER FUNCTION tsdb_reclaim_head_partitions(bigint) SET row_security = off;
ALTER FUNCTION tsdb_drop_expired_partitions() SET row_security = off;
ALTER FUNCTION tsdb_pending_orgs(text, bigint) SET row_security = off;
