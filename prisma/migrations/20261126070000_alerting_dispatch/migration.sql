-- Noise control, routing, grouping and dispatch of alerts (libs/alerting part 2).

CREATE TABLE "silences" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "matchers" JSONB NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" UUID,
    "comment" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "silences_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "silences_org_id_ends_at_idx" ON "silences"("org_id", "ends_at");

CREATE TABLE "maintenance_windows" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "matchers" JSONB NOT NULL,
    -- A TimeInterval: { timeZone, weekdays, times, ranges }.
    "schedule" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "maintenance_windows_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "maintenance_windows_org_id_idx" ON "maintenance_windows"("org_id");

-- One policy document per organization (route tree, receivers, inhibit rules, time intervals).
CREATE TABLE "notification_policies" (
    "org_id" UUID NOT NULL,
    "document" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notification_policies_pkey" PRIMARY KEY ("org_id")
);

-- Alerts posted from outside (Alertmanager API, generic webhook): they have no rule.
CREATE TABLE "external_alerts" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "labels" JSONB NOT NULL,
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3),
    "generator_url" TEXT NOT NULL DEFAULT '',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "external_alerts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "external_alerts_status_check" CHECK ("status" IN ('firing', 'resolved'))
);
CREATE UNIQUE INDEX "external_alerts_org_id_source_fingerprint_key" ON "external_alerts"("org_id", "source", "fingerprint");
CREATE INDEX "external_alerts_org_id_status_idx" ON "external_alerts"("org_id", "status");

-- Aggregation groups: (route, group_by values). next_flush_at is the one scheduled flush; a flush
-- job whose slot is not next_flush_at is stale and does nothing.
CREATE TABLE "alert_groups" (
    "org_id" UUID NOT NULL,
    "group_hash" TEXT NOT NULL,
    "group_key" TEXT NOT NULL,
    "route_id" TEXT NOT NULL,
    "group_labels" JSONB NOT NULL,
    "next_flush_at" TIMESTAMPTZ(3),
    "last_flush_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_groups_pkey" PRIMARY KEY ("org_id", "group_hash")
);

CREATE TABLE "alert_group_members" (
    "org_id" UUID NOT NULL,
    "group_hash" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    -- alert_instances.id or external_alerts.id
    "alert_id" UUID NOT NULL,
    "labels" JSONB NOT NULL,
    "annotations" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3),
    "generator_url" TEXT NOT NULL DEFAULT '',
    "value" DOUBLE PRECISION,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_group_members_pkey" PRIMARY KEY ("org_id", "group_hash", "fingerprint"),
    CONSTRAINT "alert_group_members_status_check" CHECK ("status" IN ('firing', 'resolved'))
);

-- Alertmanager's nflog: what each receiver of a group was last told.
CREATE TABLE "notification_log" (
    "org_id" UUID NOT NULL,
    "group_hash" TEXT NOT NULL,
    "receiver" TEXT NOT NULL,
    "firing" TEXT[] NOT NULL,
    "resolved" TEXT[] NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,
    "slot" BIGINT NOT NULL,
    CONSTRAINT "notification_log_pkey" PRIMARY KEY ("org_id", "group_hash", "receiver")
);

-- Why an alert was or was not notified: one row per decision, read by explainAlert.
CREATE TABLE "dispatch_decisions" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "alert_id" UUID NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "detail" JSONB NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dispatch_decisions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "dispatch_decisions_org_id_alert_id_at_idx" ON "dispatch_decisions"("org_id", "alert_id", "at");
CREATE INDEX "dispatch_decisions_org_id_fingerprint_at_idx" ON "dispatch_decisions"("org_id", "fingerprint", "at");

ALTER TABLE "silences" ADD CONSTRAINT "silences_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "maintenance_windows" ADD CONSTRAINT "maintenance_windows_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_policies" ADD CONSTRAINT "notification_policies_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "external_alerts" ADD CONSTRAINT "external_alerts_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_groups" ADD CONSTRAINT "alert_groups_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_group_members" ADD CONSTRAINT "alert_group_members_group_fkey" FOREIGN KEY ("org_id", "group_hash") REFERENCES "alert_groups"("org_id", "group_hash") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_log" ADD CONSTRAINT "notification_log_group_fkey" FOREIGN KEY ("org_id", "group_hash") REFERENCES "alert_groups"("org_id", "group_hash") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dispatch_decisions" ADD CONSTRAINT "dispatch_decisions_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "silences" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "silences" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "silences" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "maintenance_windows" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "maintenance_windows" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "maintenance_windows" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "notification_policies" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "notification_policies" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "notification_policies" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "external_alerts" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "external_alerts" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "external_alerts" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "alert_groups" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "alert_groups" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "alert_groups" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "alert_group_members" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "alert_group_members" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "alert_group_members" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "notification_log" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "notification_log" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "notification_log" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "dispatch_decisions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "dispatch_decisions" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "dispatch_decisions" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
