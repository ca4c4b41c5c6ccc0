import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from '@tocsin/graphql';

export enum RuleKindEnum {
  ALERTING = 'alerting',
  RECORDING = 'recording',
}
registerEnumType(RuleKindEnum, { name: 'RuleKind' });

export enum NoDataStateEnum {
  ALERTING = 'alerting',
  OK = 'ok',
  KEEP_LAST = 'keep_last',
}
registerEnumType(NoDataStateEnum, {
  name: 'NoDataState',
  description:
    'What a rule does when its query has no data or fails: fire, count as OK, or keep the last state.',
});

@ObjectType('FlapSettings')
export class FlapSettingsObject {
  @Field() enabled: boolean;
  @Field(() => Int, {
    description: 'More state changes than this within `window` mark the alert flapping.',
  })
  maxChanges: number;
  @Field() window: string;
  @Field({
    description: 'While flapping, the state holds until the condition has been steady this long.',
  })
  hold: string;
}

@ObjectType('Rule')
export class RuleObject {
  @Field(() => ID) id: string;
  @Field(() => ID) groupId: string;
  @Field(() => RuleKindEnum) kind: RuleKindEnum;
  @Field({ description: 'The alert name, or the metric a recording rule writes.' }) name: string;
  @Field() expr: string;
  @Field(() => String, {
    nullable: true,
    description: 'Hysteresis: a firing alert stays firing while its series is in this result.',
  })
  recoveryExpr: string | null;
  @Field({ description: 'Prometheus duration, "0s" when the rule fires at once.' }) for: string;
  @Field() keepFiringFor: string;
  @Field(() => GraphQLJSON) labels: Record<string, string>;
  @Field(() => GraphQLJSON) annotations: Record<string, string>;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'The builder condition, when the rule was made with the builder.',
  })
  condition: unknown;
  @Field(() => NoDataStateEnum) noDataState: NoDataStateEnum;
  @Field(() => NoDataStateEnum) errorState: NoDataStateEnum;
  @Field(() => FlapSettingsObject, { nullable: true }) flap: FlapSettingsObject | null;
  @Field() enabled: boolean;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType('RuleGroup')
export class RuleGroupObject {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() interval: string;
  @Field(() => GraphQLJSON) labels: Record<string, string>;
  @Field(() => [RuleObject]) rules: RuleObject[];
  @Field(() => Date, { nullable: true }) lastEvalAt: Date | null;
  @Field(() => Int, { nullable: true }) lastEvalMs: number | null;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field() createdAt: Date;
}

@ObjectType('CompiledCondition')
export class CompiledConditionObject {
  @Field({ description: 'The PromQL the alert fires on.' }) expr: string;
  @Field(() => String, { nullable: true }) recoveryExpr: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'A pending period the condition implies (no-data).',
  })
  for: string | null;
}

@InputType()
export class FlapSettingsInput {
  @Field({ nullable: true }) enabled?: boolean;
  @Field(() => Int, { nullable: true }) maxChanges?: number;
  @Field({ nullable: true }) window?: string;
  @Field({ nullable: true }) hold?: string;
}

@InputType()
export class CreateRuleGroupInput {
  @Field() name: string;
  @Field({ description: 'Prometheus duration, e.g. "1m".' }) interval: string;
  @Field(() => GraphQLJSON, { nullable: true }) labels?: Record<string, unknown>;
}

@InputType()
export class UpdateRuleGroupInput {
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) interval?: string;
  @Field(() => GraphQLJSON, { nullable: true }) labels?: Record<string, unknown>;
}

@InputType()
export class RuleInput {
  @Field(() => RuleKindEnum) kind: RuleKindEnum;
  @Field() name: string;
  @Field({ nullable: true, description: 'PromQL; leave out when giving a builder condition.' })
  expr?: string;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'A builder condition, compiled to PromQL on save.',
  })
  condition?: unknown;
  @Field({ nullable: true }) for?: string;
  @Field({ nullable: true }) keepFiringFor?: string;
  @Field(() => GraphQLJSON, { nullable: true }) labels?: Record<string, unknown>;
  @Field(() => GraphQLJSON, { nullable: true }) annotations?: Record<string, unknown>;
  @Field(() => NoDataStateEnum, { nullable: true }) noDataState?: NoDataStateEnum;
  @Field(() => NoDataStateEnum, { nullable: true }) errorState?: NoDataStateEnum;
  @Field(() => FlapSettingsInput, { nullable: true }) flap?: FlapSettingsInput;
  @Field({ nullable: true }) enabled?: boolean;
}

@InputType()
export class CreateRuleInput extends RuleInput {
  @Field(() => ID) groupId: string;
}
