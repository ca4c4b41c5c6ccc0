export const INGEST_HANDLER = Symbol('INGEST_HANDLER');
