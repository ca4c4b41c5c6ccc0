import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { truncate } from '../../http';
import type { Notifier, RenderedNotification } from '../../notifier';
import { secret } from '../../secrets/secret-field';
import { postJson, resultFromErrcode } from '../chat-errcode';
import { SHORT_BODY } from '../../templates/default-templates';

export const feishuConfigSchema = z.object({
  webhookUrl: secret(
    z
      .url({ protocol: /^https?$/ })
      .describe('Custom bot webhook URL (open.feishu.cn or open.larksuite.com)'),
  ),
  secret: secret(
    z
      .string()
      .min(1)
      .optional()
      .describe("The bot's signature verification secret, when signing is on"),
  ),
});
export type FeishuConfig = z.infer<typeof feishuConfigSchema>;

/**
 * Feishu/Lark's signature: base64 of HMAC-SHA256 whose KEY is "<unix seconds>\n<secret>" over an
 * empty message (the reverse of what one expects, and what their docs show).
 */
export function feishuSign(secretKey: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secretKey}`).update('').digest('base64');
}

export function feishuBody(
  msg: RenderedNotification,
  config: FeishuConfig,
  timestampSeconds: number,
): Record<string, unknown> {
  const text = truncate(`${msg.title}\n${msg.text}${msg.link ? `\n${msg.link}` : ''}`, 4000);
  return {
    ...(config.secret
      ? { timestamp: String(timestampSeconds), sign: feishuSign(config.secret, timestampSeconds) }
      : {}),
    msg_type: 'text',
    content: { text },
  };
}

export const feishuNotifier: Notifier<FeishuConfig> = {
  kind: 'feishu',
  label: 'Feishu / Lark',
  configSchema: feishuConfigSchema,
  defaultTemplates: { body: SHORT_BODY },
  async send(msg, config, ctx) {
    const t = Math.floor(ctx.now().getTime() / 1000);
    const outcome = await postJson(config.webhookUrl, feishuBody(msg, config, t), ctx);
    // 9499 and 11232: request rate limits.
    return resultFromErrcode(outcome, 'Feishu', 'code', 'msg', [9499, 11232]);
  },
};
