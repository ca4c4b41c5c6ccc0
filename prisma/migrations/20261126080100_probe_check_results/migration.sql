-- What the last run of a check saw, for the API (the series hold the history).
ALTER TABLE "probe_checks" ADD COLUMN "last_status_code" INTEGER;
ALTER TABLE "probe_checks" ADD COLUMN "cert_not_after" TIMESTAMPTZ(3);
