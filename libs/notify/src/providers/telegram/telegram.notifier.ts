import { z } from 'zod';
import { httpRequest, isRetryableStatus, jsonHeaders, safeJson, truncate } from '../../http';
import type { Notifier, RenderedNotification } from '../../notifier';
import { secret } from '../../secrets/secret-field';

export const telegramConfigSchema = z.object({
  botToken: secret(
    z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]+$/, 'Looks like 123456:ABC-DEF…')
      .describe('Bot token from @BotFather'),
  ),
  chatId: z
    .string()
    .regex(/^(-?\d+|@[A-Za-z0-9_]{5,})$/, 'A numeric chat id or @channelname')
    .describe('Chat, group or channel to post to'),
  apiBaseUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://api.telegram.org')
    .describe('Bot API base URL (a local Bot API server, or a test double)'),
});
export type TelegramConfig = z.infer<typeof telegramConfigSchema>;

export function telegramBody(
  msg: RenderedNotification,
  config: TelegramConfig,
): Record<string, unknown> {
  const text = [msg.title, '', msg.text, msg.link ? `\n${msg.link}` : ''].join('\n').trim();
  // Telegram's hard limit is 4096 characters; plain text avoids Markdown escaping pitfalls.
  return { chat_id: config.chatId, text: truncate(text, 4096), disable_web_page_preview: true };
}

export const telegramNotifier: Notifier<TelegramConfig> = {
  kind: 'telegram',
  label: 'Telegram',
  configSchema: telegramConfigSchema,
  async send(msg, config, ctx) {
    const url = `${config.apiBaseUrl.replace(/\/$/, '')}/bot${config.botToken}/sendMessage`;
    const outcome = await httpRequest({
      url,
      body: JSON.stringify(telegramBody(msg, config)),
      headers: jsonHeaders(),
      timeoutMs: ctx.timeoutMs,
      allowPrivateNetworks: ctx.allowPrivateNetworks,
    });
    if (!outcome.ok) return { ok: false, retryable: !outcome.permanent, reason: outcome.reason };
    const json = safeJson(outcome.response.text);
    if (outcome.response.status === 200 && json?.ok === true) {
      const id = (json.result as { message_id?: number } | undefined)?.message_id;
      return { ok: true, providerMessageId: id === undefined ? undefined : String(id) };
    }
    // The token must not appear in the delivery log, so only Telegram's description is kept.
    const description =
      typeof json?.description === 'string'
        ? json.description
        : truncate(outcome.response.text, 200);
    return {
      ok: false,
      retryable: isRetryableStatus(outcome.response.status),
      reason: `Telegram answered ${outcome.response.status}: ${description}`,
    };
  },
};
