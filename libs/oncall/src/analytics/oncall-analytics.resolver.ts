import { Args, Field, Float, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { OncallAnalyticsService } from './oncall-analytics.service';

@ObjectType('ResponderStats')
export class ResponderStatsObject {
  @Field({ description: 'User or schedule id.' }) key: string;
  @Field() name: string;
  @Field(() => Int) pages: number;
  @Field(() => Int, { description: "Pages between 22:00 and 07:00 on the person's clock." })
  nightPages: number;
  @Field(() => Int) incidents: number;
  @Field(() => Int) acknowledged: number;
  @Field(() => Float, { nullable: true }) meanSecondsToAck: number | null;
  @Field(() => Float, { nullable: true }) meanSecondsToResolve: number | null;
}

@ObjectType('IncidentSourceStats')
export class SourceStatsObject {
  @Field({ description: 'Alert group key, or source:manual / source:api.' }) source: string;
  @Field(() => Int) incidents: number;
  @Field(() => Int) ackedQuickly: number;
  @Field(() => Int, { description: 'Never acknowledged.' }) ignored: number;
  @Field(() => Float, { nullable: true }) meanSecondsToAck: number | null;
}

@Resolver()
export class OncallAnalyticsResolver {
  constructor(private readonly analytics: OncallAnalyticsService) {}

  @Query(() => [ResponderStatsObject])
  @RequirePermission(Permission.IncidentsRead)
  oncallStatsByUser(@Args('from') from: Date, @Args('to') to: Date) {
    return this.analytics.perUser(from, to);
  }

  @Query(() => [ResponderStatsObject])
  @RequirePermission(Permission.IncidentsRead)
  oncallStatsBySchedule(@Args('from') from: Date, @Args('to') to: Date) {
    return this.analytics.perSchedule(from, to);
  }

  @Query(() => [SourceStatsObject], { description: 'Noisiest sources first.' })
  @RequirePermission(Permission.IncidentsRead)
  noisiestIncidentSources(
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('quickSeconds', { type: () => Int, defaultValue: 300 }) quickSeconds: number,
    @Args('limit', { type: () => Int, defaultValue: 20 }) limit: number,
  ) {
    return this.analytics.noisiestSources(from, to, quickSeconds, limit);
  }
}
