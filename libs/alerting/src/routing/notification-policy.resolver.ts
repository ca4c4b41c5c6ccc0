import { Args, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from '@tocsin/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { NotificationPolicyService, type PolicyView } from './notification-policy.service';

@ObjectType('NotificationPolicy')
export class NotificationPolicyObject {
  @Field(() => GraphQLJSON, {
    description: '{ route, receivers, inhibitRules, timeIntervals } (libs/alerting/README.md)',
  })
  document: unknown;
  @Field(() => Int, {
    description: '0 until the organization saves one (the default policy notifies nobody).',
  })
  version: number;
  @Field(() => Date, { nullable: true }) updatedAt: Date | null;
}

@ObjectType('RouteMatch')
export class RouteMatchObject {
  @Field({ description: 'Position in the tree: "0" root, "0.1" its second child.' }) id: string;
  @Field() key: string;
  @Field() matchers: string;
  @Field() continue: boolean;
  @Field() receiver: string;
  @Field(() => [ID]) channelIds: string[];
  @Field(() => ID, { nullable: true }) escalationPolicyId: string | null;
  @Field(() => [String]) groupBy: string[];
  @Field() groupWait: string;
  @Field() groupInterval: string;
  @Field() repeatInterval: string;
  @Field(() => [String]) muteTimeIntervals: string[];
}

@Resolver()
export class NotificationPolicyResolver {
  constructor(private readonly policies: NotificationPolicyService) {}

  @Query(() => NotificationPolicyObject)
  @RequirePermission(Permission.ConfigRead)
  notificationPolicy(): Promise<PolicyView> {
    return this.policies.get();
  }

  @Mutation(() => NotificationPolicyObject)
  @RequirePermission(Permission.ConfigWrite)
  updateNotificationPolicy(
    @Args('document', { type: () => GraphQLJSON }) document: unknown,
  ): Promise<PolicyView> {
    return this.policies.update(document);
  }

  @Query(() => [RouteMatchObject], {
    description: 'The routes an alert with these labels would take.',
  })
  @RequirePermission(Permission.ConfigRead)
  routeTest(@Args('labels', { type: () => GraphQLJSON }) labels: Record<string, string>) {
    return this.policies.test(labels);
  }
}
