-- Transition outbox: a history row is written in the evaluation's transaction with
-- dispatched_at NULL and stamped once the transition sink returned. A worker that dies between
-- the commit and the hand-off leaves NULLs behind, and the sweeper re-feeds them.
-- Rows that existed before this migration were handed off already: the default fills them,
-- then goes, so new rows start undispatched.
ALTER TABLE "alert_history" ADD COLUMN "dispatched_at" TIMESTAMPTZ(3) DEFAULT now();
ALTER TABLE "alert_history" ALTER COLUMN "dispatched_at" DROP DEFAULT;

CREATE INDEX "alert_history_undispatched_idx" ON "alert_history" ("org_id", "at") WHERE "dispatched_at" IS NULL;

-- The sweeper runs without an organization; under RLS the app role cannot look across
-- organizations, so this names the organizations with an old undispatched transition and nothing else.
CREATE FUNCTION list_undispatched_alert_orgs(older_than timestamptz)
RETURNS TABLE (org_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT DISTINCT h.org_id FROM alert_history h WHERE h.dispatched_at IS NULL AND h.at < older_than $$;

