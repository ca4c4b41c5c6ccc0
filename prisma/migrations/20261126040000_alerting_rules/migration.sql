-- Alert rules, their groups, alert instances and the history of every transition (libs/alerting).
-- Durations are milliseconds; instants are timestamptz(3).

CREATE TABLE "rule_groups" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "interval_ms" INTEGER NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    -- The evaluation time of the last evaluation, so a duplicated or late job for the same (or an
    -- older) instant evaluates nothing twice.
    "last_eval_at" TIMESTAMPTZ(3),
    "last_eval_ms" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "rule_groups_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "rule_groups_org_id_name_key" ON "rule_groups"("org_id", "name");

CREATE TABLE "rules" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "group_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "expr" TEXT NOT NULL,
    "recovery_expr" TEXT,
    "for_ms" INTEGER NOT NULL DEFAULT 0,
    "keep_firing_for_ms" INTEGER NOT NULL DEFAULT 0,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "condition" JSONB,
    "no_data_state" TEXT NOT NULL DEFAULT 'ok',
    "error_state" TEXT NOT NULL DEFAULT 'keep_last',
    "flap" JSONB,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "rules_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "rules_kind_check" CHECK ("kind" IN ('alerting', 'recording')),
    CONSTRAINT "rules_no_data_state_check" CHECK ("no_data_state" IN ('alerting', 'ok', 'keep_last')),
    CONSTRAINT "rules_error_state_check" CHECK ("error_state" IN ('alerting', 'ok', 'keep_last'))
);
CREATE INDEX "rules_org_id_group_id_idx" ON "rules"("org_id", "group_id");

CREATE TABLE "alert_instances" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "labels" JSONB NOT NULL,
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "state" TEXT NOT NULL,
    "active_since" TIMESTAMPTZ(3),
    "fired_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "last_value" DOUBLE PRECISION,
    "last_eval" TIMESTAMPTZ(3) NOT NULL,
    "keep_firing_until" TIMESTAMPTZ(3),
    "flapping" BOOLEAN NOT NULL DEFAULT false,
    "flap_hold_until" TIMESTAMPTZ(3),
    -- Recent change instants and the last raw condition, for flap detection across restarts.
    "flap_state" JSONB NOT NULL DEFAULT '{}',
    "severity" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_instances_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "alert_instances_state_check" CHECK ("state" IN ('inactive', 'pending', 'firing', 'resolved'))
);
CREATE UNIQUE INDEX "alert_instances_rule_id_fingerprint_key" ON "alert_instances"("rule_id", "fingerprint");
CREATE INDEX "alert_instances_org_id_state_idx" ON "alert_instances"("org_id", "state");

CREATE TABLE "alert_history" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "alert_id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "from_state" TEXT NOT NULL,
    "to_state" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "flapping" BOOLEAN NOT NULL DEFAULT false,
    "at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "alert_history_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "alert_history_org_id_alert_id_at_idx" ON "alert_history"("org_id", "alert_id", "at");

ALTER TABLE "rule_groups" ADD CONSTRAINT "rule_groups_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "rules" ADD CONSTRAINT "rules_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "rules" ADD CONSTRAINT "rules_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "rule_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_instances" ADD CONSTRAINT "alert_instances_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_instances" ADD CONSTRAINT "alert_instances_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_history" ADD CONSTRAINT "alert_history_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_history" ADD CONSTRAINT "alert_history_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alert_instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "rule_groups" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "rule_groups" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "rule_groups" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());

ALTER TABLE "rules" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "rules" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "rules" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());

ALTER TABLE "alert_instances" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "alert_instances" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "alert_instances" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());

ALTER TABLE "alert_history" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "alert_history" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "alert_history" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());

-- The worker reconciles the job schedulers of every rule group at start; under RLS the app role
-- cannot list groups across organizations, so this returns (org, group, interval) and nothing else.
CREATE FUNCTION list_rule_group_schedules()
RETURNS TABLE (id uuid, org_id uuid, interval_ms integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT g.id, g.org_id, g.interval_ms FROM rule_groups g ORDER BY g.id $$;
