import { Injectable } from '@nestjs/common';
import { Prisma, type Tx } from '@tocsin/db';
import type { OrgScoped } from '@tocsin/tenancy';
import type { RuleSpec } from './rule.types';

export type RuleRow = Prisma.RuleGetPayload<object>;
export type RuleGroupRow = Prisma.RuleGroupGetPayload<{ include: { rules: true } }>;

function ruleData(spec: RuleSpec) {
  return {
    kind: spec.kind,
    name: spec.name,
    expr: spec.expr,
    recoveryExpr: spec.recoveryExpr,
    forMs: spec.forMs,
    keepFiringForMs: spec.keepFiringForMs,
    labels: spec.labels,
    annotations: spec.annotations,
    condition: (spec.condition ?? undefined) as Prisma.InputJsonValue | undefined,
    noDataState: spec.noDataState,
    errorState: spec.errorState,
    flap: (spec.flap ?? undefined) as unknown as Prisma.InputJsonValue | undefined,
    enabled: spec.enabled,
  };
}

/** The only code that touches the rule_groups and rules tables. */
@Injectable()
export class RulesRepository {
  listGroups(tx: Tx, where: OrgScoped<{ name?: string }>): Promise<RuleGroupRow[]> {
    return tx.ruleGroup.findMany({
      where,
      include: { rules: { orderBy: [{ position: 'asc' }, { createdAt: 'asc' }] } },
      orderBy: { name: 'asc' },
    });
  }

  findGroup(tx: Tx, where: OrgScoped<{ id: string }>): Promise<RuleGroupRow | null> {
    return tx.ruleGroup.findFirst({
      where,
      include: { rules: { orderBy: [{ position: 'asc' }, { createdAt: 'asc' }] } },
    });
  }

  findRule(tx: Tx, where: OrgScoped<{ id: string }>): Promise<RuleRow | null> {
    return tx.rule.findFirst({ where });
  }

  createGroup(
    tx: Tx,
    orgId: string,
    data: { name: string; intervalMs: number; labels: Record<string, string> },
  ): Promise<RuleGroupRow> {
    return tx.ruleGroup.create({ data: { orgId, ...data }, include: { rules: true } });
  }

  async updateGroup(
    tx: Tx,
    where: OrgScoped<{ id: string }>,
    data: { name?: string; intervalMs?: number; labels?: Record<string, string> },
  ): Promise<void> {
    await tx.ruleGroup.updateMany({ where, data });
  }

  async deleteGroup(tx: Tx, where: OrgScoped<{ id: string }>): Promise<boolean> {
    return (await tx.ruleGroup.deleteMany({ where })).count > 0;
  }

  async createRule(
    tx: Tx,
    orgId: string,
    groupId: string,
    spec: RuleSpec,
    position?: number,
  ): Promise<RuleRow> {
    const pos = position ?? (await tx.rule.count({ where: { orgId, groupId } }));
    return tx.rule.create({ data: { orgId, groupId, position: pos, ...ruleData(spec) } });
  }

  async updateRule(tx: Tx, where: OrgScoped<{ id: string }>, spec: RuleSpec): Promise<void> {
    await tx.rule.updateMany({
      where,
      data: {
        ...ruleData(spec),
        condition: spec.condition ? (spec.condition as Prisma.InputJsonValue) : Prisma.DbNull,
        flap: spec.flap ? (spec.flap as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
        lastError: null,
      },
    });
  }

  async setPosition(tx: Tx, where: OrgScoped<{ id: string }>, position: number): Promise<void> {
    await tx.rule.updateMany({ where, data: { position } });
  }

  async deleteRule(tx: Tx, where: OrgScoped<{ id: string }>): Promise<boolean> {
    return (await tx.rule.deleteMany({ where })).count > 0;
  }

  async deleteRulesOfGroup(tx: Tx, where: OrgScoped<{ groupId: string }>): Promise<void> {
    await tx.rule.deleteMany({ where });
  }
}
