import { z } from 'zod';
import { httpRequest, jsonHeaders, resultFromStatus } from '../../http';
import type { Notifier, RenderedNotification } from '../../notifier';
import { secret } from '../../secrets/secret-field';

export const teamsConfigSchema = z.object({
  webhookUrl: secret(
    z.url({ protocol: /^https?$/ }).describe('Microsoft Teams incoming webhook or Workflows URL'),
  ),
  format: z
    .enum(['adaptive-card', 'message-card'])
    .default('adaptive-card')
    .describe('Workflows take Adaptive Cards; legacy connectors take MessageCards'),
});
export type TeamsConfig = z.infer<typeof teamsConfigSchema>;

export function teamsBody(msg: RenderedNotification, config: TeamsConfig): Record<string, unknown> {
  const color = msg.status === 'firing' ? 'D63232' : '2EB67D';
  if (config.format === 'message-card') {
    return {
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      themeColor: color,
      summary: msg.title,
      title: msg.title,
      text: msg.text.replace(/\n/g, '  \n'),
      potentialAction: msg.link
        ? [
            {
              '@type': 'OpenUri',
              name: 'Open in Tocsin',
              targets: [{ os: 'default', uri: msg.link }],
            },
          ]
        : [],
    };
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              size: 'Large',
              weight: 'Bolder',
              text: msg.title,
              wrap: true,
              color: msg.status === 'firing' ? 'Attention' : 'Good',
            },
            { type: 'TextBlock', text: msg.text, wrap: true },
          ],
          actions: msg.link
            ? [{ type: 'Action.OpenUrl', title: 'Open in Tocsin', url: msg.link }]
            : [],
        },
      },
    ],
  };
}

export const teamsNotifier: Notifier<TeamsConfig> = {
  kind: 'teams',
  label: 'Microsoft Teams',
  configSchema: teamsConfigSchema,
  async send(msg, config, ctx) {
    const outcome = await httpRequest({
      url: config.webhookUrl,
      body: JSON.stringify(teamsBody(msg, config)),
      headers: jsonHeaders(),
      timeoutMs: ctx.timeoutMs,
      allowPrivateNetworks: ctx.allowPrivateNetworks,
    });
    return resultFromStatus(outcome, 'Teams');
  },
};
