-- Collection: scrape targets (pull), synthetic checks, heartbeats, and the public status page's
-- incidents. Auth secrets of targets live in "auth" as the application wrote them.

CREATE TABLE "scrape_targets" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "job" TEXT NOT NULL,
    "scheme" TEXT NOT NULL DEFAULT 'http',
    "address" TEXT NOT NULL,
    "metrics_path" TEXT NOT NULL DEFAULT '/metrics',
    "interval_ms" INTEGER NOT NULL DEFAULT 60000,
    "timeout_ms" INTEGER NOT NULL DEFAULT 10000,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "auth" JSONB,
    "metric_relabel_configs" JSONB NOT NULL DEFAULT '[]',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "health" TEXT NOT NULL DEFAULT 'unknown',
    "last_scrape_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_duration_ms" DOUBLE PRECISION,
    "last_samples" INTEGER,
    "last_series" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "scrape_targets_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "scrape_targets_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "scrape_targets_scheme_check" CHECK ("scheme" IN ('http', 'https')),
    CONSTRAINT "scrape_targets_interval_check" CHECK ("interval_ms" >= 1000 AND "timeout_ms" >= 100 AND "timeout_ms" <= "interval_ms")
);
CREATE UNIQUE INDEX "scrape_targets_org_id_job_address_path_key" ON "scrape_targets"("org_id", "job", "address", "metrics_path");

CREATE TABLE "probe_checks" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "interval_ms" INTEGER NOT NULL DEFAULT 60000,
    "timeout_ms" INTEGER NOT NULL DEFAULT 10000,
    "failure_threshold" INTEGER NOT NULL DEFAULT 1,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "status" TEXT NOT NULL DEFAULT 'unknown',
    "last_checked_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_duration_ms" DOUBLE PRECISION,
    "rule_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "probe_checks_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "probe_checks_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "probe_checks_kind_check" CHECK ("kind" IN ('http', 'tcp', 'dns')),
    CONSTRAINT "probe_checks_interval_check" CHECK ("interval_ms" >= 1000 AND "timeout_ms" >= 100 AND "failure_threshold" >= 1)
);
CREATE UNIQUE INDEX "probe_checks_org_id_name_key" ON "probe_checks"("org_id", "name");

CREATE TABLE "heartbeats" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "period_ms" INTEGER,
    "cron" TEXT,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "grace_ms" INTEGER NOT NULL DEFAULT 0,
    "last_beat_at" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL DEFAULT 'new',
    "rule_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "heartbeats_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "heartbeats_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "heartbeats_period_check" CHECK (("period_ms" IS NOT NULL AND "period_ms" >= 1000) OR "cron" IS NOT NULL)
);
CREATE UNIQUE INDEX "heartbeats_token_hash_key" ON "heartbeats"("token_hash");
CREATE UNIQUE INDEX "heartbeats_org_id_name_key" ON "heartbeats"("org_id", "name");

CREATE TABLE "status_incidents" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'incident',
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'investigating',
    "check_ids" UUID[] NOT NULL DEFAULT '{}',
    "starts_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ends_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "status_incidents_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "status_incidents_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "status_incidents_kind_check" CHECK ("kind" IN ('incident', 'maintenance'))
);
CREATE INDEX "status_incidents_org_id_starts_at_idx" ON "status_incidents"("org_id", "starts_at");

CREATE TABLE "status_incident_updates" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "status_incident_updates_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "status_incident_updates_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "status_incident_updates_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "status_incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "status_incident_updates_incident_id_idx" ON "status_incident_updates"("incident_id", "created_at");

ALTER TABLE "scrape_targets" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "scrape_targets" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "scrape_targets" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "probe_checks" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "probe_checks" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "probe_checks" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "heartbeats" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "heartbeats" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "heartbeats" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "status_incidents" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "status_incidents" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "status_incidents" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "status_incident_updates" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "status_incident_updates" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "status_incident_updates" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());

-- A heartbeat push carries only its secret token; the app role finds whose it is through this
-- function (by hash, nothing else), then works inside that organization under RLS.
CREATE FUNCTION heartbeat_owner(p_token_hash text) RETURNS TABLE (org_id uuid, heartbeat_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT org_id, id FROM heartbeats WHERE token_hash = p_token_hash $$;

-- The public status page knows a slug, not an organization id.
CREATE FUNCTION status_page_org(p_slug text) RETURNS TABLE (org_id uuid, name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT id, name FROM organizations WHERE slug = p_slug $$;
