import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { asAlertGroup } from '../../templates/template-data';
import { httpRequest, jsonHeaders, resultFromStatus } from '../../http';
import type { Notifier, NotifyContext, RenderedNotification } from '../../notifier';
import { secret } from '../../secrets/secret-field';

export const webhookConfigSchema = z.object({
  url: secret(
    z.url({ protocol: /^https?$/ }).describe('Where to POST the Alertmanager-compatible JSON body'),
  ),
  secret: secret(
    z
      .string()
      .min(16)
      .describe(
        'Signs each request (X-Tocsin-Signature: t=<unix>,v1=<HMAC-SHA256 hex of "<t>.<body>">)',
      ),
  ),
  maxAlerts: z
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(0)
    .describe('Send at most this many alerts (0: all); the rest are counted in truncatedAlerts'),
});
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** The signature receivers verify: hex HMAC-SHA256 over "<unix seconds>.<raw body>". */
export function signWebhook(secretKey: string, unixSeconds: number, body: string): string {
  const v1 = createHmac('sha256', secretKey).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/** Alertmanager's webhook body (version 4), so existing receivers work unchanged. */
export function webhookBody(
  msg: RenderedNotification,
  config: WebhookConfig,
  ctx: NotifyContext,
): string {
  const g = asAlertGroup(msg.source, msg.link, ctx.now());
  const keep = config.maxAlerts > 0 ? g.alerts.slice(0, config.maxAlerts) : g.alerts;
  return JSON.stringify({
    version: '4',
    groupKey: g.groupKey,
    truncatedAlerts: g.truncatedAlerts + (g.alerts.length - keep.length),
    status: g.status,
    receiver: g.receiver,
    groupLabels: g.groupLabels,
    commonLabels: g.commonLabels,
    commonAnnotations: g.commonAnnotations,
    externalURL: g.externalURL,
    alerts: keep.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      generatorURL: a.generatorURL,
      fingerprint: a.fingerprint,
    })),
  });
}

export const webhookNotifier: Notifier<WebhookConfig> = {
  kind: 'webhook',
  label: 'Webhook',
  configSchema: webhookConfigSchema,
  async send(msg, config, ctx) {
    const body = webhookBody(msg, config, ctx);
    const t = Math.floor(ctx.now().getTime() / 1000);
    const outcome = await httpRequest({
      url: config.url,
      body,
      timeoutMs: ctx.timeoutMs,
      allowPrivateNetworks: ctx.allowPrivateNetworks,
      headers: jsonHeaders({
        'x-tocsin-signature': signWebhook(config.secret, t, body),
        'idempotency-key': ctx.idempotencyKey,
      }),
    });
    return resultFromStatus(outcome, 'webhook');
  },
};
