import { z } from 'zod';
import { truncate } from '../../http';
import type { Notifier, RenderedNotification } from '../../notifier';
import { secret } from '../../secrets/secret-field';
import { postJson, resultFromErrcode } from '../chat-errcode';
import { SHORT_BODY } from '../../templates/default-templates';

export const wecomConfigSchema = z.object({
  // WeCom robots do not sign: the key in the URL is the credential, hence a secret field.
  webhookUrl: secret(
    z
      .url({ protocol: /^https?$/ })
      .describe('Group robot webhook URL (…/cgi-bin/webhook/send?key=…)'),
  ),
});
export type WecomConfig = z.infer<typeof wecomConfigSchema>;

export function wecomBody(msg: RenderedNotification): Record<string, unknown> {
  const color = msg.status === 'firing' ? 'warning' : 'info';
  const content = `## <font color="${color}">${msg.title}</font>\n${msg.text}${msg.link ? `\n[Open in Tocsin](${msg.link})` : ''}`;
  // WeCom's markdown limit is 4096 bytes; stay under it for multi-byte text too.
  return { msgtype: 'markdown', markdown: { content: truncateBytes(content, 4000) } };
}

function truncateBytes(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  let out = truncate(s, maxBytes);
  while (Buffer.byteLength(out) > maxBytes) out = truncate(out, out.length - 16);
  return out;
}

export const wecomNotifier: Notifier<WecomConfig> = {
  kind: 'wecom',
  label: 'WeCom',
  configSchema: wecomConfigSchema,
  defaultTemplates: { body: SHORT_BODY },
  async send(msg, config, ctx) {
    const outcome = await postJson(config.webhookUrl, wecomBody(msg), ctx);
    // 45009: API frequency limit.
    return resultFromErrcode(outcome, 'WeCom', 'errcode', 'errmsg', [45009]);
  },
};
