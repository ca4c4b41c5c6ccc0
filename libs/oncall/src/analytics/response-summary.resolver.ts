import { Args, Field, Float, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { ResponseSummaryService } from './response-summary.service';

@ObjectType('OncallResponseSummary')
export class ResponseSummaryObject {
  @Field(() => Int) incidents: number;
  @Field(() => Int) acknowledged: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Median seconds from opening to the first acknowledgement.',
  })
  secondsToAckP50: number | null;
  @Field(() => Float, { nullable: true }) secondsToAckP90: number | null;
  @Field(() => Float, { nullable: true }) secondsToResolveP50: number | null;
  @Field(() => [Int], {
    description: 'Incidents opened in each hour of the day (0–23), on the timeZone clock.',
  })
  incidentsByHour: number[];
  @Field(() => Int, {
    description: 'Opened outside 09:00–18:00 Monday to Friday, on the timeZone clock.',
  })
  outOfHoursIncidents: number;
}

@Resolver()
export class ResponseSummaryResolver {
  constructor(private readonly summaries: ResponseSummaryService) {}

  @Query(() => ResponseSummaryObject, {
    description: 'Time to acknowledge and resolve as percentiles, and when incidents arrive.',
  })
  @RequirePermission(Permission.IncidentsRead)
  oncallResponseSummary(
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('timeZone', {
      type: () => String,
      nullable: true,
      description: 'IANA zone; default UTC.',
    })
    timeZone: string | null,
  ) {
    return this.summaries.summary(from, to, timeZone ?? 'UTC');
  }
}
