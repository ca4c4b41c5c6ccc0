-- Only checks an organization chooses appear on its public status page.
ALTER TABLE "probe_checks" ADD COLUMN "public" BOOLEAN NOT NULL DEFAULT false;
