import { Args, Field, Float, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from '@tocsin/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { AlertStateEnum } from '../alerts/dto/alert.object';
import { RuleInput } from '../rules/dto/rule.object';
import { BacktestService } from './backtest.service';

@ObjectType('BacktestInterval')
class BacktestIntervalObject {
  @Field(() => AlertStateEnum) state: AlertStateEnum;
  @Field() from: Date;
  @Field(() => Date, { nullable: true }) to: Date | null;
}

@ObjectType('BacktestEvent')
class BacktestEventObject {
  @Field() at: Date;
  @Field(() => AlertStateEnum) from: AlertStateEnum;
  @Field(() => AlertStateEnum) to: AlertStateEnum;
  @Field() flapping: boolean;
  @Field(() => Float, { nullable: true }) value: number | null;
}

@ObjectType('BacktestSeries')
class BacktestSeriesObject {
  @Field() fingerprint: string;
  @Field(() => GraphQLJSON) labels: Record<string, string>;
  @Field(() => [BacktestIntervalObject]) intervals: BacktestIntervalObject[];
  @Field(() => [BacktestEventObject]) events: BacktestEventObject[];
}

@ObjectType('BacktestResult')
export class BacktestResultObject {
  @Field(() => Int) steps: number;
  @Field(() => Int) transitions: number;
  @Field(() => Int, {
    description:
      'Approximate: one per evaluation with alerts starting to fire, one per evaluation with alerts resolving.',
  })
  notifications: number;
  @Field(() => [BacktestSeriesObject]) series: BacktestSeriesObject[];
}

@Resolver()
export class BacktestResolver {
  constructor(private readonly service: BacktestService) {}

  @Query(() => BacktestResultObject, {
    description:
      'Replays an alerting rule over stored history: for, keep_firing_for, hysteresis and flap hold included.',
  })
  @RequirePermission(Permission.ConfigRead)
  async backtestRule(
    @Args('rule') rule: RuleInput,
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('step', {
      nullable: true,
      description: 'Evaluation step, a Prometheus duration; default 1m.',
    })
    step?: string,
  ): Promise<BacktestResultObject> {
    const r = await this.service.backtestRule(rule, from, to, step);
    return {
      steps: r.steps,
      transitions: r.transitions,
      notifications: r.notifications,
      series: r.series.map((s) => ({
        fingerprint: s.fingerprint,
        labels: s.labels,
        intervals: s.intervals.map((i) => ({
          state: i.state as AlertStateEnum,
          from: new Date(i.from),
          to: i.to === null ? null : new Date(i.to),
        })),
        events: s.events.map((e) => ({
          at: new Date(e.at),
          from: e.from as AlertStateEnum,
          to: e.to as AlertStateEnum,
          flapping: e.flapping,
          value: e.value,
        })),
      })),
    };
  }
}
