import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { Tx } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { AuditService, TenantDb } from '@tocsin/tenancy';
import { assertMembers, json, requireUuid, zodInput } from '../oncall.util';
import { levelsSchema, type EscalationLevel, type PolicySnapshot } from './policy.types';

const policyInput = z.object({
  name: z.string().trim().min(1).max(200),
  levels: levelsSchema,
  repeatCount: z.number().int().min(0).max(10).default(0),
});

export interface EscalationPolicyView {
  id: string;
  name: string;
  levels: EscalationLevel[];
  repeatCount: number;
  createdAt: Date;
  updatedAt: Date;
}

@Injectable()
export class EscalationPoliciesService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<EscalationPolicyView[]> {
    return this.db.run(async (tx, orgId) =>
      (
        await tx.oncallEscalationPolicy.findMany({ where: { orgId }, orderBy: { name: 'asc' } })
      ).map(view),
    );
  }

  get(id: string): Promise<EscalationPolicyView> {
    return this.db.run(async (tx, orgId) => view(await this.load(tx, orgId, id)));
  }

  create(input: unknown): Promise<EscalationPolicyView> {
    const data = zodInput(policyInput.safeParse(input));
    return this.db.run(async (tx, orgId) => {
      await this.checkTargets(tx, orgId, data.levels);
      if (await tx.oncallEscalationPolicy.findFirst({ where: { orgId, name: data.name } }))
        throw new AppError('CONFLICT', `A policy named ${data.name} exists`);
      const row = await tx.oncallEscalationPolicy.create({
        data: { orgId, name: data.name, levels: json(data.levels), repeatCount: data.repeatCount },
      });
      await this.audit.record(tx, orgId, {
        action: 'escalationPolicy.create',
        targetType: 'escalationPolicy',
        targetId: row.id,
      });
      return view(row);
    });
  }

  update(id: string, input: unknown): Promise<EscalationPolicyView> {
    const data = zodInput(policyInput.safeParse(input));
    return this.db.run(async (tx, orgId) => {
      await this.load(tx, orgId, id);
      await this.checkTargets(tx, orgId, data.levels);
      const row = await tx.oncallEscalationPolicy.update({
        where: { id },
        data: { name: data.name, levels: json(data.levels), repeatCount: data.repeatCount },
      });
      await this.audit.record(tx, orgId, {
        action: 'escalationPolicy.update',
        targetType: 'escalationPolicy',
        targetId: id,
      });
      return view(row);
    });
  }

  delete(id: string): Promise<boolean> {
    return this.db.run(async (tx, orgId) => {
      await this.load(tx, orgId, id);
      await tx.oncallEscalationPolicy.delete({ where: { id } });
      await this.audit.record(tx, orgId, {
        action: 'escalationPolicy.delete',
        targetType: 'escalationPolicy',
        targetId: id,
      });
      return true;
    });
  }

  /** The copy an incident keeps, taken in the transaction that opens it. */
  async snapshot(tx: Tx, orgId: string, id: string): Promise<PolicySnapshot> {
    const p = await this.load(tx, orgId, id);
    return {
      policyId: p.id,
      name: p.name,
      levels: p.levels as unknown as EscalationLevel[],
      repeatCount: p.repeatCount,
    };
  }

  private async load(tx: Tx, orgId: string, id: string) {
    requireUuid(id, 'Escalation policy');
    const p = await tx.oncallEscalationPolicy.findFirst({ where: { id, orgId } });
    if (!p) throw AppError.notFound('Escalation policy');
    return p;
  }

  private async checkTargets(tx: Tx, orgId: string, levels: EscalationLevel[]): Promise<void> {
    const targets = levels.flatMap((l) => l.targets);
    await assertMembers(
      tx,
      orgId,
      targets.filter((t) => t.type === 'user').map((t) => t.id),
    );
    const scheduleIds = [...new Set(targets.filter((t) => t.type === 'schedule').map((t) => t.id))];
    if (scheduleIds.length) {
      const found = await tx.oncallSchedule.count({ where: { orgId, id: { in: scheduleIds } } });
      if (found !== scheduleIds.length)
        throw AppError.badInput('A schedule target does not exist in this organization');
    }
    const channelIds = [...new Set(targets.filter((t) => t.type === 'channel').map((t) => t.id))];
    if (channelIds.length) {
      const found = await tx.channel.count({ where: { orgId, id: { in: channelIds } } });
      if (found !== channelIds.length)
        throw AppError.badInput('A channel target does not exist in this organization');
    }
  }
}

function view(row: {
  id: string;
  name: string;
  levels: unknown;
  repeatCount: number;
  createdAt: Date;
  updatedAt: Date;
}): EscalationPolicyView {
  return {
    id: row.id,
    name: row.name,
    levels: row.levels as EscalationLevel[],
    repeatCount: row.repeatCount,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
