-- Rollups packed into one row per series per UTC day (libs/tsdb/src/codec/rollup-codec.ts).
-- A row per bucket cost ~200 B (tuple header, key columns, primary-key entry): rollup_1h alone
-- was ~1.7 B per raw sample at a 30 s scrape, more than the compressed chunks, and a week of
-- one series' hours lay on ~170 rows scattered over the heap. `data` holds the day's buckets
-- with the columns the old rows had (count, resets, changes, sum, sum_sq, min, max, first/last
-- ts and value, counter_correction), compressed with the chunk codec by RollupService.
--
-- Existing rows are moved here in SQL, which cannot run that codec: they are packed in the
-- codec's plain format 0 (one byte 0, then per bucket the 13 fields as big-endian float8 in the
-- old column order), which readers accept. Hours still within raw retention are also marked
-- dirty, so the rollup job re-rolls them into the compressed format (readers use raw samples
-- for them meanwhile, as for any dirty hour); older hours keep format 0 until they expire.
-- Partition names, bounds and the partition functions stay as they were: the new tables take
-- over the old partitions' names and bounds, the old ones are dropped at the end.

ALTER TABLE "rollup_1m" RENAME TO "rollup_1m_rows";
ALTER TABLE "rollup_1h" RENAME TO "rollup_1h_rows";
-- Moving rows must see every organization's rows: the migrating owner is exempt from RLS once
-- it is no longer forced (FORCE is set again on the new tables below).
ALTER TABLE "rollup_1m_rows" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "rollup_1h_rows" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "tsdb_dirty" NO FORCE ROW LEVEL SECURITY;

DO $mig$
DECLARE
  v_ts boolean := tsdb_uses_timescale();
  v_tbl text;
  r record;
BEGIN
  FOREACH v_tbl IN ARRAY ARRAY['rollup_1m', 'rollup_1h'] LOOP
    EXECUTE format($q$CREATE TABLE %I (
      "org_id" UUID NOT NULL,
      "series_id" BIGINT NOT NULL,
      -- Start of the UTC day (epoch ms) whose buckets `data` holds.
      "day" BIGINT NOT NULL,
      "data" BYTEA NOT NULL,
      PRIMARY KEY ("series_id", "day")
    ) %s$q$, v_tbl, CASE WHEN v_ts THEN '' ELSE 'PARTITION BY RANGE ("day")' END);
    IF v_ts THEN
      EXECUTE format('SELECT create_hypertable(%L, %L, chunk_time_interval => %s::bigint)',
                     v_tbl, 'day', CASE v_tbl WHEN 'rollup_1m' THEN 86400000 ELSE 2592000000 END);
    END IF;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', v_tbl);
    EXECUTE format('CREATE POLICY org_isolation ON %I USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id())', v_tbl);
  END LOOP;

  -- Day partitions (1m) and month partitions (1h) start and end on day boundaries, so each old
  -- partition's bounds fit the day rows too.
  FOR r IN
    SELECT c.relname AS name, p.relname AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relnamespace = 'public'::regnamespace AND c.relnamespace = 'public'::regnamespace
       AND p.relname IN ('rollup_1m_rows', 'rollup_1h_rows')
  LOOP
    EXECUTE format('ALTER TABLE %I RENAME TO %I', r.name, 'old_' || r.name);
    EXECUTE format('CREATE TABLE %I PARTITION OF %I %s', r.name, left(r.parent, 9), r.bound);
  END LOOP;

  FOREACH v_tbl IN ARRAY ARRAY['rollup_1m', 'rollup_1h'] LOOP
    EXECUTE format($q$INSERT INTO %I (org_id, series_id, day, data)
      SELECT org_id, series_id, bucket - bucket %% 86400000,
             '\x00'::bytea || string_agg(
               float8send(bucket::float8) || float8send(count::float8) || float8send(resets::float8) ||
               float8send(changes::float8) || float8send(sum) || float8send(sum_sq) || float8send(min) ||
               float8send(max) || float8send(first_ts::float8) || float8send(first_value) ||
               float8send(last_ts::float8) || float8send(last_value) || float8send(counter_correction),
               ''::bytea ORDER BY bucket)
        FROM %I GROUP BY org_id, series_id, bucket - bucket %% 86400000$q$, v_tbl, v_tbl || '_rows');
  END LOOP;
END
$mig$;

INSERT INTO "tsdb_dirty" (org_id, kind, bucket)
SELECT DISTINCT r.org_id, '1h', r.bucket
  FROM "rollup_1h_rows" r
  JOIN "organizations" o ON o.id = r.org_id
 WHERE r.bucket >= (extract(epoch FROM now() - make_interval(days => o.retention_raw_days)) * 1000)::bigint
ON CONFLICT DO NOTHING;

DROP TABLE "rollup_1m_rows";
DROP TABLE "rollup_1h_rows";
ALTER TABLE "rollup_1m" FORCE ROW LEVEL SECURITY;
ALTER TABLE "rollup_1h" FORCE ROW LEVEL SECURITY;
ALTER TABLE "tsdb_dirty" FORCE ROW LEVEL SECURITY;
