import { Injectable } from '@nestjs/common';
import type { Prisma, Tx } from '@tocsin/db';
import type { OrgScoped } from '@tocsin/tenancy';

export type AlertRow = Prisma.AlertInstanceGetPayload<{
  include: { rule: { select: { name: true } } };
}>;

export interface AlertQuery {
  states: string[];
  severities?: string[];
  labels?: Record<string, string>;
  ruleId?: string;
  limit: number;
}

/** Reads of alert instances and their history (the evaluator writes them in its transaction). */
@Injectable()
export class AlertsRepository {
  list(tx: Tx, where: OrgScoped<object>, q: AlertQuery): Promise<AlertRow[]> {
    return tx.alertInstance.findMany({
      where: {
        orgId: where.orgId,
        state: { in: q.states },
        ...(q.severities?.length ? { severity: { in: q.severities } } : {}),
        ...(q.ruleId ? { ruleId: q.ruleId } : {}),
        AND: Object.entries(q.labels ?? {}).map(([k, v]) => ({ labels: { path: [k], equals: v } })),
      },
      include: { rule: { select: { name: true } } },
      orderBy: [{ activeSince: { sort: 'desc', nulls: 'last' } }, { id: 'asc' }],
      take: q.limit,
    });
  }

  find(tx: Tx, where: OrgScoped<{ id: string }>): Promise<AlertRow | null> {
    return tx.alertInstance.findFirst({ where, include: { rule: { select: { name: true } } } });
  }

  history(tx: Tx, where: OrgScoped<{ alertId: string }>, limit = 500) {
    return tx.alertHistory.findMany({
      where,
      orderBy: [{ at: 'desc' }, { id: 'asc' }],
      take: limit,
    });
  }
}
