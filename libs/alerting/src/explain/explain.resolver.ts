import { Args, Field, ID, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from '@tocsin/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { ExplainService, type AlertExplanation } from './explain.service';

@ObjectType('AlertExplanation')
export class AlertExplanationObject {
  @Field(() => ID) alertId: string;
  @Field({ description: 'rule, alertmanager or webhook' }) source: string;
  @Field() fingerprint: string;
  @Field(() => GraphQLJSON) labels: Record<string, string>;
  @Field() state: string;
  @Field({ description: 'Why it did or did not notify, in one sentence.' }) summary: string;
  @Field(() => GraphQLJSON, { description: '[{ at, from, to, value }] from the evaluator' })
  evaluations: unknown;
  @Field(() => GraphQLJSON, {
    description: '[{ at, kind: routed|notified|not_notified|muted|rerouted, detail }]',
  })
  decisions: unknown;
  @Field(() => GraphQLJSON, {
    description: '[{ groupKey, routeId, nextFlushAt, lastFlushAt, notificationLog }]',
  })
  groups: unknown;
  @Field(() => GraphQLJSON, {
    description: '[{ idempotencyKey, channelId, status, attempts, lastError, deliveredAt }]',
  })
  deliveries: unknown;
}

@Resolver()
export class ExplainResolver {
  constructor(private readonly explainer: ExplainService) {}

  @Query(() => AlertExplanationObject, {
    description: 'Why an alert (rule-made or posted) did or did not notify.',
  })
  @RequirePermission(Permission.IncidentsRead)
  explainAlert(@Args('alertId', { type: () => ID }) alertId: string): Promise<AlertExplanation> {
    return this.explainer.explain(alertId);
  }
}
