-- Day rows of sealed chunks (libs/tsdb/src/jobs/day-merge.ts): once a UTC day is over, the
-- compactor merges each series' sealed 2 h chunks of that day into one row here. A 7-day read
-- then fetches 8 rows per series instead of 84 (PostgreSQL's side of a read is mostly per row),
-- and a chunk's per-row cost at rest (tuple header, key columns, index entry) is paid once a day.
-- A table of its own, not rows in sample_chunks: the merge deletes every 2 h row of the day, so
-- VACUUM can truncate that day's sample_chunks partition to nothing, where day rows written into
-- the same heap would sit behind the emptied pages and keep them; and its partitions keep rows
-- inline up to a page (toast_tuple_target, which a partitioned parent cannot carry): a day row is
-- ~2.4 kB at a 30 s scrape, over the default 2 kB threshold, and detoasting costs a read.
-- `data` is the day's chunks back to back, each behind a 20-byte header (byte length, min_ts,
-- max_ts, big-endian); EXTERNAL as in sample_chunks (the chunks are compressed already).

DO $mig$
DECLARE
  v_ts boolean := tsdb_uses_timescale();
  r record;
BEGIN
  EXECUTE format($q$CREATE TABLE "sample_days" (
    "org_id" UUID NOT NULL,
    "series_id" BIGINT NOT NULL,
    -- Start of the UTC day (epoch ms) whose chunks `data` holds.
    "day" BIGINT NOT NULL,
    "min_ts" BIGINT NOT NULL,
    "max_ts" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    PRIMARY KEY ("series_id", "day")
  ) %s$q$, CASE WHEN v_ts THEN '' ELSE 'PARTITION BY RANGE ("day")' END);
  IF v_ts THEN
    EXECUTE $q$SELECT create_hypertable('sample_days', 'day', chunk_time_interval => 86400000::bigint)$q$;
  END IF;
  ALTER TABLE "sample_days" ALTER COLUMN "data" SET STORAGE EXTERNAL;
  ALTER TABLE "sample_days" ENABLE ROW LEVEL SECURITY;
  ALTER TABLE "sample_days" FORCE ROW LEVEL SECURITY;
  CREATE POLICY org_isolation ON "sample_days" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());

  -- A partition for every day sample_chunks has one for, with the same name suffix and bounds.
  FOR r IN
    SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relnamespace = 'public'::regnamespace AND p.relname = 'sample_chunks'
       AND c.relname ~ '_d[0-9]{8}$'
  LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "sample_days" %s WITH (toast_tuple_target = 8160)',
                   'sample_days' || right(r.name, 10), r.bound);
  END LOOP;
END
$mig$;

-- As in 20261126020000_tsdb, plus sample_days' day partitions.
CREATE OR REPLACE FUNCTION tsdb_ensure_partitions(p_from_ms bigint, p_to_ms bigint) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public SET "TimeZone" = 'UTC' AS $fn$
DECLARE
  v_day timestamptz;
  v_last timestamptz;
  v_tbl text;
  v_name text;
  v_lo bigint;
  v_hi bigint;
  v_created integer := 0;
