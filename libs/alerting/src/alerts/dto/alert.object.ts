import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from '@tocsin/graphql';

export enum AlertStateEnum {
  INACTIVE = 'inactive',
  PENDING = 'pending',
  FIRING = 'firing',
  RESOLVED = 'resolved',
}
registerEnumType(AlertStateEnum, { name: 'AlertState' });

@ObjectType('AlertHistoryEntry')
export class AlertHistoryObject {
  @Field(() => ID) id: string;
  @Field(() => AlertStateEnum) from: AlertStateEnum;
  @Field(() => AlertStateEnum) to: AlertStateEnum;
  @Field(() => Float, { nullable: true }) value: number | null;
  @Field({ description: 'True when this entry marks the alert flapping (its state then held).' })
  flapping: boolean;
  @Field() at: Date;
}

@ObjectType('Alert')
export class AlertObject {
  @Field(() => ID) id: string;
  @Field(() => ID) ruleId: string;
  @Field() ruleName: string;
  @Field() fingerprint: string;
  @Field(() => GraphQLJSON) labels: Record<string, string>;
  @Field(() => GraphQLJSON) annotations: Record<string, string>;
  @Field(() => AlertStateEnum) state: AlertStateEnum;
  @Field(() => String, { nullable: true }) severity: string | null;
  @Field(() => Date, { nullable: true }) activeSince: Date | null;
  @Field(() => Date, { nullable: true }) firedAt: Date | null;
  @Field(() => Date, { nullable: true }) resolvedAt: Date | null;
  @Field(() => Float, { nullable: true }) lastValue: number | null;
  @Field() lastEval: Date;
  @Field(() => Date, { nullable: true }) keepFiringUntil: Date | null;
  @Field() flapping: boolean;
}

@ObjectType('AlertTransition')
export class AlertTransitionObject {
  @Field(() => ID) alertId: string;
  @Field(() => ID) ruleId: string;
  @Field() ruleName: string;
  @Field(() => ID) groupId: string;
  @Field() fingerprint: string;
  @Field(() => GraphQLJSON) labels: Record<string, string>;
  @Field(() => GraphQLJSON) annotations: Record<string, string>;
  @Field(() => AlertStateEnum) from: AlertStateEnum;
  @Field(() => AlertStateEnum) to: AlertStateEnum;
  @Field(() => Float, { nullable: true }) value: number | null;
  @Field() at: Date;
  @Field() flapping: boolean;
  @Field(() => String, { nullable: true }) severity: string | null;
}

@InputType()
export class AlertFilterInput {
  @Field(() => [AlertStateEnum], { nullable: true, description: 'Default: pending and firing.' })
  states?: AlertStateEnum[];
  @Field(() => [String], { nullable: true }) severities?: string[];
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'Label name → value; every one must match exactly.',
  })
  labels?: Record<string, unknown>;
  @Field(() => ID, { nullable: true }) ruleId?: string;
  @Field(() => Int, { nullable: true, description: 'At most 1000; default 500.' }) limit?: number;
}
