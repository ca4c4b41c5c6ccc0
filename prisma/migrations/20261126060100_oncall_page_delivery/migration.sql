-- Pages are handed to libs/notify (enqueueDirect); the page keeps the id of notify's delivery-log
-- row, where the provider outcome is recorded.
ALTER TABLE "oncall_pages" ADD COLUMN "delivery_id" UUID;
