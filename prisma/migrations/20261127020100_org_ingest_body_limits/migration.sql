-- Per-organization ingest body limits. NULL: the server's INGEST_MAX_BODY_BYTES /
-- INGEST_MAX_DECOMPRESSED_BYTES (libs/config), which are also the ceiling an organization's own
-- value cannot raise: the api stops reading a body past the server limit before it knows whose
-- body it is.
ALTER TABLE "organizations" ADD COLUMN "ingest_max_body_bytes" INTEGER;
ALTER TABLE "organizations" ADD COLUMN "ingest_max_decompressed_bytes" INTEGER;
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_ingest_max_body_bytes_check" CHECK ("ingest_max_body_bytes" > 0);
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_ingest_max_decompressed_bytes_check" CHECK ("ingest_max_decompressed_bytes" > 0);
