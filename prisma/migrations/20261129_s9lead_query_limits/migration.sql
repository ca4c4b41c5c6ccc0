-- Per-organization query limits, as Prometheus' --query.timeout and --query.max-samples (whose
-- defaults these are): one tenant's dashboards may be given more room, or less, than another's.
ALTER TABLE "organizations" ADD COLUMN "query_timeout_seconds" INTEGER NOT NULL DEFAULT 120;
ALTER TABLE "organizations" ADD COLUMN "query_max_samples" INTEGER NOT NULL DEFAULT 50000000;
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_query_timeout_seconds_check" CHECK ("query_timeout_seconds" > 0);
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_query_max_samples_check" CHECK ("query_max_samples" > 0);
