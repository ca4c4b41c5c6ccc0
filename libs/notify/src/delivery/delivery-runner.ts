import { Injectable, Logger } from '@nestjs/common';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { loadConfig } from '@tocsin/config';
import { TenantDb, runAsOrg } from '@tocsin/tenancy';
import { ChannelsService, type SendableChannel } from '../channels/channels.service';
import { isUuid } from '../channels/channels.repository';
import { sendMail } from '../providers/email/email.notifier';
import type { DeploymentProviders, NotifyContext, SendResult } from '../notifier';
import { renderNotification } from '../templates/render-notification';
import { sayTwiml, twilioCreate } from '../twilio/twilio-client';
import { ChannelRateLimiter } from './channel-rate-limiter';
import { SendFences } from './send-fences';
import { DeliveriesRepository, type NewDelivery } from './deliveries.repository';
import {
  fallbackDepth,
  fallbackKey,
  isDirectJob,
  type AnyNotifyJob,
  type DirectNotifyJob,
} from './delivery-jobs';
import { DeliveryService, deliveryFor } from './delivery.service';

const MAX_FALLBACK_DEPTH = 3;

export type RunOutcome =
  | { outcome: 'delivered'; deliveryId: string; providerMessageId?: string }
  | { outcome: 'deduplicated'; deliveryId: string }
  | { outcome: 'cancelled'; deliveryId: string; reason: string };

/** Deployment-level provider settings from the environment. */
export function deploymentProviders(): DeploymentProviders {
  const c = loadConfig();
  return {
    smtpUrl: c.SMTP_URL,
    smtpFrom: c.SMTP_FROM,
    twilio:
      c.TWILIO_ACCOUNT_SID && c.TWILIO_AUTH_TOKEN && c.TWILIO_FROM
        ? {
            accountSid: c.TWILIO_ACCOUNT_SID,
            authToken: c.TWILIO_AUTH_TOKEN,
            from: c.TWILIO_FROM,
            apiBaseUrl: c.TWILIO_API_BASE,
          }
        : undefined,
  };
}

/** How long a claim outlives a silent worker: at least the queue lock, and longer than one send. */
export function claimLeaseMs(): number {
  const c = loadConfig();
  return Math.max(c.NOTIFY_LOCK_DURATION_MS, c.NOTIFY_SEND_TIMEOUT_MS + 2_000);
}

/**
 * One attempt of one `notify` job: claim the delivery by its key, respect the channel's rate
 * limit, render, send, record. Retries are BullMQ's (attempts + exponential backoff); this
 * decides only whether a failure may be retried, and fails over to the fallback channel when a
 * channel has nothing left to try.
 */
@Injectable()
export class DeliveryRunner {
  private readonly logger = new Logger('notify');

  constructor(
    private readonly db: TenantDb,
    private readonly repo: DeliveriesRepository,
    private readonly channels: ChannelsService,
    private readonly limiter: ChannelRateLimiter,
    private readonly deliveries: DeliveryService,
    private readonly fences: SendFences,
  ) {}

  async run(job: Job<AnyNotifyJob>, token?: string): Promise<RunOutcome> {
    const data = job.data;
    if (
      !data ||
      !isUuid(data.orgId) ||
      typeof data.idempotencyKey !== 'string' ||
      !data.idempotencyKey
    ) {
      throw new UnrecoverableError('Malformed notify job: orgId and idempotencyKey are required');
    }
    return runAsOrg(data.orgId, () =>
      isDirectJob(data)
        ? this.runDirect(job as Job<DirectNotifyJob>, data, token)
        : this.runChannel(job, data, token),
    );
  }

  /**
   * BullMQ gave up on a job without our code deciding (it stalled more often than allowed, e.g.
   * workers kept dying mid-send): record that, so the log does not show it 'sending' forever.
   */
  async abandon(data: AnyNotifyJob, reason: string): Promise<void> {
    if (!data || !isUuid(data.orgId) || !data.idempotencyKey) return;
    await this.db.forOrg(data.orgId, (tx) =>
      tx.delivery.updateMany({
        where: {
          orgId: data.orgId,
          idempotencyKey: data.idempotencyKey,
          status: { not: 'delivered' },
        },
        data: { status: 'failed', lastError: reason.slice(0, 2000), claimedUntil: null },
      }),
    );
  }

  private async runChannel(
    job: Job<AnyNotifyJob>,
    data: AnyNotifyJob,
    token?: string,
  ): Promise<RunOutcome> {
    if (isDirectJob(data) || !isUuid(data.channelId) || !data.notification) {
      throw new UnrecoverableError('Malformed notify job: channelId and notification are required');
    }
    const loaded = await this.channels.loadForSend(data.orgId, data.channelId);
    if (!loaded || 'unusable' in loaded) {
      const reason = loaded ? loaded.unusable : 'The channel no longer exists';
      // A deleted channel cannot be referenced by the row (foreign key); an unusable one can.
      const row = loaded
        ? deliveryFor(data, 'unknown')
        : { ...deliveryFor(data, 'unknown'), channelId: null };
      await this.db.forOrg(data.orgId, (tx) => this.repo.failWithoutAttempt(tx, row, reason));
      throw new UnrecoverableError(reason);
    }
    const channel = loaded;
    const limit = channel.row.rateLimitPerMinute;
    if (limit) {
      const taken = await this.limiter.take(channel.row.id, limit);
      if (!taken.allowed) {
        await this.db.forOrg(data.orgId, (tx) =>
          this.repo.insertQueued(tx, deliveryFor(data, channel.row.kind)),
        );
        return this.delay(job, token, taken.retryAt);
      }
    }
    const ctx = this.context(data, channel.row.id);
    return this.attempt(job, token, deliveryFor(data, channel.row.kind), channel, async () => {
      const rendered = renderNotification(data.notification, {
        kindDefaults: channel.notifier.defaultTemplates,
        templates: channel.row.templates,
        voice: channel.notifier.kind === 'twilio-voice',
        externalURL: loadConfig().PUBLIC_WEB_URL,
        now: ctx.now(),
      });
      return channel.notifier.send(rendered, channel.config, ctx);
    });
  }

