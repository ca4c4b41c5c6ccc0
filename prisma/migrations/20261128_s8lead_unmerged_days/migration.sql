-- The compactor merges an ended day's 2 h chunks into day rows when it seals the day's last
-- block. A day whose last block got no sample (the organization stopped writing that evening,
-- or a backfill ended early) had no such moment and kept its 2 h rows for good: more rows per
-- read and more bytes at rest. The compaction sweep now also asks which organizations hold
-- chunk rows of ended days; like tsdb_pending_orgs it reveals ids only, never data.
CREATE FUNCTION tsdb_unmerged_day_orgs(p_before_ms bigint) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public SET row_security = off AS
$$ SELECT DISTINCT org_id FROM sample_chunks WHERE block_start < p_before_ms $$;
