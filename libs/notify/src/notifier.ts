import type { z } from 'zod';
import type { ChannelNotification } from '@tocsin/queue';

/**
 * A provider's kind ('slack'). The registry (providers/registry.ts) is the list of kinds, so adding
 * a provider is its folder plus one registry line, nothing else.
 */
export type ChannelKind = string;

/** A notification after templates ran: what every provider formats for its own API. */
export interface RenderedNotification {
  /** One line: subject, card title, SMS first line. */
  title: string;
  /** Plain text body. */
  text: string;
  /** HTML body for providers that take it (email). */
  html: string;
  /** Where a person goes to see more: the alert group or the web app. */
  link: string;
  status: 'firing' | 'resolved';
  /** What the text says spoken aloud (voice calls): short, no URLs. */
  voiceText: string;
  /** The structured notification, for providers that send machine-readable bodies. */
  source: ChannelNotification;
}

/** What a send knows about its surroundings; notifiers keep no state of their own. */
export interface NotifyContext {
  orgId: string;
  channelId: string | null;
  idempotencyKey: string;
  /** Per-request timeout for provider calls. */
  timeoutMs: number;
  /** Whether channel URLs may point at private networks (NOTIFY_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworks: boolean;
  /** Deployment-level settings that channels may fall back on (SMTP for email). */
  deployment: DeploymentProviders;
  now(): Date;
}

export interface DeploymentProviders {
  smtpUrl?: string;
  smtpFrom: string;
  twilio?: { accountSid: string; authToken: string; from: string; apiBaseUrl: string };
}

export type SendResult =
  { ok: true; providerMessageId?: string } | { ok: false; retryable: boolean; reason: string };

/**
 * A channel provider. Stateless: everything it needs arrives in `send`'s arguments. The
 * provider alone decides whether a failure is worth retrying (Alertmanager's rule for HTTP:
 * 429 and 5xx and network errors retry, other 4xx do not).
 */
export interface Notifier<C> {
  readonly kind: ChannelKind;
  /** Shown in the web app's channel picker. */
  readonly label: string;
  /**
   * Validated when a channel is saved and turned into JSON Schema for the web form. Fields
   * built with `secret()` are encrypted at rest and never returned by the API.
   */
  readonly configSchema: z.ZodType<C>;
  /** Message templates of this kind when the channel has none (default: title + full body). */
  readonly defaultTemplates?: { title?: string; body?: string };
  send(msg: RenderedNotification, config: C, ctx: NotifyContext): Promise<SendResult>;
}

/** Any notifier, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNotifier = Notifier<any>;
