import { Args, Field, InputType, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { loadConfig } from '@tocsin/config';
import { AppError } from '@tocsin/graphql';
import { RequirePermission } from '../access.decorators';
import { AuditService } from '../audit/audit.service';
import { Permission } from '../permissions';
import { TenantDb } from '../tenant-db';
import { OrganizationLimitsCache } from './organization-limits.cache';
import { OrganizationLimitsObject, OrganizationObject } from './organization.object';

@InputType({ description: 'Only the fields given change.' })
export class UpdateOrganizationLimitsInput {
  @Field(() => Int, { nullable: true }) ingestionRate?: number;
  @Field(() => Int, { nullable: true }) ingestionBurst?: number;
  @Field(() => Int, { nullable: true }) maxActiveSeries?: number;
  @Field(() => Int, { nullable: true, description: 'Set 0 to remove the limit.' })
  maxSeriesPerMetric?: number;
  @Field(() => Int, { nullable: true }) retentionRawDays?: number;
  @Field(() => Int, { nullable: true }) retention1mDays?: number;
  @Field(() => Int, { nullable: true }) retention1hDays?: number;
  @Field(() => Int, {
    nullable: true,
    description: "Set 0 to use the server's INGEST_MAX_BODY_BYTES.",
  })
  ingestMaxBodyBytes?: number;
  @Field(() => Int, {
    nullable: true,
    description: "Set 0 to use the server's INGEST_MAX_DECOMPRESSED_BYTES.",
  })
  ingestMaxDecompressedBytes?: number;
  @Field(() => Int, { nullable: true }) alertLogRetentionDays?: number;
  @Field(() => Int, { nullable: true }) queryTimeoutSeconds?: number;
  @Field(() => Int, { nullable: true }) queryMaxSamples?: number;
}

function limitBounds(): Record<keyof UpdateOrganizationLimitsInput, [number, number]> {
  const config = loadConfig();
  return {
    ingestionRate: [1, 10_000_000],
    ingestionBurst: [1, 100_000_000],
    maxActiveSeries: [1, 100_000_000],
    maxSeriesPerMetric: [0, 100_000_000],
    retentionRawDays: [1, 3650],
    retention1mDays: [1, 3650],
    retention1hDays: [1, 3650],
    // An organization's body limit can only lower the server's: the api stops reading a body past
    // the server's limit before it knows whose it is.
    ingestMaxBodyBytes: [0, config.INGEST_MAX_BODY_BYTES],
    ingestMaxDecompressedBytes: [0, config.INGEST_MAX_DECOMPRESSED_BYTES],
    alertLogRetentionDays: [1, 3650],
    queryTimeoutSeconds: [1, 3600],
    queryMaxSamples: [1000, 1_000_000_000],
  };
}

/** Limits whose 0 means "none of the organization's own" (stored as NULL). */
const zeroClears = new Set<keyof UpdateOrganizationLimitsInput>([
  'maxSeriesPerMetric',
  'ingestMaxBodyBytes',
  'ingestMaxDecompressedBytes',
]);

@Resolver()
export class OrganizationsResolver {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    private readonly limitsCache: OrganizationLimitsCache,
  ) {}

  @Query(() => OrganizationObject, { description: 'The organization this session or key acts in.' })
  @RequirePermission(Permission.OrgRead)
  organization(): Promise<OrganizationObject> {
    return this.db.run((tx, orgId) => tx.organization.findUniqueOrThrow({ where: { id: orgId } }));
  }

  @Query(() => OrganizationLimitsObject)
  @RequirePermission(Permission.OrgRead)
  organizationLimits(): Promise<OrganizationLimitsObject> {
    return this.db.run((tx, orgId) => tx.organization.findUniqueOrThrow({ where: { id: orgId } }));
  }

  @Mutation(() => OrganizationLimitsObject, {
    description: 'Changes ingest and query limits and retention (admins).',
  })
  @RequirePermission(Permission.OrgManage)
  async updateOrganizationLimits(
    @Args('input') input: UpdateOrganizationLimitsInput,
  ): Promise<OrganizationLimitsObject> {
    const data: Record<string, number | null> = {};
    const bounds = limitBounds();
    for (const [key, value] of Object.entries(input) as Array<
      [keyof UpdateOrganizationLimitsInput, number | undefined]
    >) {
      if (value === undefined || value === null) continue;
      const [min, max] = bounds[key];
      if (!Number.isInteger(value) || value < min || value > max) {
        throw AppError.badInput(`${key} must be an integer from ${min} to ${max}`, { field: key });
      }
      data[key] = zeroClears.has(key) && value === 0 ? null : value;
    }
    const updated = await this.db.run(async (tx, orgId) => {
      const before = await tx.organization.findUniqueOrThrow({ where: { id: orgId } });
      const after = await tx.organization.update({ where: { id: orgId }, data });
      const changes = Object.fromEntries(
        Object.keys(data).map((k) => [
          k,
          { from: (before as Record<string, unknown>)[k], to: data[k] },
        ]),
      );
      await this.audit.record(tx, orgId, {
        action: 'organization.limitsChange',
        targetType: 'organization',
        targetId: orgId,
        details: changes as never,
      });
      return after;
    });
    this.limitsCache.forget(updated.id);
    return updated;
  }
}
