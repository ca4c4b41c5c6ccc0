-- Retention of the alerting and notification logs (dispatch decisions, deliveries), per
-- organization like the time-series retention columns. The hourly housekeeping job deletes
-- older rows; 30 days by default keeps a month of "why was / wasn't I paged" for explainAlert.
ALTER TABLE "organizations" ADD COLUMN "alert_log_retention_days" INTEGER NOT NULL DEFAULT 30;

-- The retention delete walks (org_id, at): without this it would scan the organization's rows.
CREATE INDEX "dispatch_decisions_org_id_at_idx" ON "dispatch_decisions" ("org_id", "at");

-- Deleting a rule (or group) cascades to its alert instances and from each to its history rows;
-- the history's (org_id, alert_id, at) index cannot serve `alert_id = $1` alone, so every deleted
-- alert scanned the table: deleting a 10,000-rule organization's groups took minutes.
CREATE INDEX "alert_history_alert_id_idx" ON "alert_history" ("alert_id");

-- The outbox sweeper took a transition as lost once its evaluation *instant* was 10 s old; an
-- evaluation that ran late (a backlog after a worker start) committed rows already that old, and
-- the sweeper raced the evaluator's own hand-off for them, dispatching them twice over. Age is now
-- counted from the row's write. Existing rows get the migration's time.
ALTER TABLE "alert_history" ADD COLUMN "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now();

CREATE OR REPLACE FUNCTION list_undispatched_alert_orgs(older_than timestamptz)
RETURNS TABLE (org_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT DISTINCT h.org_id FROM alert_history h WHERE h.dispatched_at IS NULL AND h.recorded_at < older_than $$;
