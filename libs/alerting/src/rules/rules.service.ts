import { Injectable, Logger } from '@nestjs/common';
import type { Tx } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { AuditService, TenantDb } from '@tocsin/tenancy';
import { AlertingTrigger } from '../evaluation/alerting-trigger.service';
import { EvaluationScheduler } from '../evaluation/evaluation-scheduler.service';
import { parsePrometheusRules, toPrometheusYaml, type GroupSpec } from './prometheus-yaml';
import {
  checkLabels,
  formatDuration,
  parseInterval,
  toRuleSpec,
  type RuleDraft,
  type RuleSpec,
} from './rule.types';
import { RulesRepository, type RuleGroupRow, type RuleRow } from './rules.repository';
import type { RuleGroupObject, RuleObject } from './dto/rule.object';
import type { FlapSettings } from '../alerts/state-machine';
import type { BuilderCondition } from './condition-builder';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_RULES_PER_GROUP = 500;

export function toRuleObject(r: RuleRow): RuleObject {
  const flap = r.flap as FlapSettings | null;
  return {
    id: r.id,
    groupId: r.groupId,
    kind: r.kind as RuleObject['kind'],
    name: r.name,
    expr: r.expr,
    recoveryExpr: r.recoveryExpr,
    for: formatDuration(r.forMs),
    keepFiringFor: formatDuration(r.keepFiringForMs),
    labels: r.labels as Record<string, string>,
    annotations: r.annotations as Record<string, string>,
    condition: r.condition,
    noDataState: r.noDataState as RuleObject['noDataState'],
    errorState: r.errorState as RuleObject['errorState'],
    flap: flap
      ? {
          enabled: flap.enabled,
          maxChanges: flap.maxChanges,
          window: formatDuration(flap.windowMs),
          hold: formatDuration(flap.holdMs),
        }
      : null,
    enabled: r.enabled,
    lastError: r.lastError,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function toGroupObject(g: RuleGroupRow): RuleGroupObject {
  return {
    id: g.id,
    name: g.name,
    interval: formatDuration(g.intervalMs),
    labels: g.labels as Record<string, string>,
    rules: g.rules.map(toRuleObject),
    lastEvalAt: g.lastEvalAt,
    lastEvalMs: g.lastEvalMs,
    lastError: g.lastError,
    createdAt: g.createdAt,
  };
}

function specOf(r: RuleRow): RuleSpec {
  return {
    kind: r.kind as RuleSpec['kind'],
    name: r.name,
    expr: r.expr,
    recoveryExpr: r.recoveryExpr,
    forMs: r.forMs,
    keepFiringForMs: r.keepFiringForMs,
    labels: r.labels as Record<string, string>,
    annotations: r.annotations as Record<string, string>,
    condition: r.condition as BuilderCondition | null,
    noDataState: r.noDataState as RuleSpec['noDataState'],
    errorState: r.errorState as RuleSpec['errorState'],
    flap: r.flap as FlapSettings | null,
    enabled: r.enabled,
  };
}

function checkId(id: string, what: string): void {
  if (!UUID.test(id)) throw AppError.notFound(what);
}

function checkGroupName(name: string | undefined): string {
  const n = name?.trim();
  if (!n) throw AppError.badInput('A rule group needs a name');
  if (n.length > 200) throw AppError.badInput('A rule group name is at most 200 characters');
  return n;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}

/**
 * Rule groups and rules of the current organization. Every change is audited in its
 * transaction; after the commit the group's job scheduler and the metric → group index of the
 * immediate-evaluation trigger are brought up to date.
 */
@Injectable()
export class RulesService {
  private readonly logger = new Logger('rules');

  constructor(
    private readonly db: TenantDb,
    private readonly repo: RulesRepository,
    private readonly audit: AuditService,
    private readonly scheduler: EvaluationScheduler,
    private readonly trigger: AlertingTrigger,
  ) {}

  async listGroups(): Promise<RuleGroupObject[]> {
    return (await this.db.run((tx, orgId) => this.repo.listGroups(tx, { orgId }))).map(
      toGroupObject,
    );
  }

  async group(id: string): Promise<RuleGroupObject> {
    checkId(id, 'Rule group');
    const g = await this.db.run((tx, orgId) => this.repo.findGroup(tx, { orgId, id }));
    if (!g) throw AppError.notFound('Rule group');
    return toGroupObject(g);
  }

  async rule(id: string): Promise<RuleObject> {
    checkId(id, 'Rule');
    const r = await this.db.run((tx, orgId) => this.repo.findRule(tx, { orgId, id }));
    if (!r) throw AppError.notFound('Rule');
    return toRuleObject(r);
  }

  async createGroup(input: {
    name: string;
    interval: string;
    labels?: Record<string, unknown> | null;
  }): Promise<RuleGroupObject> {
    const name = checkGroupName(input.name);
    const intervalMs = parseInterval(input.interval);
    const labels = checkLabels(input.labels, 'group labels');
    const { group, orgId } = await this.write(async (tx, orgId) => {
      const group = await this.repo.createGroup(tx, orgId, { name, intervalMs, labels });
      await this.audit.record(tx, orgId, {
        action: 'rule_group.create',
        targetType: 'rule_group',
        targetId: group.id,
        details: { name },
      });
      return { group, orgId };
    });
    await this.afterChange(orgId, [{ id: group.id, intervalMs }], []);
    return toGroupObject(group);
  }

  async updateGroup(
    id: string,
    input: {
      name?: string | null;
      interval?: string | null;
      labels?: Record<string, unknown> | null;
    },
  ): Promise<RuleGroupObject> {
    checkId(id, 'Rule group');
    const data = {
      name:
        input.name === undefined || input.name === null ? undefined : checkGroupName(input.name),
      intervalMs: input.interval ? parseInterval(input.interval) : undefined,
      labels: input.labels ? checkLabels(input.labels, 'group labels') : undefined,
    };
    const { group, orgId } = await this.write(async (tx, orgId) => {
      if (!(await this.repo.findGroup(tx, { orgId, id }))) throw AppError.notFound('Rule group');
      await this.repo.updateGroup(tx, { orgId, id }, data);
      await this.audit.record(tx, orgId, {
        action: 'rule_group.update',
        targetType: 'rule_group',
        targetId: id,
        details: { ...data },
      });
      return { group: (await this.repo.findGroup(tx, { orgId, id }))!, orgId };
    });
    await this.afterChange(orgId, [{ id, intervalMs: group.intervalMs }], []);
    return toGroupObject(group);
  }

  async deleteGroup(id: string): Promise<boolean> {
    checkId(id, 'Rule group');
    const orgId = await this.write(async (tx, orgId) => {
      if (!(await this.repo.deleteGroup(tx, { orgId, id }))) throw AppError.notFound('Rule group');
      await this.audit.record(tx, orgId, {
        action: 'rule_group.delete',
        targetType: 'rule_group',
        targetId: id,
      });
      return orgId;
    });
    await this.afterChange(orgId, [], [id]);
    return true;
  }

  async createRule(groupId: string, draft: RuleDraft): Promise<RuleObject> {
    checkId(groupId, 'Rule group');
    const spec = toRuleSpec(draft);
    const { rule, orgId } = await this.db.run(async (tx, orgId) => {
      const group = await this.repo.findGroup(tx, { orgId, id: groupId });
      if (!group) throw AppError.notFound('Rule group');
      if (group.rules.length >= MAX_RULES_PER_GROUP)
        throw AppError.badInput(`A group holds at most ${MAX_RULES_PER_GROUP} rules`);
      const rule = await this.repo.createRule(tx, orgId, groupId, spec);
      await this.audit.record(tx, orgId, {
        action: 'rule.create',
        targetType: 'rule',
        targetId: rule.id,
        details: { name: spec.name, groupId },
      });
      return { rule, orgId };
    });
    await this.afterChange(orgId, [], []);
    return toRuleObject(rule);
  }

  async updateRule(id: string, draft: RuleDraft): Promise<RuleObject> {
    checkId(id, 'Rule');
    const spec = toRuleSpec(draft);
    const { rule, orgId } = await this.db.run(async (tx, orgId) => {
      const before = await this.repo.findRule(tx, { orgId, id });
      if (!before) throw AppError.notFound('Rule');
      if (before.kind !== spec.kind)
        throw AppError.badInput(
          'A rule cannot change between alerting and recording; make a new one',
        );
      await this.repo.updateRule(tx, { orgId, id }, spec);
      await this.audit.record(tx, orgId, {
        action: 'rule.update',
        targetType: 'rule',
        targetId: id,
        details: { name: spec.name },
      });
      return { rule: (await this.repo.findRule(tx, { orgId, id }))!, orgId };
    });
    await this.afterChange(orgId, [], []);
    return toRuleObject(rule);
  }

  async deleteRule(id: string): Promise<boolean> {
    checkId(id, 'Rule');
    const orgId = await this.db.run(async (tx, orgId) => {
      if (!(await this.repo.deleteRule(tx, { orgId, id }))) throw AppError.notFound('Rule');
      await this.audit.record(tx, orgId, {
        action: 'rule.delete',
        targetType: 'rule',
        targetId: id,
      });
      return orgId;
    });
    await this.afterChange(orgId, [], []);
    return true;
  }

  /**
   * Creates or replaces the groups of a Prometheus rule file by name. Rules are matched to the
   * existing ones by kind and name in order, so re-importing a file keeps the state of alerts
   * whose rules did not change identity.
   */
  async importPrometheusRules(text: string): Promise<RuleGroupObject[]> {
    const groups = parsePrometheusRules(text);
    const { rows, orgId } = await this.write(async (tx, orgId) => {
      const rows: RuleGroupRow[] = [];
      for (const g of groups) {
        if (g.rules.length > MAX_RULES_PER_GROUP)
          throw AppError.badInput(`Group "${g.name}" has more than ${MAX_RULES_PER_GROUP} rules`);
        const [existing] = await this.repo.listGroups(tx, { orgId, name: g.name });
        const group =
          existing ??
          (await this.repo.createGroup(tx, orgId, {
            name: g.name,
            intervalMs: g.intervalMs,
            labels: g.labels,
          }));
        if (existing)
          await this.repo.updateGroup(
            tx,
            { orgId, id: group.id },
            { intervalMs: g.intervalMs, labels: g.labels },
          );
        const unused = [...(existing?.rules ?? [])];
        for (const [position, spec] of g.rules.entries()) {
          const i = unused.findIndex((r) => r.kind === spec.kind && r.name === spec.name);
          if (i >= 0) {
            const [match] = unused.splice(i, 1);
            await this.repo.updateRule(tx, { orgId, id: match.id }, spec);
            await this.repo.setPosition(tx, { orgId, id: match.id }, position);
          } else {
            await this.repo.createRule(tx, orgId, group.id, spec, position);
          }
        }
        for (const r of unused) await this.repo.deleteRule(tx, { orgId, id: r.id });
        rows.push((await this.repo.findGroup(tx, { orgId, id: group.id }))!);
      }
      await this.audit.record(tx, orgId, {
        action: 'rules.import',
        targetType: 'rule_group',
        details: { groups: groups.map((g) => g.name) },
      });
      return { rows, orgId };
    });
    await this.afterChange(
      orgId,
      rows.map((g) => ({ id: g.id, intervalMs: g.intervalMs })),
      [],
    );
    return rows.map(toGroupObject);
  }

  async exportPrometheusRules(groupIds?: string[] | null): Promise<string> {
    const groups = await this.db.run((tx, orgId) => this.repo.listGroups(tx, { orgId }));
    const chosen = groupIds?.length ? groups.filter((g) => groupIds.includes(g.id)) : groups;
    const specs: GroupSpec[] = chosen.map((g) => ({
      name: g.name,
      intervalMs: g.intervalMs,
      labels: g.labels as Record<string, string>,
      rules: g.rules.map(specOf),
    }));
    return toPrometheusYaml(specs);
  }

  private async write<T>(fn: (tx: Tx, orgId: string) => Promise<T>): Promise<T> {
    try {
      return await this.db.run(fn);
    } catch (err) {
      if (isUniqueViolation(err))
        throw new AppError('CONFLICT', 'A rule group with this name exists already');
      throw err;
    }
  }

  /** After the commit: schedulers and the trigger index. Failures are repaired at worker start. */
  private async afterChange(
    orgId: string,
    scheduled: { id: string; intervalMs: number }[],
    removed: string[],
  ): Promise<void> {
    try {
      for (const g of scheduled) await this.scheduler.schedule(orgId, g.id, g.intervalMs);
      for (const id of removed) await this.scheduler.unschedule(id);
      await this.trigger.rulesChanged(orgId);
    } catch (err) {
      this.logger.error(
        `rule change committed but schedules not updated for ${orgId}: ${(err as Error).message}`,
      );
    }
  }
}
