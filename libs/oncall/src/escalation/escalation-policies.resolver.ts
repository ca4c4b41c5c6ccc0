import {
  Args,
  Field,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from '@nestjs/graphql';
import { GraphQLJSON } from '@tocsin/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import {
  EscalationPoliciesService,
  type EscalationPolicyView,
} from './escalation-policies.service';

@ObjectType('EscalationPolicy')
export class EscalationPolicyObject {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => GraphQLJSON, {
    description: '[{ delaySeconds, targets: [{ type: user|schedule|channel, id }] }]',
  })
  levels: unknown;
  @Field(() => Int, { description: 'Extra passes over all levels when nobody acknowledges.' })
  repeatCount: number;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class EscalationPolicyInput {
  @Field() name: string;
  @Field(() => GraphQLJSON) levels: unknown;
  @Field(() => Int, { defaultValue: 0 }) repeatCount: number;
}

@Resolver()
export class EscalationPoliciesResolver {
  constructor(private readonly policies: EscalationPoliciesService) {}

  @Query(() => [EscalationPolicyObject])
  @RequirePermission(Permission.ConfigRead)
  escalationPolicies(): Promise<EscalationPolicyView[]> {
    return this.policies.list();
  }

  @Query(() => EscalationPolicyObject)
  @RequirePermission(Permission.ConfigRead)
  escalationPolicy(@Args('id', { type: () => ID }) id: string): Promise<EscalationPolicyView> {
    return this.policies.get(id);
  }

  @Mutation(() => EscalationPolicyObject)
  @RequirePermission(Permission.ConfigWrite)
  createEscalationPolicy(
    @Args('input') input: EscalationPolicyInput,
  ): Promise<EscalationPolicyView> {
    return this.policies.create({ ...input });
  }

  @Mutation(() => EscalationPolicyObject)
  @RequirePermission(Permission.ConfigWrite)
  updateEscalationPolicy(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: EscalationPolicyInput,
  ): Promise<EscalationPolicyView> {
    return this.policies.update(id, { ...input });
  }

  @Mutation(() => Boolean)
  @RequirePermission(Permission.ConfigWrite)
  deleteEscalationPolicy(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.policies.delete(id);
  }
}
