import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { createTransport } from 'nodemailer';
import { isPrivateAddress } from '../../http';
import { z } from 'zod';
import type { Notifier, NotifyContext, SendResult } from '../../notifier';
import { secret } from '../../secrets/secret-field';

export const emailConfigSchema = z.object({
  to: z.array(z.email()).min(1).max(50).describe('Recipients'),
  from: z.string().max(200).optional().describe("Sender; default: the deployment's SMTP_FROM"),
  smtpUrl: secret(
    z
      .url({ protocol: /^smtps?$/ })
      .optional()
      .describe(
        "Your own SMTP server (smtp://user:pass@host:587); default: the deployment's SMTP_URL",
      ),
  ),
});
export type EmailConfig = z.infer<typeof emailConfigSchema>;

export interface MailMessage {
  to: string[];
  from?: string;
  subject: string;
  text: string;
  html?: string;
  smtpUrl?: string;
}

/**
 * Sends one message over SMTP. SMTP's codes run the other way from HTTP's: 4xx replies are
 * transient (retry), 5xx are permanent; refused connections and timeouts are transient too.
 */
export async function sendMail(
  m: MailMessage,
  ctx: Pick<NotifyContext, 'deployment' | 'idempotencyKey' | 'timeoutMs' | 'allowPrivateNetworks'>,
): Promise<SendResult> {
  const url = m.smtpUrl ?? ctx.deployment.smtpUrl;
  if (!url)
    return {
      ok: false,
      retryable: false,
      reason: "No SMTP server: set SMTP_URL or the channel's smtpUrl",
    };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, retryable: false, reason: 'The SMTP URL is not a URL' };
  }
  const secure = parsed.protocol === 'smtps:';
  const hostname = parsed.hostname.replace(/^\[|\]$/g, '');
  let host = hostname;
  // A channel's own SMTP server is tenant input: connect only to a public address, and pin the
  // one that was checked (TLS still verifies the name). The deployment's SMTP_URL is trusted.
  if (m.smtpUrl && !ctx.allowPrivateNetworks) {
    let addresses: string[];
    try {
      addresses = isIP(hostname)
        ? [hostname]
        : (await lookup(hostname, { all: true })).map((a) => a.address);
    } catch (err) {
      return {
        ok: false,
        retryable: true,
        reason: `SMTP host lookup failed: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      };
    }
    if (!addresses.length || addresses.some(isPrivateAddress)) {
      return {
        ok: false,
        retryable: false,
        reason: 'The SMTP server is on a private network address',
      };
    }
    host = addresses[0];
  }
  const transport = createTransport({
    host,
    tls: { servername: isIP(hostname) ? undefined : hostname },
    port: Number(parsed.port || (secure ? 465 : 587)),
    secure,
    auth: parsed.username
      ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) }
      : undefined,
    connectionTimeout: ctx.timeoutMs,
    greetingTimeout: ctx.timeoutMs,
    socketTimeout: ctx.timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from: m.from ?? ctx.deployment.smtpFrom,
      to: m.to,
      subject: m.subject,
      text: m.text,
      html: m.html,
      headers: { 'X-Tocsin-Idempotency-Key': ctx.idempotencyKey },
    });
    return { ok: true, providerMessageId: info.messageId };
  } catch (err) {
    const e = err as Error & { responseCode?: number; code?: string };
    if (typeof e.responseCode === 'number') {
      return {
        ok: false,
        retryable: e.responseCode < 500,
        reason: `SMTP ${e.responseCode}: ${e.message.slice(0, 300)}`,
      };
    }
    // Connection-level failures (ECONNREFUSED, ETIMEDOUT, ESOCKET) are worth another try; a
    // malformed address or message (EENVELOPE, EMESSAGE) is not.
    const permanent = e.code === 'EENVELOPE' || e.code === 'EMESSAGE';
    return {
      ok: false,
      retryable: !permanent,
      reason: `SMTP ${e.code ?? 'error'}: ${e.message.slice(0, 300)}`,
    };
  } finally {
    transport.close();
  }
}

export const emailNotifier: Notifier<EmailConfig> = {
  kind: 'email',
  label: 'Email',
  configSchema: emailConfigSchema,
  send(msg, config, ctx) {
    return sendMail(
      {
        to: config.to,
        from: config.from,
        subject: msg.title,
        text: `${msg.text}\n\n${msg.link}`,
        html: msg.html,
        smtpUrl: config.smtpUrl,
      },
      ctx,
    );
  },
};
