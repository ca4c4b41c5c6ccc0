import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { truncate } from '../../http';
import type { Notifier, RenderedNotification } from '../../notifier';
import { secret } from '../../secrets/secret-field';
import { postJson, resultFromErrcode } from '../chat-errcode';
import { SHORT_BODY } from '../../templates/default-templates';

export const dingtalkConfigSchema = z.object({
  webhookUrl: secret(
    z.url({ protocol: /^https?$/ }).describe('Robot webhook URL including access_token'),
  ),
  secret: secret(
    z
      .string()
      .startsWith('SEC')
      .optional()
      .describe('The robot\'s signing secret ("SEC…"), when signing is on'),
  ),
});
export type DingtalkConfig = z.infer<typeof dingtalkConfigSchema>;

/** DingTalk's signature: url-encoded base64 of HMAC-SHA256(key=secret, msg="<ms timestamp>\n<secret>"). */
export function dingtalkSign(secretKey: string, timestampMs: number): string {
  const digest = createHmac('sha256', secretKey)
    .update(`${timestampMs}\n${secretKey}`)
    .digest('base64');
  return encodeURIComponent(digest);
}

export function dingtalkUrl(config: DingtalkConfig, timestampMs: number): string {
  if (!config.secret) return config.webhookUrl;
  const sep = config.webhookUrl.includes('?') ? '&' : '?';
  return `${config.webhookUrl}${sep}timestamp=${timestampMs}&sign=${dingtalkSign(config.secret, timestampMs)}`;
}

export function dingtalkBody(msg: RenderedNotification): Record<string, unknown> {
  const text = `### ${msg.title}\n\n${msg.text}${msg.link ? `\n\n[Open in Tocsin](${msg.link})` : ''}`;
  return {
    msgtype: 'markdown',
    markdown: { title: truncate(msg.title, 60), text: truncate(text, 5000) },
  };
}

export const dingtalkNotifier: Notifier<DingtalkConfig> = {
  kind: 'dingtalk',
  label: 'DingTalk',
  configSchema: dingtalkConfigSchema,
  defaultTemplates: { body: SHORT_BODY },
  async send(msg, config, ctx) {
    const outcome = await postJson(
      dingtalkUrl(config, ctx.now().getTime()),
      dingtalkBody(msg),
      ctx,
    );
    // 130101: sending too fast (20 messages a minute per robot).
    return resultFromErrcode(outcome, 'DingTalk', 'errcode', 'errmsg', [130101]);
  },
};
