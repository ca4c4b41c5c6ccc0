import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from '@tocsin/graphql';
import { Permission, RequirePermission } from '@tocsin/tenancy';
import { compileCondition } from './condition-builder';
import { formatDuration } from './rule.types';
import { RulesService } from './rules.service';
import {
  CompiledConditionObject,
  CreateRuleGroupInput,
  CreateRuleInput,
  RuleGroupObject,
  RuleInput,
  RuleObject,
  UpdateRuleGroupInput,
} from './dto/rule.object';

@Resolver()
export class RulesResolver {
  constructor(private readonly service: RulesService) {}

  @Query(() => [RuleGroupObject], {
    description: 'Rule groups of the current organization with their rules.',
  })
  @RequirePermission(Permission.ConfigRead)
  ruleGroups(): Promise<RuleGroupObject[]> {
    return this.service.listGroups();
  }

  @Query(() => RuleGroupObject)
  @RequirePermission(Permission.ConfigRead)
  ruleGroup(@Args('id', { type: () => ID }) id: string): Promise<RuleGroupObject> {
    return this.service.group(id);
  }

  @Query(() => RuleObject)
  @RequirePermission(Permission.ConfigRead)
  rule(@Args('id', { type: () => ID }) id: string): Promise<RuleObject> {
    return this.service.rule(id);
  }

  @Query(() => CompiledConditionObject, {
    description: 'The PromQL a builder condition compiles to, to show before saving.',
  })
  @RequirePermission(Permission.ConfigRead)
  compileCondition(
    @Args('condition', { type: () => GraphQLJSON }) condition: unknown,
  ): CompiledConditionObject {
    const c = compileCondition(condition);
    return {
      expr: c.expr,
      recoveryExpr: c.recoveryExpr,
      for: c.forMs === null ? null : formatDuration(c.forMs),
    };
  }

  @Query(() => String, {
    description: 'A Prometheus rule file of the given groups (default: all).',
  })
  @RequirePermission(Permission.ConfigRead)
  exportPrometheusRules(
    @Args('groupIds', { type: () => [ID], nullable: true }) groupIds?: string[],
  ): Promise<string> {
    return this.service.exportPrometheusRules(groupIds);
  }

  @Mutation(() => RuleGroupObject)
  @RequirePermission(Permission.ConfigWrite)
  createRuleGroup(@Args('input') input: CreateRuleGroupInput): Promise<RuleGroupObject> {
    return this.service.createGroup(input);
  }

  @Mutation(() => RuleGroupObject)
  @RequirePermission(Permission.ConfigWrite)
  updateRuleGroup(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateRuleGroupInput,
  ): Promise<RuleGroupObject> {
    return this.service.updateGroup(id, input);
  }

  @Mutation(() => Boolean)
  @RequirePermission(Permission.ConfigWrite)
  deleteRuleGroup(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.service.deleteGroup(id);
  }

  @Mutation(() => RuleObject)
  @RequirePermission(Permission.ConfigWrite)
  createRule(@Args('input') input: CreateRuleInput): Promise<RuleObject> {
    const { groupId, ...draft } = input;
    return this.service.createRule(groupId, draft);
  }

  @Mutation(() => RuleObject, {
    description: "Replaces a rule's definition; alert states of unchanged label sets are kept.",
  })
  @RequirePermission(Permission.ConfigWrite)
  updateRule(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: RuleInput,
  ): Promise<RuleObject> {
    return this.service.updateRule(id, input);
  }

  @Mutation(() => Boolean)
  @RequirePermission(Permission.ConfigWrite)
  deleteRule(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.service.deleteRule(id);
  }

  @Mutation(() => [RuleGroupObject], {
    description: 'Creates or replaces groups, by name, from a Prometheus rule file.',
  })
  @RequirePermission(Permission.ConfigWrite)
  importPrometheusRules(@Args('yaml') yaml: string): Promise<RuleGroupObject[]> {
    return this.service.importPrometheusRules(yaml);
  }
}
