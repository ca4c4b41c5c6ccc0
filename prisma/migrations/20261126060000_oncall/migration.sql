-- On-call: contact methods, notification rules, schedules, overrides, escalation policies,
-- incidents with a per-organization number, their timeline and every page sent.
-- Layers and levels are jsonb validated by libs/oncall (zod): they are read whole, never queried.

CREATE TABLE "oncall_contact_methods" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "verified_at" TIMESTAMPTZ(3),
    "code_hash" TEXT,
    "code_expires_at" TIMESTAMPTZ(3),
    "code_attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "oncall_contact_methods_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "oncall_contact_methods_org_id_user_id_kind_address_key" ON "oncall_contact_methods"("org_id", "user_id", "kind", "address");

CREATE TABLE "oncall_notification_rules" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "urgency" TEXT NOT NULL,
    "contact_method_id" UUID NOT NULL,
    "delay_seconds" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "oncall_notification_rules_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "oncall_notification_rules_org_id_user_id_idx" ON "oncall_notification_rules"("org_id", "user_id");

CREATE TABLE "oncall_user_settings" (
    "org_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "quiet_hours_start" TEXT,
    "quiet_hours_end" TEXT,
    CONSTRAINT "oncall_user_settings_pkey" PRIMARY KEY ("org_id", "user_id")
);

CREATE TABLE "oncall_schedules" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "layers" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "oncall_schedules_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "oncall_schedules_org_id_name_key" ON "oncall_schedules"("org_id", "name");

CREATE TABLE "oncall_schedule_overrides" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "schedule_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "oncall_schedule_overrides_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "oncall_schedule_overrides_org_id_schedule_id_ends_at_idx" ON "oncall_schedule_overrides"("org_id", "schedule_id", "ends_at");

CREATE TABLE "oncall_escalation_policies" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "levels" JSONB NOT NULL,
    "repeat_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "oncall_escalation_policies_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "oncall_escalation_policies_org_id_name_key" ON "oncall_escalation_policies"("org_id", "name");

-- One row per organization, bumped inside the transaction that inserts the incident.
CREATE TABLE "oncall_incident_counters" (
    "org_id" UUID NOT NULL,
    "last_number" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "oncall_incident_counters_pkey" PRIMARY KEY ("org_id")
);

CREATE TABLE "oncall_incidents" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "urgency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "group_key" TEXT,
    "escalation_policy_id" UUID,
    "policy_snapshot" JSONB,
    "escalation_run_id" UUID NOT NULL,
    "escalation_step" INTEGER NOT NULL DEFAULT -1,
    "ack_timeout_seconds" INTEGER,
    "assigned_user_ids" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[],
    "alerts" JSONB,
    "acknowledged_by_id" UUID,
    "acknowledged_at" TIMESTAMPTZ(3),
    "resolved_by_id" UUID,
    "resolved_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "oncall_incidents_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "oncall_incidents_org_id_number_key" ON "oncall_incidents"("org_id", "number");
CREATE INDEX "oncall_incidents_org_id_status_created_at_idx" ON "oncall_incidents"("org_id", "status", "created_at");
-- At most one open incident per alert group: concurrent firing jobs cannot open two.
CREATE UNIQUE INDEX "oncall_incidents_open_group_key" ON "oncall_incidents"("org_id", "group_key") WHERE "group_key" IS NOT NULL AND "status" <> 'RESOLVED';

CREATE TABLE "oncall_incident_events" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "actor_user_id" UUID,
    "details" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "oncall_incident_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "oncall_incident_events_org_id_incident_id_created_at_idx" ON "oncall_incident_events"("org_id", "incident_id", "created_at");

CREATE TABLE "oncall_pages" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "schedule_id" UUID,
    "contact_method_id" UUID,
    "kind" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "run_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    CONSTRAINT "oncall_pages_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "oncall_pages_org_id_idempotency_key_key" ON "oncall_pages"("org_id", "idempotency_key");
CREATE INDEX "oncall_pages_org_id_incident_id_idx" ON "oncall_pages"("org_id", "incident_id");
CREATE INDEX "oncall_pages_org_id_user_id_created_at_idx" ON "oncall_pages"("org_id", "user_id", "created_at");

ALTER TABLE "oncall_contact_methods" ADD CONSTRAINT "oncall_contact_methods_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oncall_contact_methods" ADD CONSTRAINT "oncall_contact_methods_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oncall_notification_rules" ADD CONSTRAINT "oncall_notification_rules_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oncall_notification_rules" ADD CONSTRAINT "oncall_notification_rules_contact_method_id_fkey" FOREIGN KEY ("contact_method_id") REFERENCES "oncall_contact_methods"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oncall_user_settings" ADD CONSTRAINT "oncall_user_settings_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oncall_schedules" ADD CONSTRAINT "oncall_schedules_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oncall_schedule_overrides" ADD CONSTRAINT "oncall_schedule_overrides_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oncall_schedule_overrides" ADD CONSTRAINT "oncall_schedule_overrides_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "oncall_schedules"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oncall_escalation_policies" ADD CONSTRAINT "oncall_escalation_policies_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oncall_incident_counters" ADD CONSTRAINT "oncall_incident_counters_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oncall_incidents" ADD CONSTRAINT "oncall_incidents_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oncall_incident_events" ADD CONSTRAINT "oncall_incident_events_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "oncall_incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oncall_pages" ADD CONSTRAINT "oncall_pages_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "oncall_incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "oncall_contact_methods" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "oncall_contact_methods" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "oncall_contact_methods" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "oncall_notification_rules" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "oncall_notification_rules" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "oncall_notification_rules" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "oncall_user_settings" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "oncall_user_settings" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "oncall_user_settings" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "oncall_schedules" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "oncall_schedules" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "oncall_schedules" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "oncall_schedule_overrides" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "oncall_schedule_overrides" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "oncall_schedule_overrides" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "oncall_escalation_policies" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "oncall_escalation_policies" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "oncall_escalation_policies" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "oncall_incident_counters" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "oncall_incident_counters" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "oncall_incident_counters" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "oncall_incidents" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "oncall_incidents" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "oncall_incidents" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "oncall_incident_events" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "oncall_incident_events" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "oncall_incident_events" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
ALTER TABLE "oncall_pages" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "oncall_pages" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "oncall_pages" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());

-- An SMS reply arrives before any organization is known: this answers, for one verified phone
-- number exactly, which (organization, user) pairs own it, and nothing else.
CREATE FUNCTION oncall_verified_phone_owners(p_address text)
RETURNS TABLE (org_id uuid, user_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT c.org_id, c.user_id FROM oncall_contact_methods c
   WHERE c.address = p_address AND c.kind IN ('sms', 'voice') AND c.verified_at IS NOT NULL
   GROUP BY c.org_id, c.user_id $$;
