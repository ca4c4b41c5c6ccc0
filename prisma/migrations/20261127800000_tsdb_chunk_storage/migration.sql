-- Chunks out of line without pglz. An open chunk (uncompressed float64 records, 16 B/sample)
-- passes the 2 kB TOAST threshold at ~125 samples, and the flusher appends to it every few
-- seconds: PostgreSQL then decompressed and re-compressed it whole at each append, for almost
-- no saving on float64 words (an in-process flush loop, 10,000 series × 240 scrapes: PostgreSQL
-- CPU 27.5 s with EXTENDED, 13.9 s with EXTERNAL). Sealed chunks are compressed already and are
-- rarely above the threshold. Recurses to existing partitions; new ones copy the parent's.
ALTER TABLE "sample_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL;
