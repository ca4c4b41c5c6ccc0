import { Injectable } from '@nestjs/common';
import { Prisma, type Tx } from '@tocsin/db';

export type DeliveryStatus = 'queued' | 'sending' | 'delivered' | 'failed' | 'cancelled';

export interface DeliveryRow {
  id: string;
  orgId: string;
  channelId: string | null;
  kind: string;
  target: string | null;
  idempotencyKey: string;
  status: DeliveryStatus;
  attempts: number;
  duplicates: number;
  lastError: string | null;
  providerMessageId: string | null;
  latencyMs: number | null;
  summary: string | null;
  source: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

export interface NewDelivery {
  orgId: string;
  channelId: string | null;
  kind: string;
  target: string | null;
  idempotencyKey: string;
  summary: string;
  source: Record<string, unknown> | null;
}

export type ClaimOutcome =
  | { state: 'claimed'; id: string; attempts: number }
  | { state: 'delivered'; id: string }
  | { state: 'busy'; until: Date };

function toRow(r: Awaited<ReturnType<Tx['delivery']['findFirst']>>): DeliveryRow {
  const x = r!;
  return {
    ...x,
    status: x.status as DeliveryStatus,
    source: (x.source ?? null) as DeliveryRow['source'],
  };
}

/** The only code that touches the deliveries table. */
@Injectable()
export class DeliveriesRepository {
  /** A 'queued' row for the log, unless the key already has one. Returns whether it was new. */
  async insertQueued(tx: Tx, d: NewDelivery): Promise<{ id: string; created: boolean }> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      insert into deliveries (org_id, channel_id, kind, target, idempotency_key, status, summary, source)
      values (${d.orgId}::uuid, ${d.channelId}::uuid, ${d.kind}, ${d.target}, ${d.idempotencyKey}, 'queued', ${d.summary},
              ${d.source ? JSON.stringify(d.source) : null}::jsonb)
      on conflict (org_id, idempotency_key) do nothing
      returning id`;
    if (rows[0]) return { id: rows[0].id, created: true };
    const existing = await tx.delivery.findFirst({
      where: { orgId: d.orgId, idempotencyKey: d.idempotencyKey },
      select: { id: true },
    });
    return { id: existing!.id, created: false };
  }

  /**
   * Takes the key for one send: creates the row, or takes it over unless it was delivered or
   * another attempt holds an unexpired lease. The lease is what keeps two workers holding
   * duplicate jobs from sending at the same time; a worker that dies leaves it to expire.
   */
  async claim(tx: Tx, d: NewDelivery, leaseMs: number): Promise<ClaimOutcome> {
    const rows = await tx.$queryRaw<{ id: string; attempts: number }[]>`
      insert into deliveries (org_id, channel_id, kind, target, idempotency_key, status, attempts, summary, source, claimed_until)
      values (${d.orgId}::uuid, ${d.channelId}::uuid, ${d.kind}, ${d.target}, ${d.idempotencyKey}, 'sending', 1, ${d.summary},
              ${d.source ? JSON.stringify(d.source) : null}::jsonb, clock_timestamp() + ${leaseMs} * interval '1 millisecond')
      on conflict (org_id, idempotency_key) do update
        set status = 'sending', attempts = deliveries.attempts + 1, claimed_until = excluded.claimed_until,
            updated_at = clock_timestamp()
        where deliveries.status <> 'delivered'
          and (deliveries.claimed_until is null or deliveries.claimed_until < clock_timestamp())
      returning id, attempts`;
    if (rows[0]) return { state: 'claimed', id: rows[0].id, attempts: rows[0].attempts };
    const current = await tx.delivery.findFirst({
      where: { orgId: d.orgId, idempotencyKey: d.idempotencyKey },
      select: { id: true, status: true, claimedUntil: true },
    });
    if (!current) throw new Error('delivery row vanished during claim');
    if (current.status === 'delivered') {
      await tx.delivery.updateMany({
        where: { orgId: d.orgId, id: current.id },
        data: { duplicates: { increment: 1 } },
      });
      return { state: 'delivered', id: current.id };
    }
    return { state: 'busy', until: current.claimedUntil ?? new Date() };
  }

  async markDelivered(
    tx: Tx,
    orgId: string,
    id: string,
    r: { providerMessageId?: string; latencyMs: number },
  ): Promise<void> {
    await tx.$executeRaw`
      update deliveries set status = 'delivered', provider_message_id = ${r.providerMessageId ?? null}, latency_ms = ${r.latencyMs},
             last_error = null, claimed_until = null, delivered_at = clock_timestamp(), updated_at = clock_timestamp()
       where org_id = ${orgId}::uuid and id = ${id}::uuid`;
  }

  /** A failed attempt: `final` marks the delivery failed, otherwise it waits for its retry. */
  async markAttemptFailed(
    tx: Tx,
    orgId: string,
    id: string,
    r: { error: string; latencyMs: number | null; final: boolean },
  ): Promise<void> {
    const status = r.final ? 'failed' : 'queued';
    await tx.$executeRaw`
      update deliveries set status = ${status}, last_error = ${r.error.slice(0, 2000)}, latency_ms = ${r.latencyMs},
             claimed_until = null, updated_at = clock_timestamp()
       where org_id = ${orgId}::uuid and id = ${id}::uuid`;
  }

  /** Failure before any send (unknown channel, bad template): the row says why. */
  async markCancelled(tx: Tx, orgId: string, id: string, reason: string): Promise<void> {
    await tx.$executeRaw`
      update deliveries set status = 'cancelled', last_error = ${reason.slice(0, 2000)}, claimed_until = null, updated_at = clock_timestamp()
       where org_id = ${orgId}::uuid and id = ${id}::uuid`;
  }

  async failWithoutAttempt(tx: Tx, d: NewDelivery, error: string): Promise<void> {
    await this.insertQueued(tx, d);
    await tx.$executeRaw`
      update deliveries set status = 'failed', last_error = ${error.slice(0, 2000)}, claimed_until = null, updated_at = clock_timestamp()
       where org_id = ${d.orgId}::uuid and idempotency_key = ${d.idempotencyKey} and status <> 'delivered'`;
  }

  async find(tx: Tx, orgId: string, id: string): Promise<DeliveryRow | null> {
    const r = await tx.delivery.findFirst({ where: { orgId, id } });
    return r ? toRow(r) : null;
  }

  async list(
    tx: Tx,
    orgId: string,
    filter: { channelId?: string; status?: DeliveryStatus; idempotencyKey?: string },
    page: { first: number; cursor: { createdAt: Date; id: string } | null },
  ): Promise<DeliveryRow[]> {
    const where: Prisma.DeliveryWhereInput = {
      orgId,
      ...(filter.channelId ? { channelId: filter.channelId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.idempotencyKey ? { idempotencyKey: filter.idempotencyKey } : {}),
      ...(page.cursor
        ? {
            OR: [
              { createdAt: { lt: page.cursor.createdAt } },
              { createdAt: page.cursor.createdAt, id: { lt: page.cursor.id } },
            ],
          }
        : {}),
    };
    const rows = await tx.delivery.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: page.first + 1,
    });
    return rows.map(toRow);
  }
}
