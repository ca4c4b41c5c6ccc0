import { z } from 'zod';
import { asAlertGroup } from '../../templates/template-data';
import { httpRequest, jsonHeaders, resultFromStatus, safeJson, truncate } from '../../http';
import type { Notifier, NotifyContext, RenderedNotification } from '../../notifier';
import { secret } from '../../secrets/secret-field';

export const pagerdutyConfigSchema = z.object({
  routingKey: secret(
    z
      .string()
      .regex(/^[A-Za-z0-9]{32}$/, 'A 32-character integration key')
      .describe('Events API v2 integration (routing) key'),
  ),
  severity: z
    .enum(['critical', 'error', 'warning', 'info'])
    .default('critical')
    .describe('Used when the alerts carry no severity label'),
  eventsUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://events.pagerduty.com/v2/enqueue')
    .describe('Events API v2 endpoint (EU accounts: events.eu.pagerduty.com)'),
});
export type PagerdutyConfig = z.infer<typeof pagerdutyConfigSchema>;

const severities = new Set(['critical', 'error', 'warning', 'info']);

/** One PagerDuty alert per group: dedup_key is the group key, so resolve closes what trigger opened. */
export function pagerdutyBody(
  msg: RenderedNotification,
  config: PagerdutyConfig,
  ctx: NotifyContext,
): Record<string, unknown> {
  const g = asAlertGroup(msg.source, msg.link, ctx.now());
  const labelled = g.commonLabels.severity;
  // A test gets its own dedup key, so it never merges into (or resolves) a real alert's incident.
  const base = {
    routing_key: config.routingKey,
    dedup_key: msg.source.kind === 'test' ? ctx.idempotencyKey : g.groupKey,
  };
  if (g.status === 'resolved') return { ...base, event_action: 'resolve' };
  return {
    ...base,
    event_action: 'trigger',
    client: 'Tocsin',
    client_url: msg.link || undefined,
    payload: {
      // PagerDuty refuses summaries over 1024 characters.
      summary: truncate(msg.title, 1024),
      source: g.commonLabels.instance ?? g.commonLabels.job ?? 'tocsin',
      severity: labelled && severities.has(labelled) ? labelled : config.severity,
      component: g.commonLabels.job,
      group: g.commonLabels.alertname,
      custom_details: {
        firing: msg.text,
        num_firing: g.alerts.filter((a) => a.status === 'firing').length,
        labels: g.commonLabels,
      },
    },
    links: msg.link ? [{ href: msg.link, text: 'Open in Tocsin' }] : [],
  };
}

export const pagerdutyNotifier: Notifier<PagerdutyConfig> = {
  kind: 'pagerduty',
  label: 'PagerDuty',
  configSchema: pagerdutyConfigSchema,
  async send(msg, config, ctx) {
    const outcome = await httpRequest({
      url: config.eventsUrl,
      body: JSON.stringify(pagerdutyBody(msg, config, ctx)),
      headers: jsonHeaders(),
      timeoutMs: ctx.timeoutMs,
      allowPrivateNetworks: ctx.allowPrivateNetworks,
    });
    // 202 Accepted with {status, message, dedup_key}; 400 is a bad event, 429/5xx are transient.
    return resultFromStatus(outcome, 'PagerDuty', (r) => {
      const key = safeJson(r.text)?.dedup_key;
      return typeof key === 'string' ? key : undefined;
    });
  },
};
