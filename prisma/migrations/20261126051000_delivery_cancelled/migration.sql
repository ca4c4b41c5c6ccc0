-- A delivery a higher domain called off at the last moment (on-call: the incident was
-- acknowledged before the page left) is neither delivered nor failed.
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_status_check";
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_status_check" CHECK ("status" IN ('queued', 'sending', 'delivered', 'failed', 'cancelled'));
