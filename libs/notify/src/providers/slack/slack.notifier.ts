import { z } from 'zod';
import { httpRequest, jsonHeaders, resultFromStatus } from '../../http';
import type { Notifier, RenderedNotification } from '../../notifier';
import { secret } from '../../secrets/secret-field';

export const slackConfigSchema = z.object({
  webhookUrl: secret(
    z
      .url({ protocol: /^https?$/ })
      .describe('Slack incoming webhook URL (https://hooks.slack.com/services/…)'),
  ),
  channel: z
    .string()
    .max(80)
    .optional()
    .describe("Override the webhook's default channel (legacy webhooks only)"),
  username: z.string().max(80).optional(),
});
export type SlackConfig = z.infer<typeof slackConfigSchema>;

export function slackBody(msg: RenderedNotification, config: SlackConfig): Record<string, unknown> {
  const color = msg.status === 'firing' ? '#d63232' : '#2eb67d';
  return {
    text: msg.title,
    ...(config.channel ? { channel: config.channel } : {}),
    ...(config.username ? { username: config.username } : {}),
    attachments: [
      {
        color,
        title: msg.title,
        title_link: msg.link || undefined,
        text: msg.text,
        fallback: `${msg.title}\n${msg.text}`,
      },
    ],
  };
}

/** Slack answers 200 "ok"; 4xx bodies name the problem (invalid_payload, no_service, channel_is_archived). */
export const slackNotifier: Notifier<SlackConfig> = {
  kind: 'slack',
  label: 'Slack',
  configSchema: slackConfigSchema,
  async send(msg, config, ctx) {
    const outcome = await httpRequest({
      url: config.webhookUrl,
      body: JSON.stringify(slackBody(msg, config)),
      headers: jsonHeaders(),
      timeoutMs: ctx.timeoutMs,
      allowPrivateNetworks: ctx.allowPrivateNetworks,
    });
    return resultFromStatus(outcome, 'Slack');
  },
};
