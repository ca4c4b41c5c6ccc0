import { Injectable } from '@nestjs/common';
import { loadConfig } from '@tocsin/config';
import { limitsFromOrganization, type IngestLimits } from '@tocsin/ingest';
import { OrganizationLimitsCache } from '@tocsin/tenancy';

/**
 * An organization's ingest limits from its `organizations` row (cached by
 * OrganizationLimitsCache: ingest is the hot path).
 */
@Injectable()
export class OrgLimitsService {
  constructor(private readonly orgs: OrganizationLimitsCache) {}

  async forOrg(orgId: string): Promise<IngestLimits> {
    const config = loadConfig();
    return limitsFromOrganization(await this.orgs.get(orgId), {
      maxBodyBytes: config.INGEST_MAX_BODY_BYTES,
      maxDecompressedBytes: config.INGEST_MAX_DECOMPRESSED_BYTES,
    });
  }
}
