-- Channels (configured notifiers) and the delivery log. Secrets inside channels.config are
-- sealed by the application (AES-256-GCM) before they reach this table.

CREATE TABLE "channels" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "rate_limit_per_minute" INTEGER,
    "fallback_channel_id" UUID,
    "templates" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "channels_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "channels_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "channels_fallback_channel_id_fkey" FOREIGN KEY ("fallback_channel_id") REFERENCES "channels"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "channels_rate_limit_check" CHECK ("rate_limit_per_minute" IS NULL OR "rate_limit_per_minute" > 0),
    CONSTRAINT "channels_fallback_not_self" CHECK ("fallback_channel_id" IS NULL OR "fallback_channel_id" <> "id")
);
CREATE UNIQUE INDEX "channels_org_id_name_key" ON "channels"("org_id", "name");

CREATE TABLE "deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "org_id" UUID NOT NULL,
    "channel_id" UUID,
    "kind" TEXT NOT NULL,
    "target" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "provider_message_id" TEXT,
    "latency_ms" INTEGER,
    "summary" TEXT,
    "source" JSONB,
    "claimed_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "deliveries_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "deliveries_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "deliveries_status_check" CHECK ("status" IN ('queued', 'sending', 'delivered', 'failed'))
);
CREATE UNIQUE INDEX "deliveries_org_id_idempotency_key_key" ON "deliveries"("org_id", "idempotency_key");
CREATE INDEX "deliveries_org_id_created_at_idx" ON "deliveries"("org_id", "created_at");
CREATE INDEX "deliveries_channel_id_created_at_idx" ON "deliveries"("channel_id", "created_at");

ALTER TABLE "channels" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "channels" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "channels" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());

ALTER TABLE "deliveries" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "deliveries" FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON "deliveries" USING ("org_id" = app_org_id()) WITH CHECK ("org_id" = app_org_id());
