-- Metric metadata (TYPE, HELP, UNIT) as remote_write 1.0 senders send it: Prometheus sends its
-- targets' metadata every minute in requests of their own. One row per organization and metric
-- name, the latest sent winning; /api/v1/metadata serves it (Grafana's metric browser shows the
-- type and help). Rows per organization are capped by the writer at its active-series limit.
CREATE TABLE "metric_metadata" (
  "org_id" UUID NOT NULL,
  "metric" TEXT NOT NULL,
  "type" TEXT NOT NULL,
  "help" TEXT NOT NULL,
  "unit" TEXT NOT NULL,
  "updated_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY ("org_id", "metric")
);
ALTER TABLE "metric_metadata" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "metric_metadata" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "metric_metadata" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
