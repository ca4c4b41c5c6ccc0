-- The head log (libs/tsdb/src/write/sample-log.ts): what an ingest request commits, as one row
-- per request and 2 h block with the samples packed into one bytea (series ids, timestamps and
-- value words, sorted by series then timestamp). A flusher job folds rows into the per-series
-- chunks of sample_chunks and deletes them in the same transaction, so rows live seconds;
-- readers read chunks plus this unfolded tail. Per-sample head rows (`samples`) cost PostgreSQL
-- an index entry and ~110 bytes per sample as written; a log row costs 24 bytes per sample.
-- Not partitioned: it is a queue, emptied continuously; retention deletes expired rows of an
-- organization whose flusher never ran.
CREATE TABLE "sample_log" (
    "id" BIGINT GENERATED ALWAYS AS IDENTITY,
    "org_id" UUID NOT NULL,
    "block_start" BIGINT NOT NULL,
    "min_ts" BIGINT NOT NULL,
    "max_ts" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    CONSTRAINT "sample_log_pkey" PRIMARY KEY ("id")
);
-- Packed float64 words do not compress: store them out of line without trying.
ALTER TABLE "sample_log" ALTER COLUMN "data" SET STORAGE EXTERNAL;
CREATE INDEX "sample_log_org_id_id_idx" ON "sample_log" ("org_id", "id");
ALTER TABLE "sample_log" ADD CONSTRAINT "sample_log_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE;
ALTER TABLE "sample_log" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sample_log" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "sample_log" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());

-- The flush sweep's list of organizations with unfolded rows (ids only, never data).
CREATE FUNCTION tsdb_log_orgs() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT DISTINCT org_id FROM sample_log $$;
ALTER FUNCTION tsdb_log_orgs() SET row_security = off;
