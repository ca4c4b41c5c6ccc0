import { Injectable } from '@nestjs/common';
import { TenantDb } from '../tenant-db';

const CACHE_MS = 30_000;
const MAX_ORGANIZATIONS = 10_000;

/** The `organizations` columns that are limits (ingest, query); see OrganizationLimitsObject. */
const LIMIT_COLUMNS = {
  ingestionRate: true,
  ingestionBurst: true,
  maxActiveSeries: true,
  maxSeriesPerMetric: true,
  ingestMaxBodyBytes: true,
  ingestMaxDecompressedBytes: true,
  queryTimeoutSeconds: true,
  queryMaxSamples: true,
} as const;

export interface OrganizationLimitsRow {
  ingestionRate: number;
  ingestionBurst: number;
  maxActiveSeries: number;
  maxSeriesPerMetric: number | null;
  ingestMaxBodyBytes: number | null;
  ingestMaxDecompressedBytes: number | null;
  queryTimeoutSeconds: number;
  queryMaxSamples: number;
}

/**
 * An organization's limits as its row holds them, cached 30 s per process: ingest and queries
 * ask on every request, and a changed limit taking half a minute to reach the other processes
 * is fine (the process that changed it forgets its copy). A cached row
 * is returned as a value, not a promise, so the hot paths add no await for it.
 */
@Injectable()
export class OrganizationLimitsCache {
  private readonly cache = new Map<string, { at: number; row: OrganizationLimitsRow }>();

  constructor(private readonly db: TenantDb) {}

  get(orgId: string): OrganizationLimitsRow | Promise<OrganizationLimitsRow> {
    const hit = this.cache.get(orgId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.row;
    return this.load(orgId);
  }

  /** Drops a cached row (a limit changed in this process: it applies here at once). */
  forget(orgId: string): void {
    this.cache.delete(orgId);
  }

  private async load(orgId: string): Promise<OrganizationLimitsRow> {
    const at = Date.now();
    const row = await this.db.forOrg(orgId, (tx) =>
      tx.organization.findUnique({ where: { id: orgId }, select: LIMIT_COLUMNS }),
    );
    if (!row) throw new Error(`organization ${orgId} not found`);
    if (this.cache.size >= MAX_ORGANIZATIONS) this.cache.clear();
    this.cache.set(orgId, { at, row });
    return row;
  }
}