BEGIN
  IF tsdb_uses_timescale() THEN RETURN 0; END IF;
  IF p_from_ms IS NULL OR p_to_ms IS NULL OR p_to_ms < p_from_ms THEN
    RAISE EXCEPTION 'tsdb_ensure_partitions: invalid range % .. %', p_from_ms, p_to_ms;
  END IF;
  IF p_to_ms - p_from_ms > 800::bigint * 86400000 THEN
    RAISE EXCEPTION 'tsdb_ensure_partitions: range longer than 800 days';
  END IF;
  v_last := to_timestamp(p_to_ms / 1000.0);

  v_day := date_trunc('day', to_timestamp(p_from_ms / 1000.0));
  WHILE v_day <= v_last LOOP
    v_lo := (extract(epoch FROM v_day) * 1000)::bigint;
    v_hi := (extract(epoch FROM v_day + interval '1 day') * 1000)::bigint;
    FOREACH v_tbl IN ARRAY ARRAY['samples', 'sample_chunks', 'sample_days', 'rollup_1m'] LOOP
      v_name := v_tbl || '_d' || to_char(v_day, 'YYYYMMDD');
      IF to_regclass(v_name) IS NULL THEN
        -- Serialise creators; re-check once we hold the lock.
        PERFORM pg_advisory_xact_lock(7287101);
        IF to_regclass(v_name) IS NULL THEN
          EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)%s', v_name, v_tbl, v_lo, v_hi,
                         CASE WHEN v_tbl = 'sample_days' THEN ' WITH (toast_tuple_target = 8160)' ELSE '' END);
          v_created := v_created + 1;
        END IF;
      END IF;
    END LOOP;
    v_day := v_day + interval '1 day';
  END LOOP;

  v_day := date_trunc('month', to_timestamp(p_from_ms / 1000.0));
  WHILE v_day <= v_last LOOP
    v_name := 'rollup_1h_m' || to_char(v_day, 'YYYYMM');
    IF to_regclass(v_name) IS NULL THEN
      PERFORM pg_advisory_xact_lock(7287101);
      IF to_regclass(v_name) IS NULL THEN
        v_lo := (extract(epoch FROM v_day) * 1000)::bigint;
        v_hi := (extract(epoch FROM v_day + interval '1 month') * 1000)::bigint;
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)', v_name, 'rollup_1h', v_lo, v_hi);
        v_created := v_created + 1;
      END IF;
    END IF;
    v_day := v_day + interval '1 month';
  END LOOP;
  RETURN v_created;
END
$fn$;

-- As in 20261126020000_tsdb (and 20261126020100_tsdb_reclaim_head's row_security), plus
-- sample_days, kept as long as raw samples.
CREATE OR REPLACE FUNCTION tsdb_drop_expired_partitions() RETURNS SETOF text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public SET "TimeZone" = 'UTC'
SET row_security = off AS $fn$
DECLARE
  v_raw integer;
  v_1m integer;
  v_1h integer;
  v_keep integer;
  r record;
  v_hi timestamptz;
BEGIN
  -- With no organization at all, keep everything rather than guess.
  SELECT coalesce(max(retention_raw_days), 36500), coalesce(max(retention_1m_days), 36500), coalesce(max(retention_1h_days), 36500)
    INTO v_raw, v_1m, v_1h FROM organizations;
  IF tsdb_uses_timescale() THEN
    EXECUTE 'SELECT drop_chunks(''samples'', older_than => $1)' USING ((extract(epoch FROM now() - make_interval(days => v_raw)) * 1000)::bigint);
    EXECUTE 'SELECT drop_chunks(''sample_chunks'', older_than => $1)' USING ((extract(epoch FROM now() - make_interval(days => v_raw)) * 1000)::bigint);
    EXECUTE 'SELECT drop_chunks(''sample_days'', older_than => $1)' USING ((extract(epoch FROM now() - make_interval(days => v_raw)) * 1000)::bigint);
    EXECUTE 'SELECT drop_chunks(''rollup_1m'', older_than => $1)' USING ((extract(epoch FROM now() - make_interval(days => v_1m)) * 1000)::bigint);
    EXECUTE 'SELECT drop_chunks(''rollup_1h'', older_than => $1)' USING ((extract(epoch FROM now() - make_interval(days => v_1h)) * 1000)::bigint);
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(7287101);
  FOR r IN
    SELECT c.relname AS name, p.relname AS parent
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relnamespace = 'public'::regnamespace
       AND p.relname IN ('samples', 'sample_chunks', 'sample_days', 'rollup_1m', 'rollup_1h')
  LOOP
    IF r.name ~ '_d[0-9]{8}$' THEN
      v_hi := to_date(right(r.name, 8), 'YYYYMMDD')::timestamptz + interval '1 day';
    ELSIF r.name ~ '_m[0-9]{6}$' THEN
      v_hi := to_date(right(r.name, 6), 'YYYYMM')::timestamptz + interval '1 month';
    ELSE
      CONTINUE; -- not one of ours
    END IF;
    v_keep := CASE r.parent WHEN 'rollup_1m' THEN v_1m WHEN 'rollup_1h' THEN v_1h ELSE v_raw END;
    IF v_hi <= now() - make_interval(days => v_keep) THEN
      EXECUTE format('DROP TABLE %I', r.name);
      RETURN NEXT r.name;
    END IF;
  END LOOP;
END
$fn$;
