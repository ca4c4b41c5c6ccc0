import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { AppError } from '@tocsin/graphql';
import { QueueName, createQueue, type NotifyJob } from '@tocsin/queue';
import { TenantDb } from '@tocsin/tenancy';
import { ChannelsService } from '../channels/channels.service';
import { isUuid } from '../channels/channels.repository';
import {
  DeliveriesRepository,
  type DeliveryRow,
  type DeliveryStatus,
  type NewDelivery,
} from './deliveries.repository';
import {
  NotifyJobName,
  isDirectJob,
  notifyJobOptions,
  type AnyNotifyJob,
  type DirectNotifyJob,
} from './delivery-jobs';

export interface EnqueueResult {
  deliveryId: string;
  /** 'deduplicated': the key was already delivered, nothing was enqueued. */
  status: 'queued' | 'deduplicated';
}

const TERMINAL: ReadonlySet<DeliveryStatus> = new Set(['delivered', 'failed', 'cancelled']);
const DIRECT_KINDS = new Set(['email', 'sms', 'voice']);

/** Hands notifications to the `notify` queue and reads the delivery log. Other libs enqueue through here. */
@Injectable()
export class DeliveryService implements OnModuleDestroy {
  private queue?: Queue<AnyNotifyJob>;

  constructor(
    private readonly db: TenantDb,
    private readonly repo: DeliveriesRepository,
    private readonly channels: ChannelsService,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close();
  }

  /** Delivers `job.notification` through `job.channelId`, once per idempotency key. */
  async enqueue(job: NotifyJob): Promise<EnqueueResult> {
    if (!isUuid(job.orgId) || !isUuid(job.channelId))
      throw AppError.badInput('orgId and channelId must be ids');
    this.checkKey(job.idempotencyKey);
    const row = await this.db.forOrg(job.orgId, async (tx) => {
      const channel = await tx.channel.findFirst({
        where: { orgId: job.orgId, id: job.channelId },
        select: { kind: true },
      });
      if (!channel) throw AppError.notFound('Channel');
      return this.repo.insertQueued(tx, deliveryFor(job, channel.kind));
    });
    return this.add(NotifyJobName.Channel, job, row);
  }

  /** Sends to a bare address (email, sms, voice) with the deployment's provider settings. */
  async enqueueDirect(job: DirectNotifyJob): Promise<EnqueueResult> {
    if (!isUuid(job.orgId)) throw AppError.badInput('orgId must be an id');
    this.checkKey(job.idempotencyKey);
    if (!DIRECT_KINDS.has(job.target?.kind))
      throw AppError.badInput('target.kind must be email, sms or voice');
    if (!job.target.address?.trim()) throw AppError.badInput('target.address is required');
    if (!job.message?.subject && !job.message?.text)
      throw AppError.badInput('message needs a subject or text');
    const row = await this.db.forOrg(job.orgId, (tx) =>
      this.repo.insertQueued(tx, deliveryFor(job, job.target.kind)),
    );
    return this.add(NotifyJobName.Direct, job, row);
  }

  /** Sends a test message through the channel the same way alerts go, and waits briefly for the outcome. */
  async testChannel(channelId: string, waitMs: number): Promise<DeliveryRow> {
    const channel = await this.channels.getRow(channelId);
    const key = `test:${channel.id}:${randomUUID()}`;
    const { deliveryId } = await this.enqueue({
      orgId: channel.orgId,
      channelId: channel.id,
      idempotencyKey: key,
      notification: {
        kind: 'test',
        message: `Test notification from Tocsin for channel "${channel.name}".`,
      },
    });
    const deadline = Date.now() + Math.max(0, Math.min(waitMs, 30_000));
    for (;;) {
      const row = await this.get(deliveryId);
      if (TERMINAL.has(row.status) || Date.now() >= deadline) return row;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  get(id: string): Promise<DeliveryRow> {
    return this.db.run(async (tx, orgId) => {
      const row = isUuid(id) ? await this.repo.find(tx, orgId, id) : null;
      if (!row) throw AppError.notFound('Delivery');
      return row;
    });
  }

  async list(
    filter: {
      channelId?: string | null;
      status?: DeliveryStatus | null;
      idempotencyKey?: string | null;
    },
    first: number,
    after: string | null,
  ): Promise<{ nodes: DeliveryRow[]; hasNextPage: boolean; endCursor: string | null }> {
    if (!Number.isInteger(first) || first < 1 || first > 200)
      throw AppError.badInput('first must be between 1 and 200');
    if (filter.channelId && !isUuid(filter.channelId))
      throw AppError.badInput('channelId is not an id');
    const cursor = after ? decodeCursor(after) : null;
    const rows = await this.db.run((tx, orgId) =>
      this.repo.list(
        tx,
        orgId,
        {
          channelId: filter.channelId ?? undefined,
          status: filter.status ?? undefined,
          idempotencyKey: filter.idempotencyKey ?? undefined,
        },
        { first, cursor },
      ),
    );
    const nodes = rows.slice(0, first);
    const last = nodes[nodes.length - 1];
    return {
      nodes,
      hasNextPage: rows.length > first,
      endCursor: last
        ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url')
        : null,
    };
  }

  private async add(
    name: string,
    job: AnyNotifyJob,
    row: { id: string; created: boolean },
  ): Promise<EnqueueResult> {
    if (!row.created) {
      const status = await this.db.forOrg(job.orgId, (tx) =>
        tx.delivery.findFirst({
          where: { orgId: job.orgId, id: row.id },
          select: { status: true },
        }),
      );
      if (status?.status === 'delivered') return { deliveryId: row.id, status: 'deduplicated' };
    }
    this.queue ??= createQueue<AnyNotifyJob>(QueueName.Notify);
    const options = notifyJobOptions(job.orgId, job.idempotencyKey);
    // A failed job is kept (for inspection) under the same deterministic id, and BullMQ ignores an
    // add whose id exists: enqueueing a failed key again means "try again", so clear it first.
    const previous = await this.queue.getJob(options.jobId!);
    if (previous && (await previous.isFailed())) await previous.remove();
    await this.queue.add(name as never, job as never, options);
    return { deliveryId: row.id, status: 'queued' };
  }

  private checkKey(key: string): void {
    if (typeof key !== 'string' || !key || key.length > 500)
      throw AppError.badInput('idempotencyKey must be 1 to 500 characters');
  }
}

/** The delivery-log row a job starts with. */
export function deliveryFor(job: AnyNotifyJob, kind: string): NewDelivery {
  if (isDirectJob(job)) {
    return {
      orgId: job.orgId,
      channelId: null,
      kind,
      target: job.target.address,
      idempotencyKey: job.idempotencyKey,
      summary: (job.message.subject || job.message.text).slice(0, 300),
      source: (job.source as Record<string, unknown> | undefined) ?? null,
    };
  }
  const n = job.notification;
  const summary =
    n.kind === 'test'
      ? `test: ${n.message}`
      : `${n.status}: ${n.commonLabels.alertname ?? n.groupKey} (${n.alerts.length + n.truncatedAlerts} alerts)`;
  return {
    orgId: job.orgId,
    channelId: job.channelId,
    kind,
    target: null,
    idempotencyKey: job.idempotencyKey,
    summary: summary.slice(0, 300),
    source: (job.source as Record<string, unknown> | undefined) ?? null,
  };
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [ts, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(ts);
  if (!id || !isUuid(id) || Number.isNaN(createdAt.getTime()))
    throw AppError.badInput('Invalid cursor');
  return { createdAt, id };
}
