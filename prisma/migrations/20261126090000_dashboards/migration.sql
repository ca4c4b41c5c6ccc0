-- Dashboards of the web app: a title and a JSON definition (panels, variables, time settings).
CREATE TABLE "dashboards" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dashboards_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "dashboards_org_id_title_idx" ON "dashboards"("org_id", "title");
ALTER TABLE "dashboards" ADD CONSTRAINT "dashboards_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dashboards" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "dashboards" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "dashboards" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
