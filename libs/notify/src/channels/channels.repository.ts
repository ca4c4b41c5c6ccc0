import { Injectable } from '@nestjs/common';
import type { Prisma, Tx } from '@tocsin/db';
import type { OrgScoped } from '@tocsin/tenancy';

export interface ChannelRow {
  id: string;
  orgId: string;
  name: string;
  kind: string;
  config: Record<string, unknown>;
  rateLimitPerMinute: number | null;
  fallbackChannelId: string | null;
  templates: { title?: string; body?: string } | null;
  createdAt: Date;
  updatedAt: Date;
}

type Raw = Awaited<ReturnType<Tx['channel']['findFirst']>>;

function toRow(r: NonNullable<Raw>): ChannelRow {
  return {
    ...r,
    config: (r.config ?? {}) as Record<string, unknown>,
    templates: (r.templates ?? null) as ChannelRow['templates'],
  };
}

/** The only code that touches the channels table. Every query names the organization. */
@Injectable()
export class ChannelsRepository {
  async list(tx: Tx, where: OrgScoped<Prisma.ChannelWhereInput>): Promise<ChannelRow[]> {
    const rows = await tx.channel.findMany({ where, orderBy: [{ name: 'asc' }] });
    return rows.map(toRow);
  }

  async find(tx: Tx, where: OrgScoped<{ id: string }>): Promise<ChannelRow | null> {
    if (!isUuid(where.id)) return null;
    const r = await tx.channel.findFirst({ where });
    return r ? toRow(r) : null;
  }

  async create(
    tx: Tx,
    data: OrgScoped<Omit<Prisma.ChannelUncheckedCreateInput, 'orgId'>>,
  ): Promise<ChannelRow> {
    return toRow(await tx.channel.create({ data }));
  }

  async update(
    tx: Tx,
    where: OrgScoped<{ id: string }>,
    data: Prisma.ChannelUncheckedUpdateInput,
  ): Promise<ChannelRow> {
    const { count } = await tx.channel.updateMany({ where, data });
    if (count !== 1) throw new Error('channel vanished during update');
    return (await this.find(tx, where))!;
  }

  async delete(tx: Tx, where: OrgScoped<{ id: string }>): Promise<boolean> {
    const { count } = await tx.channel.deleteMany({ where });
    return count === 1;
  }
}

export function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}
