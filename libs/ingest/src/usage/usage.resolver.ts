import { Inject } from '@nestjs/common';
import { Field, Float, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Permission, RequirePermission, TenantDb } from '@tocsin/tenancy';
import { SeriesLimitsService } from '@tocsin/tsdb';
import { IngestUsage } from './ingest-usage';

@ObjectType()
export class MetricSeriesCount {
  @Field() metric: string;
  @Field(() => Int) series: number;
}

@ObjectType()
export class IngestMinute {
  @Field(() => Float, { description: 'Unix ms of the minute start.' }) minuteStart: number;
  @Field(() => Int) samples: number;
}

@ObjectType({ description: 'Ingest usage against the organization\'s limits.' })
export class IngestUsageObject {
  @Field(() => Int, { description: 'Series that received samples in the last 3 hours (approximate, like Mimir\'s).' })
  activeSeries: number;
  @Field(() => Int) maxActiveSeries: number;
  @Field(() => Float, { description: 'Samples per second accepted over the last complete minute.' })
  ingestionRate: number;
  @Field(() => Int) ingestionRateLimit: number;
  @Field(() => Int) ingestionBurst: number;
  @Field(() => Int, { nullable: true }) maxSeriesPerMetric: number | null;
  @Field(() => [MetricSeriesCount], { description: 'Metrics with the most active series, most first (at most 20).' })
  topMetrics: MetricSeriesCount[];
  @Field(() => [IngestMinute], { description: 'Samples accepted per minute over the last hour.' })
  lastHour: IngestMinute[];
}

@Resolver()
export class UsageResolver {
  constructor(
    private readonly db: TenantDb,
    @Inject(SeriesLimitsService) private readonly series: SeriesLimitsService,
    @Inject(IngestUsage) private readonly counters: IngestUsage,
  ) {}

  @Query(() => IngestUsageObject)
  @RequirePermission(Permission.OrgRead)
  async usage(): Promise<IngestUsageObject> {
    const org = await this.db.run((tx, orgId) => tx.organization.findUniqueOrThrow({ where: { id: orgId } }));
    const [active, perMetric, lastHour] = await Promise.all([
      this.series.activeSeries(org.id),
      this.series.seriesPerMetric(org.id),
      this.counters.perMinute(org.id, 60),
    ]);
    const topMetrics = [...perMetric.entries()]
      .map(([metric, series]) => ({ metric, series }))
      .sort((a, b) => b.series - a.series || a.metric.localeCompare(b.metric))
      .slice(0, 20);
    return {
      activeSeries: active,
      maxActiveSeries: org.maxActiveSeries,
      ingestionRate: (lastHour[lastHour.length - 1]?.samples ?? 0) / 60,
      ingestionRateLimit: org.ingestionRate,
      ingestionBurst: org.ingestionBurst,
      maxSeriesPerMetric: org.maxSeriesPerMetric,
      topMetrics,
      lastHour,
    };
  }
}
