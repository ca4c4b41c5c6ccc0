-- 1m rollups are no longer stored while raw samples exist: PgSeriesReader.selectRollup derives
-- them from raw samples on read (one 1m row cost ~150 B on disk, ~95 B per raw sample at a 30 s
-- scrape, against ~1.5 B per sample for the chunks), and rollup_1h is rolled from raw samples.
-- RollupService.archiveMinutes stores minutes in rollup_1m on the last day before their raw
-- samples pass retention, so 1m resolution still lasts retention_1m_days. This table remembers,
-- per organization, up to where minutes have been archived (exclusive, epoch ms).
CREATE TABLE "rollup_1m_archived" (
    "org_id" UUID NOT NULL,
    "until" BIGINT NOT NULL,
    CONSTRAINT "rollup_1m_archived_pkey" PRIMARY KEY ("org_id")
);
ALTER TABLE "rollup_1m_archived" ADD CONSTRAINT "rollup_1m_archived_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE;
ALTER TABLE "rollup_1m_archived" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "rollup_1m_archived" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "rollup_1m_archived" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
