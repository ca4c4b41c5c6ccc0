import { Injectable } from '@nestjs/common';
import type { Prisma, Tx } from '@tocsin/db';
import type { OrgScoped } from '@tocsin/tenancy';
import type { Matcher } from '../routing/matchers';

export interface SilenceRow {
  id: string;
  orgId: string;
  matchers: Matcher[];
  startsAt: Date;
  endsAt: Date;
  createdBy: string | null;
  comment: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The only code that touches the silences table. */
@Injectable()
export class SilencesRepository {
  async list(tx: Tx, where: OrgScoped<Prisma.SilenceWhereInput>): Promise<SilenceRow[]> {
    return (await tx.silence.findMany({
      where,
      orderBy: [{ endsAt: 'desc' }],
      take: 1000,
    })) as unknown as SilenceRow[];
  }

  async get(tx: Tx, where: OrgScoped<{ id: string }>): Promise<SilenceRow | null> {
    return (await tx.silence.findFirst({ where })) as unknown as SilenceRow | null;
  }

  /** Silences in effect at `at`: the ones dispatch applies. */
  async activeAt(tx: Tx, orgId: string, at: Date): Promise<SilenceRow[]> {
    return this.list(tx, { orgId, startsAt: { lte: at }, endsAt: { gt: at } });
  }

  async create(
    tx: Tx,
    data: Omit<SilenceRow, 'id' | 'createdAt' | 'updatedAt'>,
  ): Promise<SilenceRow> {
    return (await tx.silence.create({
      data: { ...data, matchers: data.matchers as unknown as Prisma.InputJsonValue },
    })) as unknown as SilenceRow;
  }

  async update(
    tx: Tx,
    where: OrgScoped<{ id: string }>,
    data: Partial<Pick<SilenceRow, 'matchers' | 'startsAt' | 'endsAt' | 'comment'>>,
  ): Promise<SilenceRow | null> {
    const { count } = await tx.silence.updateMany({
      where,
      data: { ...data, matchers: data.matchers as unknown as Prisma.InputJsonValue | undefined },
    });
    return count ? this.get(tx, where) : null;
  }
}
