import { Injectable } from '@nestjs/common';
import { loadConfig } from '@tocsin/config';
import { limitsFromOrganization, type IngestLimits } from '@tocsin/ingest';
import { TenantDb } from '@tocsin/tenancy';

const CACHE_MS = 30_000;

/**
 * An organization's ingest limits from its `organizations` row, cached briefly: ingest is the hot
 * path, and a limit change taking half a minute to apply is fine.
 */
@Injectable()
export class OrgLimitsService {
  private readonly cache = new Map<string, { at: number; limits: IngestLimits }>();

  constructor(private readonly db: TenantDb) {}

  async forOrg(orgId: string): Promise<IngestLimits> {
    const now = Date.now();
    const hit = this.cache.get(orgId);
    if (hit && now - hit.at < CACHE_MS) return hit.limits;
    const org = await this.db.forOrg(orgId, (tx) =>
      tx.organization.findUnique({
        where: { id: orgId },
        select: {
          ingestionRate: true,
          ingestionBurst: true,
          maxActiveSeries: true,
          maxSeriesPerMetric: true,
          ingestMaxBodyBytes: true,
          ingestMaxDecompressedBytes: true,
        },
      }),
    );
    if (!org) throw new Error(`organization ${orgId} not found`);
    const config = loadConfig();
    const limits = limitsFromOrganization(org, {
      maxBodyBytes: config.INGEST_MAX_BODY_BYTES,
      maxDecompressedBytes: config.INGEST_MAX_DECOMPRESSED_BYTES,
    });
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(orgId, { at: now, limits });
    return limits;
  }
}
