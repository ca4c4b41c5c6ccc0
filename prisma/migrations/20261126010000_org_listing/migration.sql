-- Periodic jobs (retention, probes) fan out one job per organization. The app role cannot list
-- organizations under RLS; this function gives it the ids and nothing else.
CREATE FUNCTION list_org_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT id FROM organizations ORDER BY id $$;
