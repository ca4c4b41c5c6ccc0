import { Injectable } from '@nestjs/common';
import type { Prisma, Tx } from '@tocsin/db';
import type { OrgScoped } from '@tocsin/tenancy';
import type { DashboardDefinition } from './dashboard-definition';

export interface DashboardRow {
  id: string;
  orgId: string;
  title: string;
  definition: DashboardDefinition;
  createdAt: Date;
  updatedAt: Date;
}

/** The only code that touches the dashboards table. */
@Injectable()
export class DashboardsRepository {
  async list(tx: Tx, where: OrgScoped<Prisma.DashboardWhereInput>): Promise<DashboardRow[]> {
    return (await tx.dashboard.findMany({
      where,
      orderBy: [{ title: 'asc' }, { createdAt: 'asc' }],
      take: 1000,
    })) as unknown as DashboardRow[];
  }

  async get(tx: Tx, where: OrgScoped<{ id: string }>): Promise<DashboardRow | null> {
    return (await tx.dashboard.findFirst({ where })) as unknown as DashboardRow | null;
  }

  async create(
    tx: Tx,
    data: { orgId: string; title: string; definition: DashboardDefinition },
  ): Promise<DashboardRow> {
    return (await tx.dashboard.create({
      data: { ...data, definition: data.definition as unknown as Prisma.InputJsonValue },
    })) as unknown as DashboardRow;
  }

  async update(
    tx: Tx,
    where: OrgScoped<{ id: string }>,
    data: { title: string; definition: DashboardDefinition },
  ): Promise<DashboardRow | null> {
    const { count } = await tx.dashboard.updateMany({
      where,
      data: { ...data, definition: data.definition as unknown as Prisma.InputJsonValue },
    });
    return count ? this.get(tx, where) : null;
  }

  async delete(tx: Tx, where: OrgScoped<{ id: string }>): Promise<boolean> {
    const { count } = await tx.dashboard.deleteMany({ where });
    return count > 0;
  }
}
