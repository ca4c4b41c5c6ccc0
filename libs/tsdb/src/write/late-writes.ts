/**
 * Told about writes that land behind "now": samples older than `now − lateBeforeMs`. The query
 * results cache (libs/promql/src/cache) keeps answers up to a freshness horizon and must drop
 * them when such a sample arrives; the writer only reports, it knows nothing of the cache.
 */
export interface LateWriteListener {
  /** A write is late when its oldest sample is older than now − this. */
  lateBeforeMs: number;
  /**
   * Called after the write committed (never before: a reader must not re-cache the old answer
   * after the notice). A rejection fails the write, so the client re-sends it and the notice is
   * given again; the samples themselves are idempotent.
   */
  onLateWrite(orgId: string, oldestMs: number): Promise<void>;
}
