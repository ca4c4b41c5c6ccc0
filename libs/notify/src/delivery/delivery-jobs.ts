import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import { loadConfig } from '@tocsin/config';
import type { NotifyJob } from '@tocsin/queue';

/** BullMQ job names on the `notify` queue. */
export const NotifyJobName = { Channel: 'channel', Direct: 'direct' } as const;

export type DirectTargetKind = 'email' | 'sms' | 'voice';

/**
 * A send to a bare address with the deployment's providers (SMTP_URL, TWILIO_*), for callers
 * with no Channel row: on-call pages people at their contact methods this way.
 */
export interface DirectNotifyJob {
  orgId: string;
  idempotencyKey: string;
  target: { kind: DirectTargetKind; address: string };
  message: {
    subject: string;
    text: string;
    html?: string;
    voiceText?: string;
    /** A TwiML URL Twilio fetches instead of reading voiceText (interactive calls). */ voiceUrl?: string;
  };
  source?: Record<string, string | undefined>;
}

export type AnyNotifyJob = NotifyJob | DirectNotifyJob;

export function isDirectJob(job: AnyNotifyJob): job is DirectNotifyJob {
  return 'target' in job && !('channelId' in job);
}

/**
 * Deterministic job id per (org, key): enqueueing the same key twice while the first job lives is
 * one job. (BullMQ ids may not contain ':' freely, hence the hash.)
 */
export function notifyJobId(orgId: string, idempotencyKey: string): string {
  return `n-${createHash('sha256').update(`${orgId}\n${idempotencyKey}`).digest('hex').slice(0, 40)}`;
}

export function notifyJobOptions(orgId: string, idempotencyKey: string): JobsOptions {
  const c = loadConfig();
  return {
    jobId: notifyJobId(orgId, idempotencyKey),
    attempts: c.NOTIFY_MAX_ATTEMPTS,
    backoff: { type: 'exponential', delay: c.NOTIFY_BACKOFF_MS },
    removeOnComplete: { age: 3600, count: 5000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/** Fallback deliveries derive their key from the original's, so they dedupe the same way. */
export function fallbackKey(idempotencyKey: string, fallbackChannelId: string): string {
  return `${idempotencyKey}:fallback:${fallbackChannelId}`;
}

export function fallbackDepth(idempotencyKey: string): number {
  return idempotencyKey.split(':fallback:').length - 1;
}