  private async runDirect(
    job: Job<DirectNotifyJob>,
    data: DirectNotifyJob,
    token?: string,
  ): Promise<RunOutcome> {
    const ctx = this.context(data, null);
    const { target, message } = data;
    return this.attempt(job, token, deliveryFor(data, target.kind), null, async () => {
      if (target.kind === 'email') {
        // The deployment's own SMTP server is trusted wherever it lives.
        return sendMail(
          {
            to: [target.address],
            subject: message.subject,
            text: message.text,
            html: message.html,
          },
          { ...ctx, allowPrivateNetworks: true },
        );
      }
      const twilio = ctx.deployment.twilio;
      if (!twilio)
        return {
          ok: false,
          retryable: false,
          reason: 'Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM)',
        };
      if (target.kind === 'sms') {
        const body = `${message.subject ? `${message.subject}\n` : ''}${message.text}`.slice(
          0,
          1530,
        );
        return twilioCreate(
          twilio,
          'Messages',
          { To: target.address, From: twilio.from, Body: body },
          ctx.timeoutMs,
          true,
        );
      }
      const call: Record<string, string> = message.voiceUrl
        ? { Url: message.voiceUrl }
        : { Twiml: sayTwiml(message.voiceText ?? message.text) };
      return twilioCreate(
        twilio,
        'Calls',
        { To: target.address, From: twilio.from, ...call },
        ctx.timeoutMs,
        true,
      );
    });
  }

  private async attempt(
    job: Job<AnyNotifyJob>,
    token: string | undefined,
    delivery: NewDelivery,
    channel: SendableChannel | null,
    send: () => Promise<SendResult>,
  ): Promise<RunOutcome> {
    const { orgId } = delivery;
    const claim = await this.db.forOrg(orgId, (tx) =>
      this.repo.claim(tx, delivery, claimLeaseMs()),
    );
    if (claim.state === 'delivered') return { outcome: 'deduplicated', deliveryId: claim.id };
    // Another attempt holds the key: look again soon (it may finish early), at the latest when its lease ends.
    if (claim.state === 'busy')
      return this.delay(job, token, Math.min(claim.until.getTime() + 250, Date.now() + 1000));

    const started = performance.now();
    let result: SendResult;
    try {
      const fenced = await this.fences.around(job.data, send);
      if ('cancelled' in fenced) {
        await this.db.forOrg(orgId, (tx) => this.repo.markCancelled(tx, orgId, claim.id, fenced.cancelled));
        return { outcome: 'cancelled', deliveryId: claim.id, reason: fenced.cancelled };
      }
      result = fenced;
    } catch (err) {
      // Template errors are the configuration's fault and will fail the same way again.
      const name = (err as Error).name;
      result = {
        ok: false,
        retryable: name !== 'TemplateError',
        reason: `${name}: ${(err as Error).message}`,
      };
    }
    const latencyMs = Math.round(performance.now() - started);
    if (result.ok) {
      await this.db.forOrg(orgId, (tx) =>
        this.repo.markDelivered(tx, orgId, claim.id, {
          providerMessageId: result.providerMessageId,
          latencyMs,
        }),
      );
      return {
        outcome: 'delivered',
        deliveryId: claim.id,
        providerMessageId: result.providerMessageId,
      };
    }
    const maxAttempts = job.opts.attempts ?? 1;
    const final = !result.retryable || job.attemptsMade + 1 >= maxAttempts;
    await this.db.forOrg(orgId, (tx) =>
      this.repo.markAttemptFailed(tx, orgId, claim.id, { error: result.reason, latencyMs, final }),
    );
    if (final && channel?.row.fallbackChannelId)
      await this.failOver(job.data, channel.row.fallbackChannelId);
    if (!result.retryable) throw new UnrecoverableError(result.reason);
    throw new Error(result.reason);
  }

  private async failOver(data: AnyNotifyJob, fallbackChannelId: string): Promise<void> {
    if (isDirectJob(data) || fallbackDepth(data.idempotencyKey) >= MAX_FALLBACK_DEPTH) return;
    try {
      await this.deliveries.enqueue({
        ...data,
        channelId: fallbackChannelId,
        idempotencyKey: fallbackKey(data.idempotencyKey, fallbackChannelId),
      });
    } catch (err) {
      this.logger.warn(`fallback to ${fallbackChannelId} not enqueued: ${(err as Error).message}`);
    }
  }

  /** Puts the job back for later without spending one of its attempts. */
  private async delay(
    job: Job<AnyNotifyJob>,
    token: string | undefined,
    at: number,
  ): Promise<never> {
    await job.moveToDelayed(Math.max(at, Date.now() + 50), token);
    throw new DelayedError();
  }

  private context(data: AnyNotifyJob, channelId: string | null): NotifyContext {
    return {
      orgId: data.orgId,
      channelId,
      idempotencyKey: data.idempotencyKey,
      timeoutMs: loadConfig().NOTIFY_SEND_TIMEOUT_MS,
      allowPrivateNetworks: loadConfig().NOTIFY_ALLOW_PRIVATE_NETWORKS,
      deployment: deploymentProviders(),
      now: () => new Date(),
    };
  }
}
