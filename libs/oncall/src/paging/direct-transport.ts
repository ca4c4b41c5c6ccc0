import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { DirectPage } from './page-sender';

/**
 * Interim delivery for pages to bare addresses, used because libs/notify (whose
 * `DeliveryService.enqueueDirect` owns this job) had not landed when on-call was written.
 * Email goes through SMTP_URL with nodemailer; SMS and voice go to a Twilio-shaped REST API at
 * TWILIO_API_BASE. Replace with the notify adapter when it exists; nothing else depends on it.
 */
export interface TransportResult {
  ok: boolean;
  retryable?: boolean;
  providerMessageId?: string;
  reason?: string;
}

export interface DirectEnv {
  smtpUrl?: string;
  smtpFrom: string;
  twilioApiBase: string;
  twilioAccountSid?: string;
  twilioAuthToken?: string;
  twilioFrom?: string;
}

export function directEnv(env: NodeJS.ProcessEnv = process.env): DirectEnv {
  return {
    smtpUrl: env.SMTP_URL || undefined,
    smtpFrom: env.SMTP_FROM || 'Tocsin <oncall@tocsin.local>',
    twilioApiBase: (env.TWILIO_API_BASE || 'https://api.twilio.com').replace(/\/+$/, ''),
    twilioAccountSid: env.TWILIO_ACCOUNT_SID || undefined,
    twilioAuthToken: env.TWILIO_AUTH_TOKEN || undefined,
    twilioFrom: env.TWILIO_FROM_NUMBER || undefined,
  };
}

export class DirectTransport {
  private mailer?: Transporter;

  constructor(private readonly env: DirectEnv = directEnv()) {}

  async send(page: DirectPage): Promise<TransportResult> {
    try {
      if (page.target.kind === 'email') return await this.email(page);
      return await this.twilio(page);
    } catch (err) {
      return { ok: false, retryable: true, reason: (err as Error).message };
    }
  }

  close(): void {
    this.mailer?.close();
  }

  private async email(page: DirectPage): Promise<TransportResult> {
    if (!this.env.smtpUrl) return { ok: false, retryable: false, reason: 'SMTP_URL is not set' };
    this.mailer ??= nodemailer.createTransport(this.env.smtpUrl, { connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 8000 } as never);
    const info = await this.mailer.sendMail({
      from: this.env.smtpFrom,
      to: page.target.address,
      subject: page.message.subject,
      text: page.message.text,
      html: page.message.html,
      headers: { 'X-Tocsin-Idempotency-Key': page.idempotencyKey, ...(page.source.pageId ? { 'X-Tocsin-Page': page.source.pageId } : {}) },
    });
    return { ok: true, providerMessageId: info.messageId };
  }

  private async twilio(page: DirectPage): Promise<TransportResult> {
    const { twilioAccountSid: sid, twilioAuthToken: token, twilioFrom: from, twilioApiBase: base } = this.env;
    if (!sid || !token || !from) return { ok: false, retryable: false, reason: 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER must be set' };
    const voice = page.target.kind === 'voice';
    const form = new URLSearchParams({ To: page.target.address, From: from });
    if (voice) {
      if (page.message.voiceUrl) form.set('Url', page.message.voiceUrl);
      else form.set('Twiml', `<Response><Say>${escapeXml(page.message.voiceText ?? page.message.text)}</Say></Response>`);
    } else {
      form.set('Body', page.message.text);
    }
    const res = await fetch(`${base}/2010-04-01/Accounts/${encodeURIComponent(sid)}/${voice ? 'Calls' : 'Messages'}.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        // Twilio caps the token at 64 characters; a hash keeps distinct keys distinct.
        'i-twilio-idempotency-token': createHash('sha256').update(page.idempotencyKey).digest('hex').slice(0, 64),
        ...(page.source.pageId ? { 'x-tocsin-page': page.source.pageId } : {}),
      },
      body: form,
      signal: AbortSignal.timeout(8000),
    });
    const body = (await res.json().catch(() => ({}))) as { sid?: string; message?: string };
    if (res.ok) return { ok: true, providerMessageId: body.sid };
    return { ok: false, retryable: res.status === 429 || res.status >= 500, reason: `Twilio ${res.status}: ${body.message ?? 'error'}` };
  }
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
